import type { Client, SendRequestOptions } from 'jira.js/core';
import { ConnectorError } from '../connector-error.ts';
import { createHttpClient, send } from '../shared/axios-call.ts';
import type { ProxySettings } from '../shared/proxy-env.ts';
import type { Clock } from '../shared/retry-after.ts';

/**
 * Our transport under jira.js's endpoint functions (`createCloudClient` accepts any `Client`),
 * on the service's one HTTP stack (shared/axios-call.ts: proxy, TLS, timeouts, classification).
 * jira.js 6's own transport has no request timeout and exposes only 429's `Retry-After`; Jira
 * also sends `Retry-After` on some 503s and `X-RateLimit-Reset` on 429s, which the classifier
 * needs. https://developer.atlassian.com/cloud/jira/platform/rate-limiting/
 */

export interface JiraTransportOptions {
  readonly baseUrl: string;
  readonly email: string;
  readonly apiToken: string;
  readonly timeoutMs: number;
  readonly now: Clock;
  /** The outbound proxy; default: the process's HTTPS_PROXY, HTTP_PROXY and NO_PROXY. */
  readonly proxy?: ProxySettings;
}

type SearchParams = SendRequestOptions['searchParams'];

/** jira.js's serialisation: absent values dropped, arrays repeated, anything else stringified. */
export function buildUrl(baseUrl: string, path: string, searchParams: SearchParams): string {
  const url = new URL(path.startsWith('/') ? path : `/${path}`, baseUrl);
  for (const [key, value] of Object.entries(searchParams ?? {})) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values)
      if (v !== undefined && v !== null)
        url.searchParams.append(key, typeof v === 'object' ? JSON.stringify(v) : String(v));
  }
  return url.toString();
}

function parseJson(text: string, status: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ConnectorError({
      code: 'INVALID_RESPONSE',
      vendor: 'jira',
      retryable: false,
      status,
      detail: 'body is not JSON',
    });
  }
}

export function createJiraTransport(options: JiraTransportOptions): Client {
  const http = createHttpClient({
    timeoutMs: options.timeoutMs,
    auth: { username: options.email, password: options.apiToken },
    ...(options.proxy ? { proxy: options.proxy } : {}),
  });
  const boundary = { vendor: 'jira', now: options.now } as const;
  return {
    async sendRequest<T>(request: SendRequestOptions<T>): Promise<T> {
      const hasBody = request.body !== undefined && request.body !== null;
      // The body is read as text and parsed here, so a 2xx that is not JSON is INVALID_RESPONSE.
      const response = await send<string>(http, boundary, {
        url: buildUrl(options.baseUrl, request.url, request.searchParams),
        method: request.method ?? 'GET',
        headers: {
          ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
          ...request.headers,
        },
        data: hasBody ? JSON.stringify(request.body) : undefined,
        responseType: 'text',
        transformResponse: (data: unknown) => data,
      });
      const text = typeof response.data === 'string' ? response.data : '';
      if (response.status === 204 || text === '') return undefined as T;
      const data = parseJson(text, response.status);
      // jira.js's schemas are advisory (its default is to warn and return the body); ours decide.
      const checked = request.schema?.safeParse(data);
      return (checked?.success ? checked.data : data) as T;
    },
  };
}
