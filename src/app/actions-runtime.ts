import type { Queue, Worker } from 'bullmq';
import type { RedisClient } from '../lib/redis-client.ts';
import type { ConfigStore } from '../config/config-store.ts';
import type { Env } from '../config/env.ts';
import { routeSecret } from '../config/route-env.ts';
import { createPagerdutyClient, createPagerdutyPaging } from '../connectors/pagerduty/outbound.ts';
import { timelineEntry, type MajorIncident, type TimelineEntry } from '../domain/major-incident.ts';
import type { Logger } from '../observability/logger.ts';
import { countDeadLettersWith, deadLettersGauge, SCRAPE_REDIS_TIMEOUT_MS } from '../observability/metrics.ts';
import { createJiraClient } from '../connectors/jira/outbound.ts';
import { createJiraTicketing } from '../connectors/jira/outbound-ticketing.ts';
import { servicenowRecords } from '../connectors/servicenow/index.ts';
import { createServicenowClient } from '../connectors/servicenow/outbound.ts';
import { createServicenowAnnouncements } from '../connectors/servicenow/outbound-announcement.ts';
import { announcementExecutor, withAnnouncements } from '../actions/announcement.ts';
import { createSlackChat, createSlackClient } from '../connectors/slack/outbound.ts';
import { createTeamsChat, createTeamsClient } from '../connectors/teams/outbound.ts';
import { createEmailClient, createEmailConnector, createSmtpTransport } from '../connectors/email/outbound.ts';
import { emailExecutor } from '../actions/email.ts';
import { markedForOutbound } from '../actions/exercise-marking.ts';
import { messageExtras } from '../actions/message-extras.ts';
import { servicenowExecutor } from '../actions/servicenow.ts';
import { chatExecutor } from '../actions/chat.ts';
import { jiraExecutor } from '../actions/jira.ts';
import { drillService, escalationService, pagerdutyExecutor } from '../actions/pagerduty.ts';
import { TIMER_ENTRY } from '../process/timers-plan.ts';
import { FingerprintStore } from '../store/fingerprint-store.ts';
import type { WrittenField } from '../orchestrator/fingerprints.ts';
import type { MiStore } from '../store/mi-store.ts';
import type { ActionExecutor, Target } from '../domain/action.ts';
import { actionWorkerLimits, createActionQueues } from '../queue/actions/action-queues.ts';
import { startActionWorker, type ActionRecorder } from '../queue/actions/action-worker.ts';
import { DeadLetters } from '../queue/actions/dead-letters.ts';
import { workerTiming } from '../queue/worker-timing.ts';
import { startOutboxRelay } from '../queue/actions/outbox-relay.ts';
import { withTimeout } from '../lib/with-timeout.ts';
import { targetsFor } from '../process/targets.ts';

/**
 * Targets this version executes when their credentials are configured. Actions for other
 * targets stay on the timeline as planned and are logged by the outbox relay as not sent;
 * they are not queued to fail.
 */
export function executedTargets(env: Env, teamsConfigured = false): Target[] {
  return [
    'pagerduty' as const,
    ...(env.JIRA_URL && env.JIRA_EMAIL && env.JIRA_API_TOKEN ? ['jira' as const] : []),
    ...(env.SLACK_BOT_TOKEN ? ['slack' as const] : []),
    ...(env.SERVICENOW_URL && env.SERVICENOW_USERNAME && env.SERVICENOW_PASSWORD ? ['servicenow' as const] : []),
    ...(teamsConfigured ? ['teams' as const] : []),
    ...(env.SMTP_URL && env.MAIL_FROM ? ['email' as const] : []),
  ];
}

export interface ActionsRuntime {
  readonly queues: ReadonlyMap<Target, Queue>;
  readonly deadLetters: DeadLetters;
  kick(): Promise<unknown>;
  stop(): Promise<void>;
}

interface ActionsDeps {
  readonly env: Env;
  /** Where secrets named in config (`routingKeyEnv`) are read: the process environment, only its MIM_ROUTE_* variables (config/route-env.ts). */
  readonly secrets: Readonly<Record<string, string | undefined>>;
  readonly config: ConfigStore;
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  readonly producer: RedisClient;
  readonly blocking: RedisClient;
  readonly prefix: string;
  readonly logger: Logger;
  readonly runWorkers: boolean;
}

