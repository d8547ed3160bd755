import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { parse } from 'yaml';
import { ActionsSettings, RulesFile } from '../../../src/config/files/schema-rules.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { TARGETS } from '../../../src/domain/action.ts';
import {
  ACTION_JOB_OPTIONS,
  actionWorkerLimits,
  DEFAULT_RATE_LIMITS,
} from '../../../src/queue/actions/action-queues.ts';
import { attemptsFor, DEFAULT_RETRY_POLICY, retryPolicyFrom } from '../../../src/queue/actions/retry-policy.ts';
import { CHANNEL_LIMITS } from '../../../src/queue/actions/channel-gate.ts';

const minimalRules = { rules: [{ id: 'r', description: 'd', when: 'true', then: 'propose' }], playbooks: {} };
const silent = createLogger('silent');

function issuePaths(input: unknown): string[] {
  const result = ActionsSettings.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join('.'));
}

describe('rules.yaml actions: retry policy and rate limits', () => {
  it('defaults to the built-in limits and policy when the section is absent', () => {
    const { actions } = RulesFile.parse(minimalRules);
    for (const target of TARGETS)
      expect(actionWorkerLimits(actions, target, silent), target).toEqual({
        limiter: DEFAULT_RATE_LIMITS[target],
        policy: DEFAULT_RETRY_POLICY,
      });
  });

  it('fills every target and retry key left out, and converts durations to milliseconds', () => {
    const actions = ActionsSettings.parse({ retry: { horizon: '48h' }, rateLimits: { jira: { max: 5, per: '2s' } } });
    expect(retryPolicyFrom(actions.retry)).toEqual({ ...DEFAULT_RETRY_POLICY, horizonMs: 48 * 3600_000 });
    expect(actionWorkerLimits(actions, 'jira', silent).limiter).toEqual({ max: 5, duration: 2_000 });
    expect(actionWorkerLimits(actions, 'slack', silent).limiter).toEqual(DEFAULT_RATE_LIMITS.slack);
  });

  it('shows the defaults in the commented block of config/rules.yaml', () => {
    const text = readFileSync('config/rules.yaml', 'utf8');
    const block = text
      .slice(text.indexOf('# actions:'))
      .split('\n')
      .map((l) => l.replace(/^# ?/, ''))
      .join('\n');
    const shown = parse(block) as { actions: unknown };
    expect(shown.actions).toEqual(RulesFile.parse(minimalRules).actions);
  });

  it('logs the limits a worker starts with', () => {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      {},
      new Writable({
        write(chunk, _e, cb) {
          lines.push(String(chunk));
          cb();
        },
      }),
    );
    actionWorkerLimits(ActionsSettings.parse({ rateLimits: { teams: { max: 2, per: '1s' } } }), 'teams', logger);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ target: 'teams', limiter: { max: 2, duration: 1_000 }, policy: DEFAULT_RETRY_POLICY }),
    ]);
  });

  it('keeps the default rate limits below the vendor limits in VENDOR-NOTES.md', () => {
    const perSecond = (t: keyof typeof DEFAULT_RATE_LIMITS) =>
      DEFAULT_RATE_LIMITS[t].max / (DEFAULT_RATE_LIMITS[t].duration / 1_000);
    expect(perSecond('pagerduty')).toBeLessThan(120 / 60);
    // Slack's limit is per channel: CHANNEL_LIMITS holds each channel to 1/s under the queue's ceiling.
    expect(CHANNEL_LIMITS.slack).toEqual({ points: 1, seconds: 1 });
    expect(perSecond('slack')).toBeLessThanOrEqual(5);
    expect(perSecond('teams')).toBeLessThan(4);
  });

  it.each([
    [{ retry: { horizon: '30s' } }, 'retry.horizon'],
    [{ retry: { base: '50ms' } }, 'retry.base'],
    [{ retry: { base: '1m', cap: '10s' } }, 'retry.cap'],
    [{ retry: { base: 'soon' } }, 'retry.base'],
    [{ retry: { jitter: true } }, 'retry'],
    [{ rateLimits: { jira: { max: 0, per: '1s' } } }, 'rateLimits.jira.max'],
    [{ rateLimits: { jira: { max: 1.5, per: '1s' } } }, 'rateLimits.jira.max'],
    [{ rateLimits: { jira: { max: 1, per: '0s' } } }, 'rateLimits.jira.per'],
    [{ rateLimits: { jira: { max: 1 } } }, 'rateLimits.jira.per'],
    [{ rateLimits: { github: { max: 1, per: '1s' } } }, 'rateLimits'],
    [{ limits: {} }, ''],
  ])('rejects %j at %s', (input, path) => {
    expect(issuePaths(input)).toEqual([path]);
  });

  it('gives jobs enough attempts that the horizon ends retrying, even at the smallest base allowed', () => {
    const smallest = retryPolicyFrom(
      ActionsSettings.parse({ retry: { base: '100ms', cap: '100ms', horizon: '365d' } }).retry,
    );
    expect(ACTION_JOB_OPTIONS.attempts).toBeGreaterThanOrEqual(attemptsFor(smallest));
    expect(ACTION_JOB_OPTIONS.attempts).toBeGreaterThanOrEqual(attemptsFor(DEFAULT_RETRY_POLICY));
  });

  it('accepts the smallest values allowed', () => {
    expect(
      issuePaths({
        retry: { base: '100ms', cap: '100ms', horizon: '1m' },
        rateLimits: { email: { max: 1, per: '1ms' } },
      }),
    ).toEqual([]);
  });
});
