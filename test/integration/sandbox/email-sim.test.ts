import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEmailClient,
  createEmailConnector,
  createSmtpTransport,
} from '../../../src/connectors/email/outbound.ts';
import { createEmailSim, type EmailSim, type EmailSimOptions } from '../../../sandbox/email/index.ts';

const META = { incidentId: 'MI-2025-0042', jobId: 'job-1' };
const deps = { logger: pino({ level: 'silent' }) };
const DECLARED = {
  to: ['ops@example.com', 'exec@example.com'],
  subject: '[MI-2025-0042] Payroll down — café',
  text: 'Payroll runs fail.\nWe are on it.',
  html: '<p>Payroll runs fail.</p>',
  marker: 'declared',
};

describe('email simulator with the real connector', () => {
  let sim: EmailSim;
  const start = async (opts: EmailSimOptions = {}, url?: (sim: EmailSim) => string) => {
    sim = createEmailSim(opts);
    await sim.listen();
    const transport = createSmtpTransport(url ? url(sim) : sim.smtpUrl(), 2_000);
    return createEmailConnector(createEmailClient({ from: 'MIM <mim@example.com>' }, transport, deps));
  };
  afterEach(() => sim.close());

  it('receives and parses what the real client sends, threads included', async () => {
    const email = await start();
    const first = await email.send(DECLARED, META);
    const update = await email.send(
      {
        ...DECLARED,
        subject: 'Update 1',
        text: 'Fix deploying',
        html: undefined,
        marker: 'update-1',
        threadMarker: 'declared',
      },
      META,
    );
    expect(sim.messages).toHaveLength(2);
    expect(sim.messages[0]).toMatchObject({
      envelope: { from: 'mim@example.com', to: ['ops@example.com', 'exec@example.com'] },
      from: 'MIM <mim@example.com>',
      to: ['ops@example.com', 'exec@example.com'],
      subject: DECLARED.subject,
      messageId: first.messageId,
      text: DECLARED.text,
      html: DECLARED.html,
    });
    expect(sim.messages[0]?.headers['x-mim-id']).toEqual(['MI-2025-0042']);
    expect(sim.messages[1]).toMatchObject({
      messageId: update.messageId,
      inReplyTo: first.messageId,
      references: [first.messageId],
      text: 'Fix deploying',
    });
    expect(sim.thread(first.messageId)).toHaveLength(2);
  });

  it('with auth configured: the right credentials pass, wrong ones are 535 (permanent UNAUTHORIZED)', async () => {
    const email = await start({ auth: { user: 'mim', pass: 's3cret' } });
    expect(sim.smtpUrl()).toMatch(/^smtp:\/\/mim:s3cret@127\.0\.0\.1:\d+$/);
    await email.send(DECLARED, META);
    expect(sim.messages[0]?.user).toBe('mim');
    const wrong = createEmailConnector(
      createEmailClient(
        { from: 'mim@example.com' },
        createSmtpTransport(sim.smtpUrl().replace('s3cret', 'nope'), 2_000),
        deps,
      ),
    );
    await expect(wrong.send(DECLARED, META)).rejects.toMatchObject({ code: 'UNAUTHORIZED', retryable: false });
    const anonymous = createEmailConnector(
      createEmailClient(
        { from: 'mim@example.com' },
        createSmtpTransport(sim.smtpUrl().replace('mim:s3cret@', ''), 2_000),
        deps,
      ),
    );
    await expect(anonymous.send(DECLARED, META)).rejects.toMatchObject({ retryable: false });
    expect(sim.messages).toHaveLength(1);
  });

  it('fault injection: next N rejected with 4xx (retryable) or 5xx (permanent), then accepted', async () => {
    const email = await start();
    sim.inject({ kind: 'reject', count: 2, code: 451 });
    await expect(email.send(DECLARED, META)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    await expect(email.send(DECLARED, META)).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    sim.inject({ kind: 'reject', count: 1, code: 550 });
    await expect(email.send(DECLARED, META)).rejects.toMatchObject({ code: 'BAD_REQUEST', retryable: false });
    await email.send(DECLARED, META);
    expect(sim.attempts.map((a) => a.code)).toEqual([451, 451, 550, 250]);
    expect(sim.messages).toHaveLength(1);
  });

  it('fault injection: a dropped connection is a retryable network error', async () => {
    const email = await start();
    sim.inject({ kind: 'drop', count: 1 });
    await expect(email.send(DECLARED, META)).rejects.toMatchObject({ retryable: true });
    await email.send(DECLARED, META);
    expect(sim.attempts.map((a) => a.fault ?? a.code)).toEqual(['drop', 250]);
  });

  it('a message above the size limit is 552 (permanent PAYLOAD_TOO_LARGE)', async () => {
    const email = await start({ maxBytes: 2_000 });
    await expect(email.send({ ...DECLARED, text: 'x'.repeat(5_000) }, META)).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      retryable: false,
    });
    expect(sim.messages).toHaveLength(0);
  });
});
