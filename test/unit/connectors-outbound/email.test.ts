import nodemailer from 'nodemailer';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from '../../../src/connectors/email/classify-smtp-error.ts';
import {
  createEmailClient,
  createEmailConnector,
  createSmtpTransport,
  messageIdFor,
} from '../../../src/connectors/email/outbound.ts';

const deps = { logger: pino({ level: 'silent' }) };
const META = { incidentId: 'MI-2025-0042', jobId: 'job-1' };

describe('email outbound', () => {
  it('sends with a deterministic Message-ID, threading and X-MIM-Id', async () => {
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
    const sent: string[] = [];
    const spy = {
      sendMail: async (mail: object) => {
        const info = await transport.sendMail(mail);
        sent.push(String(info.message));
        return info;
      },
    };
    const email = createEmailConnector(createEmailClient({ from: 'MIM <mim@example.org>' }, spy as never, deps));
    const result = await email.send(
      {
        to: ['leaders@example.org'],
        subject: 'Update: Email down',
        text: 'Failover in progress.',
        marker: 'update-1',
        threadMarker: 'declared',
      },
      META,
    );
    expect(result.messageId).toBe('<mim.MI-2025-0042.update-1@example.org>');
    const raw = sent[0] ?? '';
    expect(raw).toContain('Message-ID: <mim.MI-2025-0042.update-1@example.org>');
    expect(raw).toContain('In-Reply-To: <mim.MI-2025-0042.declared@example.org>');
    expect(raw).toContain('References: <mim.MI-2025-0042.declared@example.org>');
    // nodemailer writes the name as `X-Mim-ID`; header names are case-insensitive.
    expect(raw).toMatch(/^x-mim-id: MI-2025-0042$/im);
    expect(raw).toContain('To: leaders@example.org');
    expect(raw).toContain('Failover in progress.');
  });

  it('createSmtpTransport applies the timeout unless the URL sets its own', () => {
    const options = (url: string) =>
      (createSmtpTransport(url, 5_000) as unknown as { options: Record<string, unknown> }).options;
    expect(options('smtp://user:pass@127.0.0.1:2525')).toMatchObject({
      host: '127.0.0.1',
      port: 2525,
      connectionTimeout: 5_000,
      socketTimeout: 5_000,
    });
    expect(options('smtp://127.0.0.1:2525?socketTimeout=100')).toMatchObject({
      socketTimeout: 100,
      greetingTimeout: 5_000,
    });
  });

  it('the same marker gives the same Message-ID on a retry', () => {
    expect(messageIdFor('MI-1', 'declared', 'example.org')).toBe(messageIdFor('MI-1', 'declared', 'example.org'));
    expect(messageIdFor('a:b', 'c..d', 'x.org')).toBe('<mim.a_b.c.d@x.org>');
  });

  it('refuses an empty recipient list without sending', async () => {
    const transport = {
      sendMail: async () => {
        throw new Error('must not send');
      },
    };
    const email = createEmailClient({ from: 'mim@example.org' }, transport as never, deps);
    await expect(email.send({ to: [], subject: 's', text: 't', marker: 'm' }, META)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      retryable: false,
    });
  });

  it('classifies what the transport rejects with', async () => {
    const transport = {
      sendMail: async () => {
        throw Object.assign(new Error('421 try later'), { code: 'EENVELOPE', responseCode: 421 });
      },
    };
    const email = createEmailClient({ from: 'mim@example.org' }, transport as never, deps);
    await expect(
      email.send({ to: ['a@example.org'], subject: 's', text: 't', marker: 'm' }, META),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE', vendor: 'email', retryable: true });
  });
});

describe('classifySmtpError', () => {
  it.each([
    [{ responseCode: 421 }, 'UNAVAILABLE', true],
    [{ responseCode: 451, code: 'EMESSAGE' }, 'UNAVAILABLE', true],
    [{ responseCode: 535, code: 'EAUTH' }, 'UNAUTHORIZED', false],
    [{ responseCode: 550, code: 'EENVELOPE' }, 'BAD_REQUEST', false],
    [{ responseCode: 552 }, 'PAYLOAD_TOO_LARGE', false],
    [{ code: 'EAUTH' }, 'UNAUTHORIZED', false],
    [{ code: 'ETIMEDOUT' }, 'TIMEOUT', true],
    [{ code: 'ECONNECTION' }, 'NETWORK', true],
    [{ code: 'EENVELOPE' }, 'BAD_REQUEST', false],
    [{}, 'NETWORK', true],
  ] as const)('%j → %s (retryable %s)', (err, code, retryable) => {
    expect(classifySmtpError(Object.assign(new Error('reply quoting someone@example.org'), err))).toMatchObject({
      code,
      retryable,
    });
  });

  it('does not keep the server reply text, which may quote addresses', () => {
    const err = classifySmtpError(
      Object.assign(new Error('550 5.1.1 <someone@example.org>: no such user'), {
        responseCode: 550,
        response: '550 5.1.1 <someone@example.org>',
      }),
    );
    expect(`${String(err)} ${JSON.stringify(err)} ${String(err.cause)}`).not.toContain('someone@example.org');
  });
});
