import { afterEach, describe, expect, it } from 'vitest';
import { createServicenowClient } from '../../../src/connectors/servicenow/outbound.ts';
import { createServicenowTicketing } from '../../../src/connectors/servicenow/outbound-ticketing.ts';
import { normalizeServicenow, verifyServicenow } from '../../../src/connectors/servicenow/inbound.ts';
import type { NormalizeResult } from '../../../src/connectors/inbound-source.ts';
import { createServicenowSim, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import { deps, META } from '../connectors/helpers.ts';
import { startReceiver, type Receiver } from './servicenow-receiver.ts';

const USER = 'mim.integration';
const PASSWORD = 'sn-sandbox-password';
const SECRET = 'sn-webhook-secret';
const GROUP = 'a715cd759f2002002920bde8132e7018';
const auth = (u = USER, p = PASSWORD) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

let sim: ServicenowSim;
let receiver: Receiver | undefined;

async function start(extra: Parameters<typeof createServicenowSim>[0] = {}, statuses: number[] = []) {
  receiver = await startReceiver(statuses);
  sim = createServicenowSim({
    users: { [USER]: PASSWORD },
    webhook: { url: receiver.url, secret: SECRET },
    references: { [GROUP]: 'Payroll Support' },
    webhookBackoffMs: 10,
    ...extra,
  });
  await sim.listen();
  return createServicenowClient({ baseUrl: sim.url(), username: USER, password: PASSWORD, timeoutMs: 2_000 }, deps());
}

afterEach(async () => {
  await sim?.close();
  await receiver?.close();
  receiver = undefined;
});

/** Vendor JSON as assertions read it. */
// biome-ignore lint/suspicious/noExplicitAny: assertions walk vendor JSON of many shapes
const json = async (res: Response): Promise<any> => res.json();
const call = (path: string, init: RequestInit = {}) =>
  fetch(`${sim.url()}${path}`, {
    ...init,
    headers: { 'content-type': 'application/json', authorization: auth(), ...init.headers },
  });
const events = () => receiver!.received.map((r) => normalizeServicenow(JSON.parse(r.rawBody.toString()), r));
const eventOf = (n: NormalizeResult) => (n.kind === 'event' ? n.event : undefined);

describe('servicenow simulator: what the Table API rejects', () => {
  it("answers 401 without or with wrong credentials, in ServiceNow's error shape", async () => {
    await start();
    for (const authorization of ['', auth(USER, 'wrong')]) {
      const res = await fetch(`${sim.url()}/api/now/table/incident`, { headers: { authorization } });
      expect(res.status).toBe(401);
      expect(await json(res)).toEqual({
        error: { message: 'User Not Authenticated', detail: 'Required to provide Auth information' },
        status: 'failure',
      });
    }
  });

  it('answers 404 for an unknown sys_id', async () => {
    await start();
    const res = await call('/api/now/table/incident/0123456789abcdef0123456789abcdef');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { message: 'No Record found' }, status: 'failure' });
  });

  it('refuses to resolve without close_code and close_notes (data policy: 403), and accepts it with them', async () => {
    await start();
    const created = await json(
      await call('/api/now/table/incident', { method: 'POST', body: JSON.stringify({ short_description: 'x' }) }),
    );
    const sysId = created.result.sys_id as string;
    const bad = await call(`/api/now/table/incident/${sysId}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: '6' }),
    });
    expect(bad.status).toBe(403);
    expect(await json(bad)).toMatchObject({
      error: { message: 'Operation Failed', detail: expect.stringContaining('Data Policy Exception') },
      status: 'failure',
    });
    expect(sim.record(sysId)?.state).toBe('1');
    const good = await call(`/api/now/table/incident/${sysId}`, {
      method: 'PATCH',
      body: JSON.stringify({ state: '6', close_code: 'Solution provided', close_notes: 'Fixed' }),
    });
    expect(good.status).toBe(200);
    expect(sim.record(sysId)).toMatchObject({ state: '6', sys_mod_count: '1', sys_updated_by: USER });
  });

  it.each([
    [{ state: '4' }],
    [{ impact: '0' }],
    [{ urgency: 'high' }],
    [{ major_incident_state: 'maybe' }],
    [{ parent_incident: '0123456789abcdef0123456789abcdef' }],
  ])('rejects %j with 400', async (fields) => {
    await start();
    const res = await call('/api/now/table/incident', { method: 'POST', body: JSON.stringify(fields) });
    expect(res.status).toBe(400);
    expect((await json(res)).status).toBe('failure');
    expect(sim.records()).toEqual([]);
  });

  it(
    'derives priority from impact × urgency, ignores a written priority and unknown columns, stores ' + 'strings',
    async () => {
      await start();
      const res = await call('/api/now/table/incident', {
        method: 'POST',
        body: JSON.stringify({ impact: 1, urgency: '2', priority: '5', u_nonsense: 'x' }),
      });
      expect(res.status).toBe(201);
      const { result } = await json(res);
      expect(result).toMatchObject({
        impact: '1',
        urgency: '2',
        priority: '2',
        sys_mod_count: '0',
        sys_created_by: USER,
      });
      expect(result.sys_id).toMatch(/^[0-9a-f]{32}$/);
      expect(result.number).toMatch(/^INC00\d{5}$/);
      expect(result.sys_updated_on).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(result).not.toHaveProperty('u_nonsense');
    },
  );

  it('answers 400 to an encoded query it does not support', async () => {
    await start();
    const res = await call('/api/now/table/incident?sysparm_query=short_descriptionLIKEpayroll');
    expect(res.status).toBe(400);
    expect((await json(res)).error.message).toBe('Invalid query');
  });
});

describe('servicenow simulator: what mim-bridge sends, through the real connector', () => {
  it(
    'ensureTicket, notes, status changes and linkChild all succeed and leave the record as ServiceNow ' + 'would',
    async () => {
      const client = await start();
      const ticketing = createServicenowTicketing(client);
      const first = await ticketing.ensureTicket(
        { summary: 'Payroll down', description: 'All users', priority: 1, target: GROUP },
        META,
      );
      expect(first.created).toBe(true);
      const again = await ticketing.ensureTicket(
        { summary: 'Payroll down', description: 'All users', priority: 1, target: GROUP },
        META,
      );
      expect(again).toEqual({ ...first, created: false });
      const record = sim.record(first.ticket.id)!;
      expect(record).toMatchObject({
        correlation_id: 'MI-2025-0042',
        correlation_display: 'mim-bridge',
        impact: '1',
        urgency: '1',
        priority: '1',
        assignment_group: GROUP,
      });
      expect(first.ticket.key).toBe(record.number);

      await ticketing.addNote(first.ticket, { text: 'Internal note', visibility: 'internal' }, META);
      await ticketing.addNote(first.ticket, { text: 'Customer update', visibility: 'public' }, META);
      expect(sim.journal(first.ticket.id).map((e) => [e.field, e.text, e.author])).toEqual([
        ['work_notes', 'Internal note', USER],
        ['comments', 'Customer update', USER],
      ]);
      expect((await client.getIncident(first.ticket.id, META)).work_notes).toBe('');

      const child = sim.act({ as: 'fred.luddy' }).create({ short_description: 'Cannot open payslip' });
      await ticketing.linkChild(first.ticket, child.sys_id!, META);
      expect(sim.record(child.sys_id!)?.parent_incident).toBe(first.ticket.id);

      await ticketing.setStatus(first.ticket, 'in_progress', META);
      await ticketing.setStatus(first.ticket, 'resolved', META);
      await ticketing.setStatus(first.ticket, 'closed', META);
      expect(sim.record(first.ticket.id)).toMatchObject({
        state: '7',
        close_code: 'Solution provided',
        sys_updated_by: USER,
      });
    },
  );

  it('the reconciliation sweep pages through updated rows oldest first with display values', async () => {
    let clock = Date.parse('2025-03-04T09:00:00Z');
    const client = await start({ now: () => new Date(clock) });
    const person = sim.act({ as: 'fred.luddy' });
    const a = person.create({ short_description: 'A', assignment_group: 'Payroll Support' });
    clock += 60_000;
    const b = person.create({ short_description: 'B' });
    clock += 60_000;
    person.comment(a.sys_id!, 'later');
    const rows = await client.listUpdatedSince({ since: '2025-03-04 09:01:00', limit: 10, offset: 0 }, META);
    expect(rows.map((r) => (r.sys_id as { value: string }).value)).toEqual([b.sys_id, a.sys_id]);
    expect(rows[1]?.assignment_group).toEqual({ value: GROUP, display_value: 'Payroll Support' });
    expect(rows[1]?.state).toEqual({ value: '1', display_value: 'New' });
    expect(await client.listUpdatedSince({ since: '2025-03-04 09:01:00', limit: 1, offset: 1 }, META)).toHaveLength(1);
    expect(await client.listUpdatedSince({ since: '2025-03-04 09:03:00', limit: 10, offset: 0 }, META)).toEqual([]);
    const row = await client.getIncidentRow(a.sys_id!, META);
    expect(row.number).toEqual({ value: a.number, display_value: a.number });
  });
});

describe('servicenow simulator: faults', () => {
  it(
    "a 429 from the base's fault injection reaches the real client as retryable, and a retry leaves exactly one " +
      'record',
    async () => {
      const client = await start();
      const ticketing = createServicenowTicketing(client);
      sim.inject({ kind: 'rate_limit', count: 1, path: /^\/api\/now\/table\/incident$/, retryAfterSeconds: 2 });
      const ticket = { summary: 'x', description: 'y', priority: 2 as const };
      await expect(ticketing.ensureTicket(ticket, META)).rejects.toMatchObject({
        code: 'RATE_LIMITED',
        retryable: true,
        retryAfterMs: 2_000,
      });
      expect((await ticketing.ensureTicket(ticket, META)).created).toBe(true);
      expect((await ticketing.ensureTicket(ticket, META)).created).toBe(false);
      expect(sim.records()).toHaveLength(1);
    },
  );
});

describe('servicenow simulator: webhooks as the business rule sends them', () => {
  it(
    "signs every insert and update, people's and mim-bridge's own (the echo), and the real intake verifies and " +
      'normalizes them',
    async () => {
      const client = await start();
      const person = sim.act({ as: 'fred.luddy' });
      const inc = person.create({
        short_description: 'Payroll portal 500',
        impact: '1',
        urgency: '1',
        assignment_group: GROUP,
      });
      person.update(inc.sys_id!, { major_incident_state: 'proposed' });
      person.comment(inc.sys_id!, 'We are on it');
      person.workNote(inc.sys_id!, 'DB failover started');
      await client.addWorkNote(inc.sys_id!, 'mim-bridge mirrored a note', META);
      await sim.webhooksIdle();

      expect(receiver!.received).toHaveLength(5);
      for (const r of receiver!.received) {
        expect(verifyServicenow(r, [SECRET])).toBe(true);
        expect(verifyServicenow(r, ['another-secret'])).toBe(false);
      }
      const [created, proposed, comment, note, echo] = events().map(eventOf);
      expect(created).toMatchObject({
        kind: 'incident.created',
        recordId: inc.sys_id,
        priority: 1,
        updatedBy: 'fred.luddy',
        assignmentGroup: 'Payroll Support',
      });
      expect(proposed).toMatchObject({
        kind: 'incident.updated',
        majorIncidentState: 'proposed',
        changedFields: expect.arrayContaining(['major_incident_state']),
      });
      expect(comment).toMatchObject({
        kind: 'comment.created',
        comment: { body: 'We are on it', visibility: 'public', author: 'fred.luddy' },
      });
      expect(note).toMatchObject({
        kind: 'comment.created',
        comment: { body: 'DB failover started', visibility: 'internal' },
      });
      expect(echo).toMatchObject({
        kind: 'comment.created',
        updatedBy: USER,
        comment: { body: 'mim-bridge mirrored a note' },
      });
      expect(new Set(events().map((e) => eventOf(e)?.deliveryId)).size).toBe(5);
    },
  );

  it("with integrationUser set, mim-bridge's own writes are not sent (the rule's condition)", async () => {
    const client = await start({ integrationUser: USER });
    const inc = sim.act({ as: 'fred.luddy' }).create({ short_description: 'x' });
    await client.addComment(inc.sys_id!, 'from mim-bridge', META);
    await sim.webhooksIdle();
    expect(receiver!.received).toHaveLength(1);
  });

  it(
    'retries a delivery the intake answers 503, and records one it never accepts without failing the ' + 'write',
    async () => {
      await start({ webhookRetries: 2 }, [503, 200, 503, 503, 503]);
      const person = sim.act({ as: 'fred.luddy' });
      const inc = person.create({ short_description: 'x' });
      person.comment(inc.sys_id!, 'second');
      await sim.webhooksIdle();
      expect(sim.deliveries.map((d) => [d.ok, d.attempts.map((a) => a.status)])).toEqual([
        [true, [503, 200]],
        [false, [503, 503, 503]],
      ]);
      expect(sim.record(inc.sys_id!)?.sys_mod_count).toBe('1');
    },
  );

  it('records a delivery to an intake that is down and keeps answering the Table API', async () => {
    await start({ webhookRetries: 1 });
    await receiver!.close();
    const inc = sim.act({ as: 'fred.luddy' }).create({ short_description: 'x' });
    await sim.webhooksIdle();
    expect(sim.deliveries[0]).toMatchObject({ ok: false, done: true });
    expect(sim.deliveries[0]?.attempts.every((a) => a.error)).toBe(true);
    expect((await call(`/api/now/table/incident/${inc.sys_id}`)).status).toBe(200);
    receiver = undefined;
  });

  it('person helpers throw on what the API would reject', async () => {
    await start();
    const inc = sim.act({ as: 'fred.luddy' }).create({ short_description: 'x' });
    expect(() => sim.act({ as: 'fred.luddy' }).update(inc.sys_id!, { state: '6' })).toThrow(/Data Policy/);
  });
});
