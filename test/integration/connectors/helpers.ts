import { readFileSync } from 'node:fs';
import nock from 'nock';
import { pino } from 'pino';
import { afterEach, beforeEach, expect } from 'vitest';
import type { CallMeta, ConnectorDeps } from '../../../src/connectors/instrument.ts';

/** A fixed instant, so HTTP-date Retry-After values give exact milliseconds. */
export const NOW = Date.parse('2025-06-01T12:00:00.000Z');
export const META: CallMeta = { incidentId: 'MI-2025-0042', jobId: 'job-1' };
export const deps = (): ConnectorDeps => ({ logger: pino({ level: 'silent' }), now: () => NOW });

/** Every test runs with the network closed; every interceptor it sets up must be used. */
export function useNock(): void {
  beforeEach(() => {
    nock.disableNetConnect();
  });
  afterEach(() => {
    const pending = nock.pendingMocks();
    // A delayed reply to a request we timed out must not land after the test (undici asserts on it).
    nock.abortPendingRequests();
    nock.cleanAll();
    nock.enableNetConnect();
    expect(pending).toEqual([]);
  });
}

export function responseFixture(vendor: 'jira' | 'servicenow' | 'slack', name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${vendor}/${name}.response.json`, import.meta.url), 'utf8'));
}

/** Runs `fn`, expecting a rejection, and returns what it rejected with. */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await fn();
  } catch (err) {
    return err as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

/** nock 15 needs a real Error (a plain object never reaches the client, which then times out). */
export function socketError(code: string): Error {
  return Object.assign(new Error(`socket error ${code}`), { code });
}
