import { describe, expect, it } from 'vitest';
import { TRIGGERS, lifecycleMermaid, reopenDecision, transition, type LifecycleState, type TriggerType } from '../../../src/domain/lifecycle.ts';

/**
 * The expected lifecycle, written out by hand (not derived from the implementation): for each
 * state, the triggers that move it and where to; `=` marks a harmless repeat; every trigger not
 * listed must be refused.
 */
const EXPECTED: Record<LifecycleState, Record<string, string>> = {
  none: { 'rule.propose': 'candidate', 'rule.declare': 'declared', 'source.major_proposed': 'candidate', 'source.major_accepted': 'declared', 'manual.declare': 'declared' },
  candidate: {
    'rule.propose': '=', 'rule.declare': 'declared', 'source.major_proposed': '=', 'source.major_accepted': 'declared',
    'source.major_rejected': 'rejected', 'source.major_canceled': 'canceled', 'source.resolved': 'canceled', 'source.closed': 'canceled',
    'source.canceled': 'canceled', 'source.reopened': '=', 'manual.declare': 'declared', 'manual.cancel': 'canceled',
  },
  declared: {
    'rule.propose': '=', 'rule.declare': '=', 'source.major_proposed': '=', 'source.major_accepted': '=', 'source.major_canceled': 'canceled',
    'source.resolved': 'resolved', 'source.closed': 'closed', 'source.canceled': 'canceled', 'source.reopened': '=',
    'manual.declare': '=', 'manual.resolve': 'resolved', 'manual.cancel': 'canceled', 'manual.close': 'closed',
  },
  resolved: {
    'source.major_accepted': '=', 'source.resolved': '=', 'source.closed': 'closed', 'source.reopened': 'declared',
    'manual.declare': 'declared', 'manual.resolve': '=', 'manual.close': 'closed', 'pir.completed': 'closed',
  },
  closed: { 'source.resolved': '=', 'source.closed': '=', 'manual.close': '=', 'pir.completed': '=' },
  rejected: {
    'rule.propose': '=', 'rule.declare': '=', 'source.major_rejected': '=', 'source.major_proposed': 'candidate',
    'source.major_accepted': 'declared', 'source.resolved': '=', 'source.closed': '=', 'manual.declare': 'declared',
  },
  canceled: {
    'rule.propose': '=', 'rule.declare': '=', 'source.major_canceled': '=', 'source.canceled': '=', 'source.resolved': '=',
    'source.closed': '=', 'manual.cancel': '=',
  },
};

const cases = (Object.keys(EXPECTED) as LifecycleState[]).flatMap((state) => TRIGGERS.map((trigger) => [state, trigger] as const));

describe('transition: every state × trigger', () => {
  it.each(cases)('%s + %s', (state: LifecycleState, trigger: TriggerType) => {
    const expected = EXPECTED[state][trigger];
    const result = transition(state, trigger);
    if (expected === undefined) {
      expect(result).toMatchObject({ ok: false, code: 'ILLEGAL_TRANSITION', from: state, trigger });
    } else if (expected === '=') {
      expect(result).toEqual({ ok: true, from: state, to: state, changed: false, effects: [] });
    } else {
      expect(result).toMatchObject({ ok: true, from: state, to: expected, changed: true });
    }
  });
});

describe('effects', () => {
  it('declaring, re-opening, resolving and closing name what the playbooks do', () => {
    expect(transition('none', 'rule.declare')).toMatchObject({ effects: ['declare'] });
    expect(transition('candidate', 'source.major_accepted')).toMatchObject({ effects: ['declare'] });
    expect(transition('resolved', 'source.reopened')).toMatchObject({ effects: ['reopen'] });
    expect(transition('declared', 'source.resolved')).toMatchObject({ effects: ['resolve'] });
    expect(transition('declared', 'manual.close')).toMatchObject({ effects: ['resolve', 'close'] });
    expect(transition('resolved', 'pir.completed')).toMatchObject({ effects: ['close'] });
    expect(transition('candidate', 'source.major_rejected')).toMatchObject({ effects: ['reject'] });
    expect(transition('none', 'rule.propose')).toMatchObject({ effects: ['propose'] });
  });
});

describe('reopenDecision', () => {
  const resolved = new Date('2026-11-20T10:00:00Z');
  it('re-opens within the window, inclusive', () => {
    expect(reopenDecision(resolved, new Date('2026-11-20T10:59:59Z'), 60)).toBe('reopen');
    expect(reopenDecision(resolved, new Date('2026-11-20T11:00:00Z'), 60)).toBe('reopen');
  });
  it('starts a new linked major incident after it', () => {
    expect(reopenDecision(resolved, new Date('2026-11-20T11:00:00.001Z'), 60)).toBe('new-linked');
  });
});

describe('lifecycleMermaid', () => {
  it('draws every move of the table', () => {
    const diagram = lifecycleMermaid();
    for (const [state, row] of Object.entries(EXPECTED)) {
      for (const [trigger, target] of Object.entries(row)) {
        if (target === '=') continue;
        expect(diagram).toMatch(new RegExp(`  ${state} --> ${target}: .*${trigger.replace('.', '\\.')}`));
      }
    }
  });
});

describe('docs/rules.md', () => {
  it('embeds the diagram generated from the table', async () => {
    const { readFileSync } = await import('node:fs');
    expect(readFileSync('docs/rules.md', 'utf8')).toContain(`\`\`\`mermaid\n${lifecycleMermaid()}\n\`\`\``);
  });
});
