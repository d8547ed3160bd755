import { ConnectorError, type ConnectorErrorCode } from '../connector-error.ts';

/**
 * nodemailer errors → ConnectorError. SMTP 4yz replies are transient and 5yz permanent
 * (RFC 5321 §4.2.1); without a reply, nodemailer's `code` says what failed.
 * https://nodemailer.com/errors/ (codes) · https://www.rfc-editor.org/rfc/rfc5321#section-4.2.1
 * The server's reply text is not kept: it often quotes the recipient's address.
 */

/** Permanent replies with a more telling code than BAD_REQUEST. */
const SMTP_5XX_CODES: Readonly<Record<number, ConnectorErrorCode>> = {
  530: 'UNAUTHORIZED',
  534: 'UNAUTHORIZED',
  535: 'UNAUTHORIZED',
  552: 'PAYLOAD_TOO_LARGE',
  554: 'FORBIDDEN',
};

/** nodemailer codes raised before or instead of an SMTP reply. */
const NODEMAILER_CODES: Readonly<Record<string, { code: ConnectorErrorCode; retryable: boolean }>> = {
  EAUTH: { code: 'UNAUTHORIZED', retryable: false },
  ENOAUTH: { code: 'UNAUTHORIZED', retryable: false },
  EENVELOPE: { code: 'BAD_REQUEST', retryable: false },
  EMESSAGE: { code: 'BAD_REQUEST', retryable: false },
  ETIMEDOUT: { code: 'TIMEOUT', retryable: true },
  ECONNECTION: { code: 'NETWORK', retryable: true },
  ESOCKET: { code: 'NETWORK', retryable: true },
  EDNS: { code: 'NETWORK', retryable: true },
  ETLS: { code: 'NETWORK', retryable: true },
};

export function classifySmtpError(err: unknown): ConnectorError {
  const { code, responseCode } = (err ?? {}) as { code?: unknown; responseCode?: unknown };
  const nmCode = typeof code === 'string' ? code : undefined;
  const reply = typeof responseCode === 'number' ? responseCode : undefined;
  const detail = [reply === undefined ? undefined : `smtp ${reply}`, nmCode].filter(Boolean).join(' ') || undefined;
  const cause = new Error(detail ? `smtp error ${detail}` : 'smtp error');
  if (reply !== undefined && reply >= 400 && reply < 500) {
    return new ConnectorError({ code: 'UNAVAILABLE', vendor: 'email', retryable: true, detail, cause });
  }
  if (reply !== undefined && reply >= 500) {
    return new ConnectorError({
      code: SMTP_5XX_CODES[reply] ?? 'BAD_REQUEST',
      vendor: 'email',
      retryable: false,
      detail,
      cause,
    });
  }
  const known = nmCode !== undefined && Object.hasOwn(NODEMAILER_CODES, nmCode) ? NODEMAILER_CODES[nmCode] : undefined;
  // Anything else never reached a server's verdict: a transport problem worth another try.
  return new ConnectorError({
    code: known?.code ?? 'NETWORK',
    vendor: 'email',
    retryable: known?.retryable ?? true,
    detail,
    cause,
  });
}
