import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createEmailClient } from '../../src/connectors/email/outbound.ts';

/**
 * The subject is the major incident's title, which anyone who can type a ticket title writes.
 * A line break in it must not end the Subject header and start another (Bcc:, a second body);
 * the body goes as text/plain only, so markup in it is shown, never rendered.
 */

const META = { incidentId: 'MI-2025-0042', jobId: 'job-1' };
const HOSTILE_SUBJECT = 'Major incident: Payroll down\r\nBcc: attacker@evil.example\r\n\r\n<b>fake body</b>\u2028(P1)';

async function send(subject: string, text: string) {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const handed: Array<Record<string, unknown>> = [];
  const raws: string[] = [];
  const spy = {
    sendMail: async (mail: Record<string, unknown>) => {
      handed.push(mail);
      const info = await transport.sendMail(mail);
      raws.push(String(info.message));
      return info;
    },
  };
  await createEmailClient({ from: 'MIM <mim@example.edu>' }, spy as never, { logger: pino({ level: 'silent' }) }).send(
    { to: ['staff@example.edu'], subject, text, marker: 'declared' },
    META,
  );
  return { mail: handed[0] ?? {}, raw: raws[0] ?? '' };
}

describe('email rendering of hostile text', () => {
  it('the subject is handed to the transport as one line, and the message has no header of its making', async () => {
    const { mail, raw } = await send(HOSTILE_SUBJECT, 'body');
    expect(mail.subject).toBe('Major incident: Payroll down Bcc: attacker@evil.example <b>fake body</b> (P1)');
    const headers = raw.slice(0, raw.indexOf('\n\n'));
    expect(headers).not.toMatch(/^bcc:/im);
    expect(headers.match(/^subject:/gim)).toHaveLength(1);
    expect(mail.to).toEqual(['staff@example.edu']);
  });

  it('the body is text/plain only: markup in it is text', async () => {
    const { mail, raw } = await send(
      's',
      '[code]<script>alert(1)</script>[/code] <a href="https://evil.example">Reset</a>',
    );
    expect(mail.html).toBeUndefined();
    expect(raw).toMatch(/^Content-Type: text\/plain; charset=utf-8$/m);
    expect(raw).not.toMatch(/text\/html/i);
  });
});
