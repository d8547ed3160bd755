import type { AudiencesFile } from '../config/files/schema-audiences.ts';
import type { RulesFile } from '../config/files/schema-rules.ts';
import type { ServicesFile } from '../config/files/schema-services.ts';
import { durationMs } from '../lib/duration.ts';
import {
  audiencesCheck,
  drillCheck,
  escalationCheck,
  READINESS_CHECKS,
  rolesCheck,
  runbookCheck,
  type Channel,
  type ChannelState,
  type CheckFacts,
  type ConnectionFact,
  type ReadinessCheck,
  type ReadinessCheckId,
} from './readiness-checks.ts';
import { targetsFor, type ProcessTargets } from './targets.ts';

/**
 * Is each service prepared for its next major incident (docs/process.md#readiness)? The roles
 * reachable, the audiences' channels working, an escalation path, a runbook, a recent drill, and
 * the tier's targets beside them. Pure but for the injected `lastDrillAt`: the CLI, the admin
 * route and the metric give it the same facts and show the same rows.
 */

export { READINESS_CHECKS, type ReadinessCheck, type ReadinessCheckId, type ConnectionFact };

/** Which connections have their settings in the environment (values never read here). */
export interface ChannelSettings {
  readonly slack: boolean;
  readonly email: boolean;
  /** The ServiceNow integration user, which writes the portal announcements. */
  readonly servicenow: boolean;
  /** TEAMS_WEBHOOK_URL: where an audience's cards go while its own variable is unset. */
  readonly teamsFallback: boolean;
}

export interface ReadinessFacts {
  readonly config: {
    readonly services: ServicesFile;
    readonly audiences: AudiencesFile;
    readonly rules: Pick<RulesFile, 'tiers' | 'drills'>;
  };
  readonly settings: ChannelSettings;
  /** Whether a variable the config names (MIM_ROUTE_*) holds a value. */
  readonly routeSet: (name: string) => boolean;
  /** The `mim-bridge doctor` results; undefined when they were not run (offline). */
  readonly connections?: readonly ConnectionFact[];
  readonly now: Date;
}

export interface ServiceReadiness {
  readonly service: string;
  readonly name: string;
  readonly tier: number;
  readonly ready: boolean;
  readonly checks: readonly ReadinessCheck[];
  readonly targets: ProcessTargets;
  readonly lastDrillAt?: string;
}

export interface ReadinessReport {
  readonly checkedAt: string;
  /** Every service ready. */
  readonly ready: boolean;
  /** Every tier-1 service ready (`mim-bridge readiness` exits 1 otherwise). */
  readonly tier1Ready: boolean;
  /** Whether the connection checks of `mim-bridge doctor` ran. */
  readonly online: boolean;
  /** The checks some service made from config and environment alone. */
  readonly offlineChecks: readonly ReadinessCheckId[];
  readonly services: readonly ServiceReadiness[];
}

/** The last drill of a service; 'unknown' when it could not be read. */
export type LastDrill = Date | undefined | 'unknown';

export function channelSettings(env: {
  readonly SLACK_BOT_TOKEN?: string | undefined;
  readonly SMTP_URL?: string | undefined;
  readonly MAIL_FROM?: string | undefined;
  readonly TEAMS_WEBHOOK_URL?: string | undefined;
  readonly SERVICENOW_URL?: string | undefined;
  readonly SERVICENOW_USERNAME?: string | undefined;
  readonly SERVICENOW_PASSWORD?: string | undefined;
}): ChannelSettings {
  return {
    slack: Boolean(env.SLACK_BOT_TOKEN),
    email: Boolean(env.SMTP_URL && env.MAIL_FROM),
    servicenow: Boolean(env.SERVICENOW_URL && env.SERVICENOW_USERNAME && env.SERVICENOW_PASSWORD),
    teamsFallback: Boolean(env.TEAMS_WEBHOOK_URL),
  };
}

const SETTING_FIX: Readonly<Record<Channel, string>> = {
  slack: 'set SLACK_BOT_TOKEN (docs/setup-slack.md)',
  teams: 'set the Teams webhook variable (docs/setup-teams.md)',
  email: 'set SMTP_URL and MAIL_FROM (docs/setup-email.md)',
  pagerduty: 'set the PagerDuty routing key variables (docs/setup-pagerduty.md)',
  servicenow: 'set SERVICENOW_URL, SERVICENOW_USERNAME and SERVICENOW_PASSWORD (docs/setup-servicenow.md)',
};

