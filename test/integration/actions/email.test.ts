import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { signedHeaders } from '../../helpers/sign.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';
import { snRecord } from '../../helpers/servicenow-record.ts';
import type { AddressInfo } from 'node:net';
import { waitForIdle } from '../../helpers/idle.ts';

interface Received {
  to: string[];
  raw: string;
}
const received: Received[] = [];
let smtp: SMTPServer;
let svc: TestService;

beforeAll(async () => {
  // A real SMTP sink on loopback; STARTTLS off so the test needs no certificate.
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString();
      });
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const { port } = smtp.server.address() as AddressInfo;
  svc = await startTestService({
    SMTP_URL: `smtp://127.0.0.1:${port}`,
    MAIL_FROM: 'Major Incidents <mim@example.edu>',
  });
});
afterAll(async () => {
  await stopAndClean(svc);
  await new Promise<void>((r) => smtp.close(() => r()));
});

describe('email notifications', () => {
  it('mails each email audience once, with a Message-ID derived from the incident', async () => {
    const body = JSON.stringify(
      snRecord({
        sys_id: 'e0000000000000000000000000000001',
        sys_mod_count: '1',
        short_description: 'Payroll portal down for all staff',
      }),
    );
    expect(
      (
        await fetch(`${svc.url}/webhooks/servicenow`, {
          method: 'POST',
          body,
          headers: signedHeaders('servicenow', SECRETS.servicenow, body),
        })
      ).status,
    ).toBe(202);
    const mi = await eventually(() => svc.majorIncidents.openFor('payroll'));
    // One message per Payroll audience that has an email list, to exactly that list.
    const config = svc.config.current();
    const payroll = config.services.services.find((s) => s.id === 'payroll')!;
    const lists = config.audiences.audiences
      .filter((a) => payroll.audiences.includes(a.id) && a.channels.email?.length)
      .map((a) => [...a.channels.email!].sort());
    expect(lists.length).toBeGreaterThan(0);
    await eventually(async () => received.length >= lists.length, 8_000);
    // No second message to anyone: the actions all ran (timers minutes away do not count).
    await waitForIdle({ prefix: svc.keys.prefix, delayedDueWithinMs: 5_000 });
    expect(received.map((r) => [...r.to].sort()).sort()).toEqual(lists.sort());
    for (const r of received) {
      expect(r.raw).toContain(`Message-ID: <mim.${mi.id}.declared@example.edu>`);
      expect(r.raw).toContain('Subject: Major incident: Payroll portal down for all staff (P1)');
      // Header names are case-insensitive; nodemailer normalizes them.
      expect(r.raw.toLowerCase()).toContain(`x-mim-id: ${mi.id.toLowerCase()}`);
    }
  });
});
