import { describe, expect, it } from 'vitest';
import { promotionFields } from '../../../src/connectors/servicenow/outbound-promotion.ts';
import {
  ROUND_SETTLE_MS,
  roundOutcomes,
  roundSettled,
  roundNoteText,
  type RoundManifest,
} from '../../../src/orchestrator/round-note.ts';

const AT = new Date('2026-03-02T09:04:07.250Z');
const ME = '6816f79cc0a8016401c5a33be04be441';

describe('promotionFields', () => {
  it.each([
    ['proposed', '', { proposed_by: ME, proposed_on: '2026-03-02 09:04:07' }],
    ['accepted', 'proposed', { promoted_by: ME, promoted_on: '2026-03-02 09:04:07' }],
    ['accepted', '', { promoted_by: ME, promoted_on: '2026-03-02 09:04:07' }],
    ['accepted', 'accepted', {}],
    ['rejected', 'proposed', {}],
    ['canceled', 'accepted', {}],
  ])('moving to %s from %j writes %j', (next, current, want) => {
    expect(promotionFields({ major_incident_state: next }, current, ME, AT)).toEqual(want);
  });

  it('writes nothing for a write that does not touch major_incident_state', () => {
    expect(promotionFields({ impact: '1' }, 'proposed', ME, AT)).toEqual({});
  });
});

describe('a round settles', () => {
  const manifest: RoundManifest = {
    template: 'update',
    deliveries: [
      { id: 'a', who: 'A (Slack #a)' },
      { id: 'b', who: 'B (Teams)' },
    ],
  };
  const t0 = Date.parse('2026-03-02T09:05:00.000Z');
  const receipt = (id: string, at: number) => ({
    at: new Date(at).toISOString(),
    kind: 'action.completed',
    actor: { type: 'system' as const, id: 'servicenow' },
    detail: { do: 'servicenow.work_note', channel: `receipt/${id}`, line: `"T" to ${id}` },
  });

  it('never while nothing has settled, however long it has been', () => {
    expect(roundSettled(roundOutcomes(manifest, []), t0 + 10 * ROUND_SETTLE_MS)).toBe(false);
  });

  it('at once when every message settled; else ROUND_SETTLE_MS after the first', () => {
    const one = roundOutcomes(manifest, [receipt('a', t0)]);
    expect(roundSettled(one, t0 + ROUND_SETTLE_MS - 1)).toBe(false);
    expect(roundSettled(one, t0 + ROUND_SETTLE_MS)).toBe(true);
    expect(roundSettled(roundOutcomes(manifest, [receipt('a', t0), receipt('b', t0 + 1)]), t0 + 1)).toBe(true);
  });

  it('ignores receipts and dead letters of other rounds', () => {
    const other = {
      at: new Date(t0).toISOString(),
      kind: 'action.dead_lettered',
      actor: { type: 'system' as const, id: 'teams' },
      detail: { do: 'notify', jobId: 'c', code: 'UNAUTHORIZED' },
    };
    expect(roundOutcomes(manifest, [receipt('z', t0), other]).map((o) => o.kind)).toEqual(['pending', 'pending']);
  });

  it('counts a message to a target no process sends to as settled at once, and says so', () => {
    const withTargets: RoundManifest = {
      template: 'update',
      deliveries: [
        { id: 'a', who: 'A (Slack #a)', target: 'slack' },
        { id: 'e', who: 'E (email e@example.com)', target: 'email' },
      ],
    };
    const noEmail = (target: string) => target !== 'email';
    const waiting = roundOutcomes(withTargets, [], noEmail);
    expect(waiting.map((o) => o.kind)).toEqual(['pending', 'unsendable']);
    expect(roundSettled(waiting, t0 + 10 * ROUND_SETTLE_MS)).toBe(false);
    const done = roundOutcomes(withTargets, [receipt('a', t0)], noEmail);
    expect(roundSettled(done, t0)).toBe(true);
    expect(roundNoteText('update', done).split('\n')).toEqual([
      'mim-bridge sent the update messages of this round (1 of 2):',
      '- "T" to a',
      '- not sent to E (email e@example.com): email is not configured',
    ]);
    // No message of the round can be sent: the note is written at once, not retried until it dead-letters.
    expect(
      roundSettled(
        roundOutcomes(withTargets, [], () => false),
        t0,
      ),
    ).toBe(true);
  });
});
