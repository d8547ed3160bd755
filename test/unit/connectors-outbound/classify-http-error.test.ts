import { AxiosError } from 'axios';
import { describe, expect, it } from 'vitest';
import {
  classifyHttpStatus,
  classifyTransportError,
  DETAIL_MAX_LENGTH,
} from '../../../src/connectors/classify-http-error.ts';

const now = () => Date.parse('2025-06-01T12:00:00.000Z');
const classify = (status: number, headers: Record<string, string> = {}, body?: unknown) =>
  classifyHttpStatus({ vendor: 'jira', status, headers, body, now });

describe('classifyHttpStatus', () => {
  it.each([
    [400, 'BAD_REQUEST', false],
    [401, 'UNAUTHORIZED', false],
    [403, 'FORBIDDEN', false],
    [404, 'NOT_FOUND', false],
    [405, 'CLIENT_ERROR', false],
    [408, 'TIMEOUT', true],
    [409, 'CONFLICT', true],
    [410, 'GONE', false],
    [413, 'PAYLOAD_TOO_LARGE', false],
    [418, 'CLIENT_ERROR', false],
    [422, 'UNPROCESSABLE', false],
    [425, 'TOO_EARLY', true],
    [429, 'RATE_LIMITED', true],
    [500, 'SERVER_ERROR', true],
    [502, 'SERVER_ERROR', true],
    [503, 'UNAVAILABLE', true],
    [504, 'SERVER_ERROR', true],
    [599, 'SERVER_ERROR', true],
    [302, 'UNEXPECTED_STATUS', false],
    [101, 'UNEXPECTED_STATUS', false],
  ] as const)('%i → %s, retryable %s', (status, code, retryable) => {
    expect(classify(status)).toMatchObject({ name: 'ConnectorError', vendor: 'jira', status, code, retryable });
  });

  it('honours Retry-After on 429 and 503 only', () => {
    expect(classify(429, { 'Retry-After': '3' }).retryAfterMs).toBe(3_000);
    expect(classify(503, { 'retry-after': 'Sun, 01 Jun 2025 12:00:04 GMT' }).retryAfterMs).toBe(4_000);
    expect(classify(500, { 'Retry-After': '3' }).retryAfterMs).toBeUndefined();
    expect(classify(400, { 'Retry-After': '3' }).retryAfterMs).toBeUndefined();
  });

  it('keeps a short vendor detail, never deciding on it', () => {
    const err = classify(400, {}, { errors: { summary: 'x'.repeat(2_000) } });
    expect(err.detail?.length).toBe(DETAIL_MAX_LENGTH + 1);
    expect(err.retryable).toBe(false);
  });
});

describe('classifyTransportError', () => {
  it('an AbortSignal timeout is TIMEOUT', () => {
    const err = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyTransportError('jira', err)).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('fetch failures are read through their cause chain', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(classifyTransportError('jira', err)).toMatchObject({
      code: 'NETWORK',
      retryable: true,
      detail: 'ECONNREFUSED',
    });
    const headers = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'UND_ERR_HEADERS_TIMEOUT' }),
    });
    expect(classifyTransportError('jira', headers)).toMatchObject({ code: 'TIMEOUT' });
  });

  it('an axios timeout is TIMEOUT and its request config (with credentials) is not kept', () => {
    const axiosErr = new AxiosError('timeout of 10ms exceeded', 'ECONNABORTED', {
      headers: { Authorization: 'Basic c2VjcmV0' },
    } as never);
    const err = classifyTransportError('servicenow', axiosErr);
    expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(JSON.stringify({ err, cause: String(err.cause), keys: Object.keys(err.cause as object) })).not.toContain(
      'c2VjcmV0',
    );
  });

  it('anything else without an HTTP answer is NETWORK', () => {
    expect(classifyTransportError('slack', new Error('weird'))).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(classifyTransportError('slack', 'not even an error')).toMatchObject({ code: 'NETWORK', retryable: true });
  });
});
