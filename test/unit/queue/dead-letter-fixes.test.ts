import { describe, expect, it } from 'vitest';
import { likelyFix } from '../../../src/queue/actions/dead-letter-fixes.ts';
import { groupDeadLetters } from '../../../src/queue/actions/dead-letter-groups.ts';
import type { DeadLetter } from '../../../src/queue/actions/dead-letters.ts';

/** The likely fix of the common vendor errors a dead letter carries, and the grouping of letters. */
describe('likelyFix', () => {
  it.each([
    ['slack', 'SLACK_CHANNEL_NOT_FOUND', /^channel not found: invite the bot .* audiences\.yaml$/],
    ['slack', 'SLACK_NOT_IN_CHANNEL', /not in the channel: invite it/],
    ['slack', 'SLACK_INVALID_AUTH', /SLACK_BOT_TOKEN/],
    ['slack', 'SLACK_MISSING_SCOPE', /chat:write/],
    ['slack', 'SLACK_SOMETHING_NEW', /^Slack answered something_new/],
    ['servicenow', 'UNAUTHORIZED', /SERVICENOW_USERNAME and SERVICENOW_PASSWORD/],
    ['jira', 'UNAUTHORIZED', /JIRA_EMAIL and JIRA_API_TOKEN/],
    ['email', 'UNAUTHORIZED', /SMTP_URL/],
    ['jira', 'FORBIDDEN', /project permission/],
    ['pagerduty', 'FORBIDDEN', /permissions behind the routing key/],
    ['email', 'FORBIDDEN', /554/],
    ['servicenow', 'NOT_FOUND', /record is gone/],
    ['jira', 'NOT_FOUND', /project or issue moved/],
    ['teams', 'NOT_FOUND', /webhook is gone/],
    ['teams', 'GONE', /Teams webhook is gone: create a new workflow webhook/],
    ['slack', 'GONE', /gone for good/],
    ['jira', 'UNPROCESSABLE', /mappings\.yaml/],
    ['jira', 'BAD_REQUEST', /required field/],
    ['servicenow', 'UNPROCESSABLE', /required field is missing/],
    ['pagerduty', 'BAD_REQUEST', /routing key/],
    ['email', 'BAD_REQUEST', /rejected the sender or a recipient/],
    ['pagerduty', 'RATE_LIMITED_PAST_HORIZON', /retry horizon: replay once it answers/],
    ['teams', 'INVALID_INPUT', /unset routing-key or webhook variable/],
    ['unknown', 'INVALID_JOB', /another version/],
    ['jira', 'NO_TRANSITION', /workflow/],
  ])('%s %s', (target, code, fix) => {
    expect(likelyFix(target, code)).toMatch(fix);
  });

  it('reads its tables by own keys only: a hostile target or code gets the generic answer', () => {
    expect(likelyFix('constructor', 'toString')).toBe('see the detail; fix the cause before replaying');
    expect(likelyFix('__proto__', 'SLACK_CONSTRUCTOR')).toMatch(/^Slack answered constructor/);
  });
});

const letter = (jobId: string, target: string, code: string, deadAt: string, channel?: string): DeadLetter => ({
  jobId,
  queue: `actions-${target}`,
  job: {
    majorIncidentId: 'MI-1',
    do: 'notify',
    target,
    effect: 'update',
    step: 0,
    round: 1,
    params: {},
    ...(channel ? { channel } : {}),
  } as DeadLetter['job'],
  code,
  attempts: 1,
  firstAttemptAt: deadAt,
  deadAt,
});

describe('groupDeadLetters', () => {
  it('one group per target and code, most recently seen first; a malformed job is target unknown', () => {
    const groups = groupDeadLetters([
      letter('c', 'slack', 'SLACK_CHANNEL_NOT_FOUND', '2026-01-01T09:03:00.000Z', '#b'),
      { ...letter('x', 'bogus', 'INVALID_JOB', '2026-01-01T09:02:30.000Z'), job: {} as DeadLetter['job'] },
      letter('b', 'slack', 'SLACK_CHANNEL_NOT_FOUND', '2026-01-01T09:02:00.000Z', '#a'),
      letter('a', 'slack', 'SLACK_CHANNEL_NOT_FOUND', '2026-01-01T09:01:00.000Z', '#a'),
    ]);
    expect(groups.map((g) => [g.target, g.code, g.count, g.firstSeen, g.lastSeen, g.channels, g.jobIds])).toEqual([
      [
        'slack',
        'SLACK_CHANNEL_NOT_FOUND',
        3,
        '2026-01-01T09:01:00.000Z',
        '2026-01-01T09:03:00.000Z',
        ['#b', '#a'],
        ['c', 'b', 'a'],
      ],
      ['unknown', 'INVALID_JOB', 1, '2026-01-01T09:02:30.000Z', '2026-01-01T09:02:30.000Z', [], ['x']],
    ]);
  });
});
