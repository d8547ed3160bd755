import { sandboxRedis, type SandboxRedis } from '../../sandbox/redis.ts';
import { startWorld, type World, type WorldOptions } from '../../sandbox/demo/world.ts';
import { bufferedTimeline } from '../../sandbox/demo/timeline.ts';
import { playStory, newState, type Step, type StoryContext } from '../../sandbox/demo/story.ts';
import { QUEUE_RECONCILE } from '../../src/queue/reconcile-queue.ts';
import { TIMERS_QUEUE } from '../../src/queue/timers-queue.ts';
import { waitForIdle, type IdleOptions } from '../helpers/idle.ts';

/**
 * The end-to-end tests run what the demo runs (sandbox/demo/world.ts): the simulators and
 * mim-bridge as a child process on the test Redis, each world under its own key prefix.
 */

const redisFor = (): Promise<SandboxRedis> =>
  sandboxRedis({ REDIS_URL: process.env.TEST_REDIS_URL ?? process.env.REDIS_URL });

export async function e2eWorld(opts: WorldOptions = {}): Promise<World> {
  const redis = await redisFor();
  const world = await startWorld({ ...opts, redis });
  return {
    ...world,
    close: async () => {
      await world.close();
      await redis.close();
    },
  };
}

/** Plays steps on a buffered timeline; a failure throws with the whole timeline and the service's log tail. */
export async function play(world: World, steps: readonly Step[], state = newState()): Promise<StoryContext> {
  const timeline = bufferedTimeline();
  const ctx: StoryContext = { sandbox: world.sandbox, service: world.service, timeline, state };
  const result = await playStory(steps, ctx);
  if (!result.ok) {
    const tail = world.service
      .logs()
      .split('\n')
      .filter((l) => /"level":(40|50|60)/.test(l))
      .slice(-15)
      .join('\n');
    throw new Error(
      `step ${result.step} "${result.title}" did not happen: ${result.error.message}\n${timeline.text()}\n` +
        `warnings and errors in mim-bridge's log:\n${tail}`,
    );
  }
  return ctx;
}

/** Non-GET requests a simulator received (its writes), optionally only those whose path matches. */
export const writes = (sim: { requests: readonly { method: string; path: string }[] }, path?: RegExp) =>
  sim.requests.filter((r) => r.method !== 'GET' && (!path || path.test(r.path))).length;

/** Webhooks a simulator has sent and not yet seen through (delivered, or given up). */
const inFlight = (sim: string, deliveries: readonly { done: boolean }[]) => {
  const n = deliveries.filter((d) => !d.done).length;
  return n ? [`${sim} webhooks in flight: ${n}`] : [];
};

/**
 * Waits until the world has nothing left to do: mim-bridge idle (test/helpers/idle.ts) and no
 * simulator webhook on its way to it (one would cause more work). Timers and the reconciliation
 * schedule wait minutes by design: delayed jobs count only when due within 5 s (a retry, a
 * `Retry-After`).
 */
export async function idle(world: World, opts: Partial<IdleOptions> = {}): Promise<void> {
  const { sandbox } = world;
  await sandbox.pagerduty.settled();
  await waitForIdle({
    prefix: world.service.prefix,
    redisUrl: world.redis.url,
    // Timers (the update cadence, minutes away) and the reconcile sweep are always scheduled: not
    // work in progress. An action job's retry (a DEPENDENCY_PENDING back-off reaches 5-16 s by its
    // fourth or fifth attempt) is work in progress, so delayed action and event jobs count for a minute.
    ignoreQueues: [TIMERS_QUEUE, QUEUE_RECONCILE],
    delayedDueWithinMs: 60_000,
    timeoutMs: 60_000,
    alsoBusy: () => [
      ...inFlight('ServiceNow', sandbox.servicenow.deliveries),
      ...inFlight('Jira', sandbox.jira.deliveries),
    ],
    ...opts,
  });
}

/** A person logs one P1 on Payroll in ServiceNow (rule p1-on-tier-1 declares); resolves with its record. */
export function logPayrollP1(world: World, text = 'Payroll portal down for all staff') {
  return world.sandbox.servicenow.act({ as: 'fred.luddy' }).create({
    short_description: text,
    business_service: 'Payroll',
    cmdb_ci: 'payroll-app01',
    assignment_group: 'Payroll Platform',
    caller_id: 'Fred Luddy',
    impact: '1',
    urgency: '1',
  });
}
