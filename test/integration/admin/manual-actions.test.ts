import { afterAll, beforeAll, expect, it } from 'vitest';
import type { MajorIncident, TimelineEntry } from '../../../src/domain/major-incident.ts';
import { manualDeclare, manualMove, type ManualDeps } from '../../../src/orchestrator/manual-actions.ts';
import type { MiStore } from '../../../src/store/mi-store.ts';
import { rulesRuntime } from '../../../src/orchestrator/rules-adapter.ts';
import { serviceById } from '../../../src/http/admin/deps.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: 'manual-actions-token' });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const deps = (store: MiStore<MajorIncident, TimelineEntry>): ManualDeps => ({
  store,
  rules: rulesRuntime(svc.config.current()),
  services: (id) => serviceById(svc, id),
  now: new Date(),
});

it('answers CONFLICT when the state moved between reading and writing, and writes nothing', async () => {
  const real = svc.majorIncidents;
  const declared = await manualDeclare(deps(real), {
    serviceId: 'identity',
    title: 'SSO down',
    person: 'dee',
    reason: 'calls',
  });
  if (!declared.ok) throw new Error(declared.reason);
  const stale = declared.mi;
  expect((await manualMove(deps(real), stale.id, 'manual.resolve', 'dee', 'fixed')).ok).toBe(true);
  // A second writer that read the MI while it was still declared.
  const racing = {
    get: async () => stale,
    transition: real.transition.bind(real),
    appendTimeline: real.appendTimeline.bind(real),
  } as unknown as MiStore<MajorIncident, TimelineEntry>;
  const result = await manualMove(deps(racing), stale.id, 'manual.cancel', 'eve', 'duplicate');
  expect(result).toMatchObject({ ok: false, code: 'CONFLICT', before: 'declared' });
  expect((await real.get(stale.id))?.state).toBe('resolved');
  expect((await real.timeline(stale.id)).filter((e) => e.kind === 'state.changed')).toHaveLength(2);
});
