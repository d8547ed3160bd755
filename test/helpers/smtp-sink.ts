import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  /** SMTP_URL and MAIL_FROM for startTestService. */
  readonly env: { readonly SMTP_URL: string; readonly MAIL_FROM: string };
  /** The recipients of each message received, in order. */
  readonly received: string[][];
  /** Each message as it arrived: recipients and the raw RFC 5322 text (headers and body). */
  readonly messages: { readonly to: string[]; readonly raw: string }[];
  close(): Promise<void>;
}

/**
 * A real SMTP sink on loopback (STARTTLS off, so no certificate is needed). A test of a whole round
 * of messages runs it: without an email worker, a round's email messages are never sent, and the
 * round's one work note waits for them (src/orchestrator/round-note.ts ROUND_SETTLE_MS).
 */
export async function startSmtpSink(): Promise<SmtpSink> {
  const received: string[][] = [];
  const messages: { to: string[]; raw: string }[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push(session.envelope.rcptTo.map((r) => r.address));
        messages.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
        done();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
  const { port } = smtp.server.address() as AddressInfo;
  return {
    env: { SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: 'Major Incidents <mim@example.edu>' },
    received,
    messages,
    close: () => new Promise<void>((r) => smtp.close(() => r())),
  };
}