/** PagerDuty routing keys by catalogue service id, resolved from the env vars the config names. */
function pagingFor(deps: ActionsDeps) {
  let version = '';
  let paging: ReturnType<typeof createPagerdutyPaging> | undefined;
  return () => {
    const config = deps.config.current();
    if (!paging || version !== config.version) {
      const routingKeys: Record<string, string> = {};
      for (const s of config.services.services) {
        const key = routeSecret(deps.secrets, s.pagerduty?.routingKeyEnv);
        if (key) routingKeys[s.id] = key;
        // Escalations page the escalation key; without one, the service's own on-call again (a new alert).
        const escalation = routeSecret(deps.secrets, s.pagerduty?.escalationRoutingKeyEnv);
        if (escalation ?? key) routingKeys[escalationService(s.id)] = (escalation ?? key)!;
        // Drills page the drill key; without one, the service's own (the page is marked as an exercise).
        const drill = routeSecret(deps.secrets, s.pagerduty?.drillRoutingKeyEnv);
        if (drill ?? key) routingKeys[drillService(s.id)] = (drill ?? key)!;
      }
      const pdConfig = {
        eventsUrl: deps.env.PAGERDUTY_EVENTS_URL,
        routingKeys,
        ...(deps.env.PAGERDUTY_ROUTING_KEY ? { defaultRoutingKey: deps.env.PAGERDUTY_ROUTING_KEY } : {}),
      };
      paging = createPagerdutyPaging(createPagerdutyClient(pdConfig, { logger: deps.logger }), pdConfig);
      version = config.version;
    }
    return paging;
  };
}

/** Whether any playbook of the active config has the action (a step that needs its record then waits for it). */
function playbooksDo(deps: ActionsDeps, action: string): boolean {
  return Object.values(deps.config.current().rules.playbooks).some((steps) => steps.some((s) => s.do === action));
}

/** Teams webhook URLs by the env var names audiences.yaml gives; `default` is TEAMS_WEBHOOK_URL. */
function teamsWebhooks(deps: ActionsDeps): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of deps.config.current().audiences.audiences) {
    const name = a.channels.teamsWebhookEnv;
    const url = routeSecret(deps.secrets, name);
    if (name && url) out[name] = url;
  }
  return out;
}

