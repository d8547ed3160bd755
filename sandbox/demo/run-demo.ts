import { RedisUnavailable } from '../redis.ts';
import { curlExamples } from './curl-examples.ts';
import { drillStory } from './drill-story.ts';
import { payrollStory } from './payroll-story.ts';
import { newState, playStory } from './story.ts';
import { createTimeline, seconds } from './timeline.ts';
import { startWorld, type World } from './world.ts';

/**
 * `mim-bridge demo`: Redis, the simulators and mim-bridge (the shipped config, with a 5-second
 * tier-1 comms cadence and autoPost so an update goes out within the demo), then the payroll
 * story. 0 when every step was observed, 1 naming the step that was not, 3 without a Redis.
 */

export interface DemoOptions {
  readonly keepRunning: boolean;
  readonly write?: (text: string) => void;
}

/** The shipped cadence is 30 minutes; the demo shows one within seconds. */
export const DEMO_CADENCE = '5s';

function printUrls(world: World, write: (t: string) => void): void {
  const { sandbox, service } = world;
  write(
    [
      '',
      'Everything is still running:',
      `  mim-bridge     ${service.url}   (admin token: ${service.adminToken}; log: ${service.logFile})`,
      `  status page    ${service.url}/status   (feeds: /status.json, /status.atom)`,
      `  ServiceNow     ${sandbox.urls.servicenow}   (Table API: /api/now/table/incident)`,
      `  Jira           ${sandbox.urls.jira}   (REST v3: /rest/api/3/…)`,
      `  PagerDuty      ${sandbox.urls.pagerduty}   (Events v2: /v2/enqueue)`,
      `  Slack          ${sandbox.slack.apiUrl()}`,
      `  Teams          ${sandbox.urls.teams}`,
      `  email (SMTP)   ${sandbox.urls.email}`,
      `  Redis          ${world.redis.url}   (prefix ${service.prefix})`,
      '',
      'Send your own events:',
      '',
      curlExamples(sandbox, service),
      '',
      'Press Ctrl-C to stop everything.',
      '',
    ].join('\n'),
  );
}

async function untilSignal(): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function runDemo(opts: DemoOptions): Promise<number> {
  // A closed pipe (`| head`) must not kill the demo before it stops what it started.
  if (!opts.write) process.stdout.on('error', () => {});
  const write =
    opts.write ??
    ((t: string) => {
      if (process.stdout.writable) process.stdout.write(t);
    });
  const timeline = createTimeline(write);
  timeline.info('mim-bridge demo: a payroll outage, from the first call to the last message');
  let world: World;
  try {
    world = await startWorld({ cadence: DEMO_CADENCE, autoPost: true });
  } catch (err) {
    if (err instanceof RedisUnavailable) {
      write(`\n${err.message}\n`);
      return 3;
    }
    throw err;
  }
  // Whatever happens (a closed stdout, a bug), the child service and a private Redis are stopped.
  try {
    const { sandbox, service } = world;
    timeline.info(`  Redis       ${world.redis.note}`);
    timeline.info(
      `  simulators  ServiceNow ${sandbox.urls.servicenow}, Jira ${sandbox.urls.jira}, PagerDuty ` +
        `${sandbox.urls.pagerduty}, Slack ${sandbox.urls.slack}, Teams ${sandbox.urls.teams}, email ` +
        `${sandbox.urls.email}`,
    );
    timeline.info(`  mim-bridge  ${service.url}, ready in ${seconds(timeline.elapsedMs())} (log: ${service.logFile})`);
    timeline.info(`  status      ${service.url}/status (public; payroll has statusPage: true)`);
    timeline.info(
      `  config      the shipped config, tier-1 comms cadence ${DEMO_CADENCE} with autoPost (shipped: 30m, ` +
        'reminders only)',
    );

    // The outage, then a drill on another service: practising the process is part of it (docs/process.md#drills).
    const result = await playStory([...payrollStory, ...drillStory], {
      sandbox,
      service,
      timeline,
      state: newState(),
    });
    if (result.ok) write(`\nThe whole story happened in ${seconds(result.elapsedMs)}.\n`);
    else
      write(
        `\nThe demo failed at step ${result.step}, "${result.title}": ${result.error.message}\nmim-bridge's log: ` +
          `${service.logFile}\n`,
      );

    if (opts.keepRunning) {
      printUrls(world, write);
      await untilSignal();
    }
    return result.ok ? 0 : 1;
  } finally {
    await world.close();
  }
}