/** From config and environment alone: the settings a channel needs are there. */
function offlineChannel(f: ReadinessFacts, channel: Channel, variables: readonly string[]): ChannelState {
  if (channel === 'teams') {
    const unset = variables.filter((v) => !f.routeSet(v));
    if (!unset.length) return { ok: true, offline: true };
    const meanwhile = f.settings.teamsFallback ? " (until then its cards go to TEAMS_WEBHOOK_URL's channel)" : '';
    return { ok: false, offline: true, fix: `set the environment variable ${unset.join(', ')}${meanwhile}` };
  }
  // PagerDuty's own settings are the routing keys, which the escalation check reads itself.
  if (channel === 'pagerduty' || f.settings[channel]) return { ok: true, offline: true };
  return { ok: false, offline: true, fix: SETTING_FIX[channel] };
}

/**
 * From a connection check. A failure that names MIM_ROUTE_* variables (a routing key or a Teams
 * webhook) concerns those only; any other failure concerns every use of the connection.
 */
function onlineChannel(
  result: ConnectionFact | undefined,
  channel: Channel,
  variables: readonly string[],
): ChannelState {
  if (!result || result.status === 'not_configured')
    return { ok: false, offline: false, fix: `${channel} is not configured: ${SETTING_FIX[channel]}` };
  if (result.status === 'ok') return { ok: true, offline: false };
  const named: readonly string[] = result.detail.match(/MIM_ROUTE_[A-Z0-9_]+/g) ?? [];
  if (named.length && !variables.some((v) => named.includes(v))) return { ok: true, offline: false };
  return { ok: false, offline: false, fix: `${result.detail}: ${result.fix ?? 'see mim-bridge doctor'}` };
}

function checkFacts(f: ReadinessFacts): CheckFacts {
  const byVendor = new Map((f.connections ?? []).map((c) => [c.vendor, c]));
  return {
    routeSet: f.routeSet,
    audiences: new Map(f.config.audiences.audiences.map((a) => [a.id, a])),
    channel: (channel, variables = []) => {
      // An unset variable of its own is said the same way online: the check's text would list every unset one.
      const unset = variables.some((v) => !f.routeSet(v));
      if (!f.connections || unset) return { ...offlineChannel(f, channel, variables), offline: !f.connections };
      return onlineChannel(byVendor.get(channel), channel, variables);
    },
  };
}

/** The rows, from facts already gathered. Pure. */
export function assessReadiness(f: ReadinessFacts, lastDrills: ReadonlyMap<string, LastDrill>): ReadinessReport {
  const facts = checkFacts(f);
  const { maxAge } = f.config.rules.drills;
  const services = f.config.services.services.map((s): ServiceReadiness => {
    const last = lastDrills.get(s.id);
    const checks = [
      rolesCheck(s, facts),
      audiencesCheck(s, facts),
      escalationCheck(s, facts),
      runbookCheck(s),
      drillCheck(s, last, durationMs(maxAge), maxAge, f.now),
    ];
    return {
      service: s.id,
      name: s.name,
      tier: s.tier,
      ready: checks.every((c) => c.ok),
      checks,
      targets: targetsFor(f.config.rules, s.tier),
      ...(last instanceof Date ? { lastDrillAt: last.toISOString() } : {}),
    };
  });
  const offline = new Set(services.flatMap((s) => s.checks.filter((c) => c.offline).map((c) => c.check)));
  return {
    checkedAt: f.now.toISOString(),
    ready: services.every((s) => s.ready),
    tier1Ready: services.every((s) => s.tier !== 1 || s.ready),
    online: f.connections !== undefined,
    offlineChecks: READINESS_CHECKS.filter((c) => offline.has(c)),
    services,
  };
}

/** Reads each service's last drill (a failed read is 'unknown', never a thrown report), then assesses. */
export async function readiness(
  f: ReadinessFacts,
  lastDrillAt: (serviceId: string) => Promise<Date | undefined>,
): Promise<ReadinessReport> {
  const ids = f.config.services.services.map((s) => s.id);
  const lasts = await Promise.all(ids.map((id) => lastDrillAt(id).catch((): LastDrill => 'unknown')));
  return assessReadiness(f, new Map(ids.map((id, i) => [id, lasts[i]])));
}

/** The report as `mim_service_ready` samples: one per service and check, and `all`. */
export function readinessSamples(
  report: ReadinessReport,
): Array<{ readonly service: string; readonly check: string; readonly ready: boolean }> {
  return report.services.flatMap((s) => [
    ...s.checks.map((c) => ({ service: s.service, check: c.check, ready: c.ok })),
    { service: s.service, check: 'all', ready: s.ready },
  ]);
}