export function startActions(deps: ActionsDeps): ActionsRuntime {
  const teamsConfigured = Boolean(deps.env.TEAMS_WEBHOOK_URL) || Object.keys(teamsWebhooks(deps)).length > 0;
  const targets = executedTargets(deps.env, teamsConfigured);
  const queues = createActionQueues(deps.producer, deps.prefix, targets);
  // Without a listener a Redis outage's ECONNREFUSED would reach stderr outside the logger.
  for (const q of queues.values())
    q.on('error', (err) => deps.logger.debug({ err: err.message, queue: q.name }, 'action queue error'));
  const deadLetters = new DeadLetters(deps.producer, deps.prefix);
  countDeadLettersWith(() => withTimeout(deadLetters.count(), SCRAPE_REDIS_TIMEOUT_MS, () => new Error('timed out')));
  const workers: Worker[] = [];
  let relay: ReturnType<typeof startOutboxRelay> | undefined;
  if (deps.runWorkers) {
    // Every executor reads the major incident through this: an exercise's title is marked here, once.
    const load = async (id: string) => {
      const mi = await deps.store.get(id);
      return mi && markedForOutbound(mi, deps.config.current().rules.drills.prefix);
    };
    const paging = pagingFor(deps);
    const connectorDeps = { logger: deps.logger };
    const services = () => new Map(deps.config.current().services.services.map((s) => [s.id, s]));
    const service = (id: string) => services().get(id);
    const templates = () => deps.config.current().templates;
    const { env } = deps;
    const fingerprints = new FingerprintStore(deps.producer, deps.prefix);
    const remember = (recordKey: string, writes: ReadonlyArray<readonly [WrittenField, string]>) =>
      fingerprints.remember(recordKey, writes);
    const executors: Partial<Record<Target, ActionExecutor>> = {
      pagerduty: (job, meta) =>
        pagerdutyExecutor(
          paging(),
          load,
          async (id) => (await deps.store.timeline(id)).filter((e) => e.kind === TIMER_ENTRY.ack).length,
        )(job, meta),
    };
    if (env.JIRA_URL && env.JIRA_EMAIL && env.JIRA_API_TOKEN) {
      const client = createJiraClient(
        { baseUrl: env.JIRA_URL, email: env.JIRA_EMAIL, apiToken: env.JIRA_API_TOKEN },
        // mappings.yaml `jira:` (transition fields, the JSM incident type, the major-incident field), read at every call.
        { ...connectorDeps, settings: () => deps.config.current().mappings.jira },
      );
      executors.jira = jiraExecutor({
        ticketing: (project, issueType) => createJiraTicketing(client, { project, issueType }),
        load,
        service,
        templates,
        remoteLink: (key, link, meta) => client.addRemoteLink(key, link, meta),
        createPir: (pir, meta) => client.createPir(pir, meta),
        setPriority: (key, fieldId, name, meta) => client.setPriority(key, fieldId, name, meta),
        pirDueMs: (tier) => targetsFor(deps.config.current().rules, tier).pirDueMs,
        createsIssues: () => playbooksDo(deps, 'jira.create_issue'),
        remember,
        latestUpdate: messageExtras(deps.store, deps.config).latestUpdate,
        ...(env.SERVICENOW_URL ? { servicenowUrl: env.SERVICENOW_URL } : {}),
        // The round's internal comment on a Jira-origin issue lists what each message did, read from the timeline.
        timeline: (id) => deps.store.timeline(id),
        sendable: (target) => executors[target as Target] !== undefined,
      });
    }
    if (env.SERVICENOW_URL && env.SERVICENOW_USERNAME && env.SERVICENOW_PASSWORD) {
      const client = createServicenowClient(
        { baseUrl: env.SERVICENOW_URL, username: env.SERVICENOW_USERNAME, password: env.SERVICENOW_PASSWORD },
        connectorDeps,
      );
      const sn = {
        baseUrl: env.SERVICENOW_URL,
        username: env.SERVICENOW_USERNAME,
        password: env.SERVICENOW_PASSWORD,
      };
      const announcements = announcementExecutor({
        announcements: createServicenowAnnouncements(sn, connectorDeps),
        announcementOf: (id) => deps.config.current().audiences.audiences.find((a) => a.id === id)?.announcement,
        load,
        service,
        templates,
        ...messageExtras(deps.store, deps.config),
      });
      const records = servicenowExecutor({
        records: servicenowRecords(client),
        load,
        service,
        templates,
        remember,
        latestUpdate: messageExtras(deps.store, deps.config).latestUpdate,
        createsRecords: () => playbooksDo(deps, 'servicenow.create_incident'),
        // The round's work note lists what each message did, read from the timeline.
        timeline: (id) => deps.store.timeline(id),
        sendable: (target) => executors[target as Target] !== undefined,
      });
      executors.servicenow = withAnnouncements(records, announcements);
    }
    if (teamsConfigured) {
      let version = '';
      let chat: ReturnType<typeof createTeamsChat> | undefined;
      const teams = () => {
        if (!chat || version !== deps.config.current().version) {
          chat = createTeamsChat(
            createTeamsClient(
              {
                webhooks: teamsWebhooks(deps),
                ...(env.TEAMS_WEBHOOK_URL ? { defaultWebhook: env.TEAMS_WEBHOOK_URL } : {}),
              },
              connectorDeps,
            ),
          );
          version = deps.config.current().version;
        }
        return chat;
      };
      executors.teams = (job, meta) =>
        chatExecutor({ chat: teams(), load, service, templates, ...messageExtras(deps.store, deps.config) })(job, meta);
    }
    if (env.SMTP_URL && env.MAIL_FROM) {
      const email = createEmailConnector(
        createEmailClient({ from: env.MAIL_FROM }, createSmtpTransport(env.SMTP_URL), connectorDeps),
      );
      executors.email = emailExecutor({ email, load, service, templates, ...messageExtras(deps.store, deps.config) });
    }
    if (env.SLACK_BOT_TOKEN) {
      const chat = createSlackChat(
        createSlackClient({ apiUrl: env.SLACK_API_URL, token: env.SLACK_BOT_TOKEN }, connectorDeps),
      );
      executors.slack = chatExecutor({ chat, load, service, templates, ...messageExtras(deps.store, deps.config) });
    }
    const record: ActionRecorder = {
      link: (id, l) => deps.store.setLink(id, l.system, l.value, l.sub),
      record: (id, key) => deps.store.linkRecord(key, id),
      enqueue: async (jobs) => {
        await deps.store.enqueueOutbox(jobs);
        void relay?.kick();
      },
      timeline: async (id, kind, target, detail) => {
        // The executor rendered and sent under the config current now: its version is the result's.
        await deps.store.appendTimeline(id, [
          timelineEntry({
            at: new Date(),
            kind,
            actor: { type: 'system', id: target },
            detail,
            configVersion: deps.config.current().version,
          }),
        ]);
        if (kind === 'action.dead_lettered') deadLettersGauge.set(await deadLetters.count());
      },
    };
    for (const target of targets) {
      const execute = executors[target];
      if (!execute) continue;
      workers.push(
        startActionWorker({
          connection: deps.blocking,
          prefix: deps.prefix,
          target,
          execute,
          deadLetters,
          record,
          logger: deps.logger,
          ...actionWorkerLimits(deps.config.current().rules.actions, target, deps.logger),
          timing: workerTiming(deps.env),
        }),
      );
    }
    relay = startOutboxRelay(deps.producer, deps.store.outboxKey, queues, deps.logger);
  }
  return {
    queues,
    deadLetters,
    kick: () => relay?.kick() ?? Promise.resolve(),
    stop: async () => {
      relay?.stop();
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...queues.values()].map((q) => q.close()));
    },
  };
}
