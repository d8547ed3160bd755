import { describe, expect, it } from 'vitest';
import { parseEncodedQuery, runQuery } from '../../../sandbox/servicenow/query.ts';
import { createIncidentTable, type Write } from '../../../sandbox/servicenow/table.ts';
import { webhookBody } from '../../../sandbox/servicenow/webhook.ts';

const table = () =>
  createIncidentTable({ now: () => new Date('2025-03-04T09:12:44Z'), references: { g1: 'Payroll Support' } });
const ok = (out: ReturnType<ReturnType<typeof table>['insert']>): Write => {
  if (!out.ok) throw new Error(out.detail);
  return out.write;
};

describe('servicenow encoded queries', () => {
  it('parses the sweep query mim-bridge sends', () => {
    const parsed = parseEncodedQuery(
      "sys_updated_on>=javascript:gs.dateGenerate('2025-03-04','09:00:00')^ORDERBYsys_updated_on^ORDERBYsys_id",
    );
    expect(parsed).toEqual({
      ok: true,
      query: {
        conditions: [{ field: 'sys_updated_on', op: '>=', value: '2025-03-04 09:00:00' }],
        order: [
          { field: 'sys_updated_on', desc: false },
          { field: 'sys_id', desc: false },
        ],
      },
    });
  });

  it.each([
    'short_descriptionLIKEpay',
    'state=1^ORstate=2',
    'sys_updated_on>=javascript:gs.daysAgo(1)',
    'stateISEMPTYx',
    '=1',
  ])('rejects %s', (q) => {
    expect(parseEncodedQuery(q).ok).toBe(false);
  });

  it('filters with AND and orders, DESC too', () => {
    const t = table();
    ok(t.insert({ short_description: 'a', impact: '1' }, 'u'));
    ok(t.insert({ short_description: 'b', impact: '1', correlation_id: 'MI-1' }, 'u'));
    ok(t.insert({ short_description: 'c', impact: '2', correlation_id: 'MI-1' }, 'u'));
    const run = (q: string) => {
      const p = parseEncodedQuery(q);
      if (!p.ok) throw new Error(p.detail);
      return runQuery(t.all(), p.query).map((r) => r.short_description);
    };
    expect(run('correlation_id=MI-1^impact=1')).toEqual(['b']);
    expect(run('impact>=1^ORDERBYDESCshort_description')).toEqual(['c', 'b', 'a']);
    expect(run('correlation_idISEMPTY')).toEqual(['a']);
    expect(run('sys_updated_on>=2025-03-04 09:12:45')).toEqual([]);
  });
});

describe('servicenow table and the business rule body', () => {
  it('classifies writes as the rule does: insert, update, comment, work_note', () => {
    const t = table();
    const created = ok(t.insert({ short_description: 'x', assignment_group: 'Payroll Support' }, 'fred'));
    const id = created.record.sys_id!;
    expect(created.record.assignment_group).toBe('g1');
    const body = webhookBody(t, created);
    expect(body.event).toBe('insert');
    expect(body.record.assignment_group).toEqual({ value: 'g1', display_value: 'Payroll Support' });
    expect(webhookBody(t, ok(t.update(id, { comments: 'hi' }, 'fred')))).toMatchObject({
      event: 'comment',
      record: { comments: 'hi', sys_mod_count: '1' },
    });
    expect(webhookBody(t, ok(t.update(id, { work_notes: 'psst' }, 'fred'))).event).toBe('work_note');
    expect(webhookBody(t, ok(t.update(id, { work_notes: 'a', comments: 'b' }, 'fred'))).event).toBe('update');
    const upd = webhookBody(t, ok(t.update(id, { urgency: '1', comments: 'raised' }, 'fred')));
    expect(upd.event).toBe('update');
    expect(upd.changed).toEqual(expect.arrayContaining(['urgency', 'priority', 'comments']));
    expect(t.journal(id).map((e) => e.text)).toEqual(['hi', 'psst', 'a', 'b', 'raised']);
  });

  it('keeps close info once set, so closing a resolved incident needs no new close fields', () => {
    const t = table();
    const id = ok(t.insert({}, 'u')).record.sys_id!;
    expect(t.update(id, { state: '7' }, 'u')).toMatchObject({ ok: false, status: 403 });
    ok(t.update(id, { state: '6', close_code: 'Solution provided', close_notes: 'n' }, 'u'));
    expect(ok(t.update(id, { state: '7' }, 'u')).record).toMatchObject({
      state: '7',
      active: 'false',
      sys_mod_count: '2',
    });
    expect(t.update(id, { close_code: 'Because' }, 'u')).toMatchObject({ ok: false, status: 400 });
  });
});
