import type { Client, SendRequestOptions } from 'jira.js/core';
import { classifyHttpStatus, classifyTransportError } from '../classify-http-error.ts';
import { ConnectorError } from '../connector-error.ts';
import type { Clock } from '../shared/retry-after.ts';

/**
 * Our transport under jira.js's endpoint functions (`createCloudClient` accepts any `Client`).
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
  const authorization = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  return {
    async sendRequest<T>(request: SendRequestOptions<T>): Promise<T> {
      const url = buildUrl(options.baseUrl, request.url, request.searchParams);
      const hasBody = request.body !== undefined && request.body !== null;
      let response: Response;
      let text: string;
      try {
        response = await fetch(url, {
          method: request.method ?? 'GET',
          headers: {
            Accept: 'application/json',
            ...(hasBody ? { 'Content-Type': 'application/json' } : {}),
            ...request.headers,
            Authorization: authorization,
          },
          body: hasBody ? JSON.stringify(request.body) : undefined,
          redirect: 'manual',
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        text = await response.text();
      } catch (err) {
        throw classifyTransportError('jira', err);
      }
      if (!response.ok) {
        const body = text === '' ? undefined : text;
        throw classifyHttpStatus({
          vendor: 'jira',
          status: response.status,
          headers: response.headers,
          body,
          now: options.now,
        });
      }
      if (response.status === 204 || text === '') return undefined as T;
      const data = parseJson(text, response.status);
      // jira.js's schemas are advisory (its default is to warn and return the body); ours decide.
      const checked = request.schema?.safeParse(data);
      return (checked?.success ? checked.data : data) as T;
    },
  };
}
