import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIM_PORTALS, SIM_STYLES } from '../../sandbox/servicenow/index.ts';
import { waitFor } from '../../sandbox/demo/wait-for.ts';
import type { World } from '../../sandbox/demo/world.ts';
import type { MajorIncident } from '../../src/domain/major-incident.ts';
import { e2eWorld, idle } from './e2e-world.ts';

/**
 * Service Portal announcements with the shipped config (audiences.yaml: payroll-users has an
 * announcement block on the `sp` portal in the Urgent style, kept 2h after resolution), through
 * the ServiceNow simulator, whose announcement table refuses columns it does not have: created on
 * declaration, rewritten by a public update, retired on resolution; one banner all along.
 */

let world: World;
beforeAll(async () => {
  world = await e2eWorld();
}, 40_000);
afterAll(async () => {
  await world?.close();
}, 30_000);

const sysIdOf = (table: Readonly<Record<string, string>>, name: string) =>
  Object.entries(table).find(([, n]) => n === name)?.[0];
const snTime = (iso: string) => iso.slice(0, 19).replace('T', ' ');

describe('Service Portal announcements', () => {
  it('creates, updates and retires the payroll audience announcement', async () => {
    const { sandbox, service } = world;
    const declared = await service.admin<{ majorIncident: MajorIncident }>('POST', '/admin/major-incidents', {
      serviceId: 'payroll',
      title: 'Payroll <b>exports</b> fail & stall',
      reason: 'announcement test',
      actor: 'mim.manager',
    });
    expect(declared.status).toBe(201);
    const mi = declared.body.majorIncident;
    const name = `mim-${mi.id}.payroll-users`;
    const ours = () => sandbox.servicenow.announcements().filter((a) => a.name === name);

    // Created, then linked to its portal (a second write): wait for both.
    const created = await waitFor('the announcement created on its portal', 20_000, () => {
      const a = ours()[0];
      return a && sandbox.servicenow.announcementPortals(a.sys_id ?? '').length > 0 ? a : undefined;
    });
    expect(created).toMatchObject({
      active: 'true',
      title: 'Major incident: Payroll ‹b›exports‹/b› fail & stall (P1)',
      display_style: sysIdOf(SIM_STYLES, 'Urgent'),
      from: snTime(mi.declaredAt ?? mi.createdAt),
      to: '',
    });
    // The business template's declaration text, with the title made inert for a portal that renders HTML.
    expect(created.summary).toContain('We are handling a major incident: Payroll ‹b›exports‹/b› fail & stall.');
    expect(created.summary).not.toMatch(/[<>]/);
    expect(sandbox.servicenow.announcementPortals(created.sys_id!)).toEqual([sysIdOf(SIM_PORTALS, 'sp')]);

    const update = await service.admin('POST', `/admin/major-incidents/${mi.id}/updates`, {
      text: 'Exports are running again for half of the departments.',
      actor: 'beth.anglin',
    });
    expect(update.status).toBe(202);
    await waitFor('the announcement updated', 20_000, () =>
      ours()[0]?.summary?.includes('Exports are running again for half of the departments.'),
    );
    expect(ours()[0]?.title).toBe('Update: Payroll ‹b›exports‹/b› fail & stall (P1)');

    const resolved = await service.admin<{ majorIncident: MajorIncident }>(
      'POST',
      `/admin/major-incidents/${mi.id}/resolve`,
      { reason: 'exports fixed', actor: 'mim.manager' },
    );
    expect(resolved.status).toBe(200);
    const resolvedAt = Date.parse(resolved.body.majorIncident.resolvedAt ?? '');
    const retired = await waitFor('the announcement retired', 20_000, () =>
      ours()[0]?.title?.startsWith('Resolved:') ? ours()[0] : undefined,
    );
    // keepAfterResolve: 2h from the resolution; still active, so the final message shows until then.
    expect(retired).toMatchObject({ active: 'true', to: snTime(new Date(resolvedAt + 2 * 3_600_000).toISOString()) });
    expect(retired.summary).toContain('Service was restored at');

    await idle(world);
    // One banner for the whole major incident, on its one portal; no audience without a block got one.
    expect(ours()).toHaveLength(1);
    expect(sandbox.servicenow.announcements().filter((a) => a.name?.startsWith(`mim-${mi.id}.`))).toHaveLength(1);
    expect(sandbox.servicenow.announcementPortals(created.sys_id!)).toHaveLength(1);
  }, 90_000);
});
