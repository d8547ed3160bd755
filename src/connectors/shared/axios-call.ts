import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { classifyHttpStatus, classifyTransportError, errorDetail } from '../classify-http-error.ts';
import { ConnectorError, type ConnectorVendor } from '../connector-error.ts';
import { outboundProxySettings, routeRequest } from './proxy-agents.ts';
import type { ProxySettings } from './proxy-env.ts';
import type { Clock } from './retry-after.ts';

/**
 * The vendor boundary, and the one HTTP stack of the service: every connector (Jira's transport
 * under jira.js too) calls out through a client made here, so the proxy (proxy-agents.ts) and
 * TLS are set in one place. Every status resolves (`validateStatus`), so the status is checked
 * before the body is read, and each failure is classified exactly once.
 */

export interface HttpClientOptions {
  readonly baseURL?: string;
  readonly timeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth?: { readonly username: string; readonly password: string };
  /** The outbound proxy; default: HTTPS_PROXY, HTTP_PROXY and NO_PROXY of this process. */
  readonly proxy?: ProxySettings;
}

export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  const proxy = options.proxy ?? outboundProxySettings();
  const http = axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    headers: { Accept: 'application/json', ...options.headers },
    auth: options.auth,
    validateStatus: () => true,
    // A redirect to another host would resend credentials; vendors' APIs do not redirect.
    maxRedirects: 0,
    // The proxy is chosen per request below, by our NO_PROXY rules (curl's); axios's own reading
    // of the environment would apply different ones.
    proxy: false,
  });
  http.interceptors.request.use((config) => routeRequest(proxy, config, http));
  return http;
}

export interface Boundary {
  readonly vendor: ConnectorVendor;
  readonly now: Clock;
}

/** For a client made without a timeout: no call may hang for ever. */
const DEFAULT_DEADLINE_MS = 60_000;

/** Sends the request; resolves only on 2xx, otherwise throws a classified ConnectorError. */
export async function send<T = unknown>(
  http: AxiosInstance,
  boundary: Boundary,
  config: AxiosRequestConfig,
): Promise<AxiosResponse<T>> {
  // axios's `timeout` is the socket's idle time, and a request waiting on a proxy's CONNECT has no
  // socket yet: the deadline bounds the whole call, connection and body included.
  const deadline = AbortSignal.timeout(http.defaults.timeout || DEFAULT_DEADLINE_MS);
  let response: AxiosResponse<T>;
  try {
    response = await http.request<T>({ ...config, signal: deadline });
  } catch (err) {
    throw classifyTransportError(boundary.vendor, deadline.aborted ? deadline.reason : err);
  }
  if (response.status < 200 || response.status >= 300) {
    throw classifyHttpStatus({
      vendor: boundary.vendor,
      status: response.status,
      headers: response.headers,
      body: response.data,
      now: boundary.now,
    });
  }
  return response;
}

/** A 2xx body that does not match what the vendor documents: permanent, with the zod paths as detail. */
export function parseBody<S extends z.ZodType>(
  vendor: ConnectorVendor,
  schema: S,
  body: unknown,
  status?: number,
): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const paths = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
  throw new ConnectorError({
    code: 'INVALID_RESPONSE',
    vendor,
    retryable: false,
    status,
    detail: errorDetail(`unexpected body at ${paths}`),
  });
}
