import axios, { type AxiosInstance, type AxiosRequestConfig, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { classifyHttpStatus, classifyTransportError, errorDetail } from '../classify-http-error.ts';
import { ConnectorError, type ConnectorVendor } from '../connector-error.ts';
import type { Clock } from './retry-after.ts';

/**
 * The vendor boundary for axios-based connectors. Every status resolves (`validateStatus`), so
 * the status is checked before the body is read, and each failure is classified exactly once.
 */

export interface HttpClientOptions {
  readonly baseURL?: string;
  readonly timeoutMs: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly auth?: { readonly username: string; readonly password: string };
}

export function createHttpClient(options: HttpClientOptions): AxiosInstance {
  return axios.create({
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    headers: { Accept: 'application/json', ...options.headers },
    auth: options.auth,
    validateStatus: () => true,
    // A redirect to another host would resend credentials; vendors' APIs do not redirect.
    maxRedirects: 0,
    // axios would fall back to HTTP(S)_PROXY from the environment; connectors read no environment.
    proxy: false,
  });
}

export interface Boundary {
  readonly vendor: ConnectorVendor;
  readonly now: Clock;
}

/** Sends the request; resolves only on 2xx, otherwise throws a classified ConnectorError. */
export async function send<T = unknown>(
  http: AxiosInstance,
  boundary: Boundary,
  config: AxiosRequestConfig,
): Promise<AxiosResponse<T>> {
  let response: AxiosResponse<T>;
  try {
    response = await http.request<T>(config);
  } catch (err) {
    throw classifyTransportError(boundary.vendor, err);
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
