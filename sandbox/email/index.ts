import type { AddressInfo, Socket } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { parseMessage, type ParsedMessage } from './parse-message.ts';

export type { ParsedMessage } from './parse-message.ts';

/**
 * An SMTP sink on loopback (the `smtp-server` package): every message accepted is parsed and
 * kept. No TLS (STARTTLS is not offered, so nodemailer sends in clear over loopback), auth
 * optional. Give mim-bridge `SMTP_URL = sim.smtpUrl()`.
 * Replies follow RFC 5321 §4.2: 4yz transient, 5yz permanent.
 */

export interface EmailSimOptions {
  /** When set, AUTH PLAIN/LOGIN with these credentials is required (535 otherwise). */
  readonly auth?: { readonly user: string; readonly pass: string };
  /** Largest message in bytes (advertised as SIZE, 552 above it); default 10 MB. */
  readonly maxBytes?: number;
}

/** The next `count` messages: `reject` answers DATA with `code` (4xx or 5xx); `drop` cuts the connection; `latency` holds the reply. */
export type EmailFault =
  | { readonly kind: 'reject'; readonly count: number; readonly code: number; readonly message?: string }
  | { readonly kind: 'drop'; readonly count: number }
  | { readonly kind: 'latency'; readonly count: number; readonly delayMs: number };

export interface ReceivedEmail extends ParsedMessage {
  readonly at: string;
  /** The SMTP envelope (MAIL FROM / RCPT TO), which may differ from the headers (Bcc). */
  readonly envelope: { readonly from?: string; readonly to: readonly string[] };
  readonly user?: string;
  readonly raw: string;
}

export interface EmailAttempt {
  readonly at: string;
  readonly envelope: ReceivedEmail['envelope'];
  /** The reply code sent for DATA (250 accepted); undefined when the connection was dropped. */
  readonly code?: number;
  readonly fault?: EmailFault['kind'];
}

export interface EmailSim {
  readonly name: 'email';
  /** `smtp://[user:pass@]127.0.0.1:<port>` once listening, for `SMTP_URL`. */
  smtpUrl(): string;
  port(): number;
  /** Accepted messages, oldest first. */
  readonly messages: readonly ReceivedEmail[];
  /** Every DATA attempt, accepted or not. */
  readonly attempts: readonly EmailAttempt[];
  /** Messages whose thread starts at `messageId` (it, and those referring to it). */
  thread(messageId: string): readonly ReceivedEmail[];
  inject(fault: EmailFault): void;
  clearFaults(): void;
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

async function readAll(stream: SMTPServerDataStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function createEmailSim(opts: EmailSimOptions = {}): EmailSim {
  const messages: ReceivedEmail[] = [];
  const attempts: EmailAttempt[] = [];
  const faults: Array<EmailFault & { left: number }> = [];
  const sockets = new Map<number, Socket>();
  let port = 0;

  const envelopeOf = (session: SMTPServerSession) => ({
    from: session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined,
    to: session.envelope.rcptTo.map((r) => r.address),
  });

  async function onData(stream: SMTPServerDataStream, session: SMTPServerSession, done: (err?: Error | null) => void) {
    const raw = await readAll(stream);
    const at = new Date().toISOString();
    const envelope = envelopeOf(session);
    const fault = faults.find((f) => f.left > 0);
    if (fault) fault.left -= 1;
    if (fault?.kind === 'drop') {
      attempts.push({ at, envelope, fault: 'drop' });
      return void sockets.get(session.remotePort)?.destroy();
    }
    if (fault?.kind === 'latency') await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.kind === 'reject') {
      attempts.push({ at, envelope, code: fault.code, fault: 'reject' });
      return done(
        smtpError(
          fault.code,
          fault.message ?? (fault.code < 500 ? 'Temporary failure, try again later' : 'Message rejected'),
        ),
      );
    }
    if (stream.sizeExceeded) {
      attempts.push({ at, envelope, code: 552 });
      return done(smtpError(552, 'Message exceeds fixed maximum message size'));
    }
    attempts.push({ at, envelope, code: 250, ...(fault ? { fault: fault.kind } : {}) });
    messages.push({
      at,
      envelope,
      ...(typeof session.user === 'string' ? { user: session.user } : {}),
      raw,
      ...parseMessage(raw),
    });
    done();
  }

  const server = new SMTPServer({
    name: 'smtp.sandbox.test',
    banner: 'mim-bridge sandbox SMTP',
    logger: false,
    disabledCommands: ['STARTTLS'],
    authOptional: !opts.auth,
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    size: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    onAuth(auth, _session, callback) {
      if (opts.auth && (auth.username !== opts.auth.user || auth.password !== opts.auth.pass)) {
        return callback(smtpError(535, 'Authentication credentials invalid'));
      }
      callback(null, { user: auth.username });
    },
    onData: (stream, session, callback) => {
      onData(stream, session, callback).catch((err: unknown) =>
        callback(err instanceof Error ? err : new Error(String(err))),
      );
    },
  });
  server.server.on('connection', (socket: Socket) => {
    const remote = socket.remotePort ?? 0;
    sockets.set(remote, socket);
    socket.on('close', () => sockets.delete(remote));
  });
  // A client that vanishes mid-session is not the sink's failure.
  server.on('error', () => {});

  const credentials = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.pass)}@` : '';

  return {
    name: 'email',
    smtpUrl: () => `smtp://${credentials}127.0.0.1:${port}`,
    port: () => port,
    messages,
    attempts,
    thread: (id) => messages.filter((m) => m.messageId === id || m.inReplyTo === id || m.references.includes(id)),
    inject: (fault) => {
      faults.push({ ...fault, left: fault.count });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    listen: (wanted = 0) =>
      new Promise((resolve, reject) => {
        server.server.once('error', reject);
        server.listen(wanted, '127.0.0.1', () => {
          port = (server.server.address() as AddressInfo).port;
          resolve(`smtp://${credentials}127.0.0.1:${port}`);
        });
      }),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets.values()) s.destroy();
        server.close(() => resolve());
      }),
  };
}
