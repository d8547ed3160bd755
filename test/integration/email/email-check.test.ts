import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { checkEmail } from '../../../src/connectors/email/check.ts';
import { createEmailSim, type EmailSim } from '../../../sandbox/email/index.ts';

/**
 * The SMTP check against real SMTP servers on loopback: the sandbox's sink, which offers no
 * STARTTLS, and an smtp-server that does (with the package's own localhost certificate, which
 * nothing here trusts unless the test says so). Not in connectors/: nock's socket interception, loaded
 * there between files, turns a failed TLS handshake into "Connection closed unexpectedly".
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

async function startTlsServer(auth?: { user: string; pass: string }): Promise<number> {
  const server = new SMTPServer({
    logger: false,
    authOptional: !auth,
    onAuth(a, _s, cb) {
      if (auth && a.username === auth.user && a.password === auth.pass) return cb(null, { user: a.username });
      cb(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return (server.server.address() as AddressInfo).port;
}

async function startSink(): Promise<EmailSim> {
  const sim = createEmailSim();
  await sim.listen(0);
  closers.push(() => sim.close());
  return sim;
}

describe('the SMTP check: EHLO and STARTTLS (transporter.verify)', () => {
  it('fails a server that offers no STARTTLS, and sends nothing', async () => {
    const sim = await startSink();
    const out = await checkEmail({ smtpUrl: sim.smtpUrl(), timeoutMs: 2_000 });
    expect(out).toMatchObject({ ok: false, code: 'NO_STARTTLS' });
    expect(out.fix).toContain('STARTTLS');
    expect(sim.attempts).toEqual([]);
  });

  it('passes the same server when SMTP_URL opts out with ignoreTLS=true', async () => {
    const sim = await startSink();
    const out = await checkEmail({ smtpUrl: `${sim.smtpUrl()}?ignoreTLS=true`, timeoutMs: 2_000 });
    expect(out).toMatchObject({ ok: true });
  });

  it('fails STARTTLS to a certificate this host does not trust, naming NODE_EXTRA_CA_CERTS', async () => {
    const port = await startTlsServer();
    const out = await checkEmail({ smtpUrl: `smtp://127.0.0.1:${port}`, timeoutMs: 2_000 });
    expect(out).toMatchObject({ ok: false, code: 'TLS' });
    expect(out.fix).toContain('NODE_EXTRA_CA_CERTS');
  });

  it('passes EHLO, STARTTLS and the login when the certificate is trusted', async () => {
    const port = await startTlsServer({ user: 'mim', pass: 'smtp-pass-1' });
    const out = await checkEmail({
      smtpUrl: `smtp://mim:smtp-pass-1@127.0.0.1:${port}`,
      timeoutMs: 2_000,
      tls: { rejectUnauthorized: false },
    });
    expect(out).toMatchObject({ ok: true });
    expect(out.detail).toBe(`127.0.0.1:${port}: EHLO and STARTTLS, login accepted`);
  });

  it('a refused login names the credentials in SMTP_URL, without echoing them', async () => {
    const port = await startTlsServer({ user: 'mim', pass: 'smtp-pass-1' });
    const out = await checkEmail({
      smtpUrl: `smtp://mim:wrong-pass@127.0.0.1:${port}`,
      timeoutMs: 2_000,
      tls: { rejectUnauthorized: false },
    });
    expect(out).toMatchObject({ ok: false, code: 'EAUTH' });
    expect(JSON.stringify(out)).not.toContain('wrong-pass');
  });

  it('a closed port is a connection failure naming SMTP_URL', async () => {
    const sim = await startSink();
    const port = sim.port();
    await sim.close();
    const out = await checkEmail({ smtpUrl: `smtp://127.0.0.1:${port}`, timeoutMs: 2_000 });
    expect(out).toMatchObject({ ok: false, code: 'ECONNREFUSED' });
    expect(out.fix).toContain('SMTP_URL');
  });
});
