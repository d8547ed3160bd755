import nodemailer from 'nodemailer';
import type { ConnectionOptions } from 'node:tls';
import { failed, passed, type CheckOutcome } from '../shared/check.ts';

/**
 * The email connection check: nodemailer's `transporter.verify()`, which connects, says EHLO,
 * upgrades with STARTTLS and logs in when SMTP_URL has credentials, and sends no message
 * (https://nodemailer.com/smtp/#verify-smtp-connection-configuration). STARTTLS is required here
 * unless SMTP_URL is `smtps://` (TLS from the first byte) or says `ignoreTLS=true`: a relay that
 * does not offer it would carry incident text and the password in clear.
 * Error codes: https://nodemailer.com/errors/
 */

export interface EmailCheckConfig {
  /** SMTP_URL: a secret (it may carry the password); never echoed. */
  readonly smtpUrl: string;
  readonly timeoutMs: number;
  /** Extra TLS options; tests trust their own server's certificate with it. */
  readonly tls?: ConnectionOptions;
}

const fixes: Readonly<Record<string, { readonly detail: string; readonly fix: string }>> = {
  EAUTH: {
    detail: 'the server refused the login',
    fix: 'the user or password in SMTP_URL is wrong (URL-encode special characters)',
  },
  ENOAUTH: { detail: 'no credentials for a server that needs them', fix: 'add user:password to SMTP_URL' },
  EDNS: { detail: 'the host name does not resolve', fix: 'check SMTP_URL (the host name) and DNS' },
  ETIMEDOUT: {
    detail: 'no answer in time',
    fix: 'check the host and port in SMTP_URL (587 for STARTTLS, 465 with smtps://) and the firewall',
  },
  ECONNECTION: {
    detail: 'the connection failed',
    fix: 'check the host and port in SMTP_URL (587 for STARTTLS, 465 with smtps://) and the firewall',
  },
};

const TLS_HINT = /certificate|self.signed|unable to verify|altname|handshake|ssl|tls/i;

function smtpFailure(err: unknown): CheckOutcome {
  const e = (err ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : 'SMTP_ERROR';
  const message = typeof e.message === 'string' ? e.message : '';
  if (/STARTTLS/i.test(message) && code === 'ETLS')
    return failed(
      'NO_STARTTLS',
      'the server does not offer STARTTLS',
      'use a relay that offers STARTTLS (port 587), or smtps:// on port 465 (docs/setup-email.md)',
    );
  // nodemailer reports a failed handshake as ETLS, ESOCKET or ECONNECTION depending on the stage: read the reason.
  if (code === 'ETLS' || (code !== 'EAUTH' && TLS_HINT.test(message)))
    return failed(
      'TLS',
      'the TLS handshake failed',
      "the relay's certificate is not trusted here: add its CA with NODE_EXTRA_CA_CERTS, or fix its name",
    );
  const socket = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|EHOSTUNREACH|ETIMEDOUT)\b/.exec(message)?.[1];
  if (socket === 'ENOTFOUND' || socket === 'EAI_AGAIN') return failed(socket, fixes.EDNS!.detail, fixes.EDNS!.fix);
  if (socket) return failed(socket, `the connection failed (${socket})`, fixes.ECONNECTION!.fix);
  const known = Object.hasOwn(fixes, code) ? fixes[code] : undefined;
  if (known) return failed(code, known.detail, known.fix);
  const reply = typeof e.responseCode === 'number' ? ` (SMTP ${e.responseCode})` : '';
  return failed(code, `the server refused the session${reply}`, 'check SMTP_URL against docs/setup-email.md');
}

export async function checkEmail(config: EmailCheckConfig): Promise<CheckOutcome> {
  const url = new URL(config.smtpUrl);
  const implicitTls = url.protocol === 'smtps:';
  const optedOut = url.searchParams.get('ignoreTLS') === 'true';
  const transport = nodemailer.createTransport({
    url: config.smtpUrl,
    requireTLS: !implicitTls && !optedOut,
    connectionTimeout: config.timeoutMs,
    greetingTimeout: config.timeoutMs,
    socketTimeout: config.timeoutMs,
    ...(config.tls ? { tls: config.tls } : {}),
  });
  const where = `${url.hostname}:${url.port || (implicitTls ? 465 : 587)}`;
  try {
    await transport.verify();
  } catch (err) {
    const outcome = smtpFailure(err);
    return { ...outcome, detail: `${where}: ${outcome.detail}` };
  } finally {
    transport.close();
  }
  const how = implicitTls ? 'TLS (smtps)' : optedOut ? 'no TLS (ignoreTLS=true)' : 'STARTTLS';
  return passed(`${where}: EHLO and ${how}${url.username ? ', login accepted' : ''}`);
}
