import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { classifyTransportError } from '../classify-http-error.ts';
import type { ConnectorVendor } from '../connector-error.ts';

/**
 * What every connection check (`src/connectors/<vendor>/check.ts`) answers: passed or failed,
 * what it saw in one secret-free line, and for a failure the fix an operator can act on. The
 * per-vendor files decide the call and the fix; `connectors/checks.ts` runs them.
 */

export interface CheckOutcome {
  readonly ok: boolean;
  /** What was checked and what came back: never a token, password or webhook URL. */
  readonly detail: string;
  /** For a failure: what to change, naming the setting. */
  readonly fix?: string;
  /** A stable code to branch on (`UNAUTHORIZED`, `ENOTFOUND`, `MISSING_SCOPE`, …). */
  readonly code?: string;
}

export const passed = (detail: string): CheckOutcome => ({ ok: true, detail });
export const failed = (code: string, detail: string, fix: string): CheckOutcome => ({ ok: false, code, detail, fix });

/** Settings a check names in its fixes: the URL variable and the credential variable(s). */
export interface CheckSettings {
  readonly vendor: ConnectorVendor;
  readonly urlVar: string;
  readonly credentialVars: string;
}

/**
 * A request that got no HTTP answer, as a fix: DNS names the URL variable, a refused or timed-out
 * connection the network path (a proxy, a firewall), TLS the CA bundle. Codes from Node's net/dns
 * and tls errors (https://nodejs.org/api/errors.html#common-system-errors).
 */
export function transportFailure(s: CheckSettings, err: unknown): CheckOutcome {
  const classified = classifyTransportError(s.vendor, err);
  // TLS codes (`DEPTH_ZERO_SELF_SIGNED_CERT`, `ERR_TLS_CERT_ALTNAME_INVALID`) are not E-codes: read them here.
  const code = errorCode(err) ?? classified.detail ?? classified.code;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return failed(code, 'the host name does not resolve', `check ${s.urlVar} (the host name) and DNS`);
  if (classified.code === 'TIMEOUT' || code === 'ECONNABORTED' || code === 'ABORT_ERR')
    return failed(
      'TIMEOUT',
      'no answer in time',
      `check that this host can reach ${s.urlVar} (firewall, HTTPS_PROXY), and that the address is right`,
    );
  if (/CERT|SELF_SIGNED|UNABLE_TO|ERR_TLS|EPROTO/.test(code))
    return failed(
      code,
      'the TLS handshake failed',
      `the certificate of ${s.urlVar} is not trusted here: add its CA with NODE_EXTRA_CA_CERTS`,
    );
  return failed(
    code,
    `no HTTP answer (${code})`,
    `check ${s.urlVar} and that this host can reach it (firewall, HTTPS_PROXY)`,
  );
}

/** The first string `code` down the cause chain (axios and fetch wrap the socket's error). */
function errorCode(err: unknown): string | undefined {
  let cursor: unknown = err;
  for (let depth = 0; cursor instanceof Error && depth < 5; depth += 1) {
    const { code } = cursor as { code?: unknown };
    if (typeof code === 'string' && code !== 'ERR_BAD_REQUEST' && code !== 'ECONNABORTED') return code;
    cursor = cursor.cause;
  }
  return undefined;
}

/** The fix for an HTTP status the vendor answered to an authenticated read. */
export function statusFailure(s: CheckSettings, status: number): CheckOutcome {
  if (status === 401)
    return failed('UNAUTHORIZED', 'HTTP 401', `the credentials in ${s.credentialVars} are wrong or expired`);
  if (status === 403)
    return failed(
      'FORBIDDEN',
      'HTTP 403',
      `the account of ${s.credentialVars} signs in but may not read this: give it the role the set-up guide lists`,
    );
  // A proxy that refuses our credentials answers 407 itself (RFC 9110 §15.5.8).
  if (status === 407)
    return failed('PROXY_AUTH', 'HTTP 407 from the proxy', 'the user or password in HTTPS_PROXY is wrong');
  if (status === 404)
    return failed('NOT_FOUND', 'HTTP 404', `${s.urlVar} does not point at the API: give the base address only`);
  if (status === 429 || status >= 500)
    return failed(
      status === 429 ? 'RATE_LIMITED' : 'UNAVAILABLE',
      `HTTP ${status}`,
      'the vendor is busy or down: try again later',
    );
  if (status >= 300 && status < 400)
    return failed('REDIRECT', `HTTP ${status}`, `${s.urlVar} redirects: give the address it redirects to`);
  return failed('UNEXPECTED_STATUS', `HTTP ${status}`, `check ${s.urlVar}`);
}

/** One request through the shared client; resolves with any HTTP answer, or with the transport failure. */
export async function request(
  http: AxiosInstance,
  s: CheckSettings,
  config: AxiosRequestConfig,
): Promise<AxiosResponse | CheckOutcome> {
  // axios's `timeout` is a socket's idle time; a request held at a proxy has no socket yet.
  const deadline = AbortSignal.timeout(http.defaults.timeout || 10_000);
  try {
    return await http.request({ ...config, signal: deadline });
  } catch (err) {
    return transportFailure(s, deadline.aborted ? deadline.reason : err);
  }
}

export const isOutcome = (value: AxiosResponse | CheckOutcome): value is CheckOutcome => 'ok' in value;
