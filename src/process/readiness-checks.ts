import type { Audience } from '../config/files/schema-audiences.ts';
import type { Service } from '../config/files/schema-services.ts';

/**
 * The checks of one service's readiness (docs/process.md#readiness), each from the config and the
 * facts readiness.ts gathers. Pure. A check says what it saw (never a secret: variables are
 * named, their values never read here) and one fix per problem.
 */

export const READINESS_CHECKS = ['roles', 'audiences', 'escalation', 'runbook', 'drill'] as const;
export type ReadinessCheckId = (typeof READINESS_CHECKS)[number];

export interface ReadinessCheck {
  readonly check: ReadinessCheckId;
  readonly ok: boolean;
  /** What was seen, in one line. */
  readonly detail: string;
  /** One per problem, naming the file, key or variable to change; empty when ok. */
  readonly fixes: readonly string[];
  /** Made from config and environment alone, where a connection check would have told more. */
  readonly offline: boolean;
}

/** A `mim-bridge doctor` result (connectors/checks.ts ConnectionResult), as much of it as readiness reads. */
export interface ConnectionFact {
  readonly vendor: string;
  readonly status: 'ok' | 'failed' | 'not_configured';
  readonly detail: string;
  readonly fix?: string;
}

/** Where mim-bridge sends: `servicenow` is an audience's Service Portal announcement. */
export type Channel = 'slack' | 'teams' | 'email' | 'pagerduty' | 'servicenow';

/** Whether mim-bridge can send on a channel, and why not. */
export interface ChannelState {
  readonly ok: boolean;
  readonly fix?: string;
  /** Decided without the connection check. */
  readonly offline: boolean;
}

export interface CheckFacts {
  /** Whether a variable the config names (MIM_ROUTE_*) holds a value. */
  readonly routeSet: (name: string) => boolean;
  /** Whether a channel works; `variables` are the MIM_ROUTE_* names the use at hand depends on. */
  readonly channel: (channel: Channel, variables?: readonly string[]) => ChannelState;
  readonly audiences: ReadonlyMap<string, Audience>;
}

const ROLES = ['majorIncidentManager', 'commsLead', 'serviceOwner', 'resolverGroup'] as const;
const ROLE_FILE_KEY = (id: string, role: string) => `services.yaml ${id} owners.${role}`;
/** An address as the email connector sends to it: one @, a dot in the domain, no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function result(check: ReadinessCheckId, seen: string[], fixes: string[], offline: boolean): ReadinessCheck {
  return { check, ok: fixes.length === 0, detail: seen.join('; '), fixes, offline };
}

/**
 * An audience reaches a group when it is called by the group's name or id: the group reads that
 * audience's channels. Case and surrounding spaces do not count.
 */
function audienceFor(service: Service, facts: CheckFacts, name: string): Audience | undefined {
  const wanted = name.trim().toLowerCase();
  return service.audiences
    .map((id) => facts.audiences.get(id))
    .find((a) => a !== undefined && (a.id === wanted || a.name.trim().toLowerCase() === wanted));
}

/**
 * Each role is reachable: an address, when email can be sent; a group or rotation, when an audience
 * of the service bears its name, or PagerDuty pages it (the resolver group through the service's
 * routing key, the Major Incident Manager through the escalation key).
 */
export function rolesCheck(service: Service, facts: CheckFacts): ReadinessCheck {
  const seen: string[] = [];
  const fixes: string[] = [];
  const unmailed: string[] = [];
  const email = facts.channel('email');
  let offline = false;
  const pd = service.pagerduty;
  for (const role of ROLES) {
    const who = service.owners[role].trim();
    if (who.includes('@')) {
      offline ||= email.offline;
      if (!EMAIL.test(who)) fixes.push(`${ROLE_FILE_KEY(service.id, role)}: "${who}" is not an email address`);
      else if (!email.ok) unmailed.push(role);
      else seen.push(`${role} by email`);
      continue;
    }
    const key =
      role === 'resolverGroup' ? pd?.routingKeyEnv : role === 'majorIncidentManager' ? pd?.escalationRoutingKeyEnv : '';
    if (key && facts.routeSet(key)) {
      seen.push(`${role} paged (${key})`);
      continue;
    }
    if (audienceFor(service, facts, who)) {
      seen.push(`${role} through the audience "${who}"`);
      continue;
    }
    const paged =
      role === 'resolverGroup'
        ? ', or page it: pagerduty.routingKeyEnv with its variable set'
        : role === 'majorIncidentManager'
          ? ', or page it: pagerduty.escalationRoutingKeyEnv with its variable set'
          : '';
    fixes.push(
      `${role} "${who}" reaches nobody: give an email address in ${ROLE_FILE_KEY(service.id, role)}, or add an ` +
        `audience named "${who}" to the service${paged}`,
    );
  }
  if (unmailed.length)
    fixes.unshift(
      `${unmailed.join(', ')} ${unmailed.length === 1 ? 'is an email address' : 'are email addresses'}, and email ` +
        `cannot be sent: ${email.fix}`,
    );
  return result('roles', seen.length ? [`${seen.length} of 4 reachable: ${seen.join(', ')}`] : [], fixes, offline);
}

/** Every audience exists, has a channel, and each of its channels (and its portal announcement) can be sent on. */
export function audiencesCheck(service: Service, facts: CheckFacts): ReadinessCheck {
  const fixes: string[] = [];
  let offline = false;
  if (!service.audiences.length)
    fixes.push(`no audiences: list the audiences to tell in services.yaml ${service.id} audiences`);
  for (const id of service.audiences) {
    const a = facts.audiences.get(id);
    if (!a) {
      fixes.push(`audience "${id}" is not in audiences.yaml: add it, or remove it from the service`);
      continue;
    }
    const uses: Array<[Channel, readonly string[]]> = [];
    if (a.channels.slack?.length) uses.push(['slack', []]);
    if (a.channels.teamsWebhookEnv) uses.push(['teams', [a.channels.teamsWebhookEnv]]);
    if (a.channels.email?.length) uses.push(['email', []]);
    const channels = uses.length;
    if (a.announcement) uses.push(['servicenow', []]);
    if (!channels) fixes.push(`audience "${id}" has no channel: give it slack, teamsWebhookEnv or email`);
    for (const [channel, variables] of uses) {
      const state = facts.channel(channel, variables);
      offline ||= state.offline;
      const what = channel === 'servicenow' ? 'portal announcement' : channel;
      if (!state.ok) fixes.push(`audience "${id}" ${what}: ${state.fix}`);
    }
  }
  const n = service.audiences.length;
  return result('audiences', [`${n} audience${n === 1 ? '' : 's'}`], fixes, offline);
}

/** The page and its escalation: both keys named in services.yaml, their variables set, PagerDuty reachable. */
export function escalationCheck(service: Service, facts: CheckFacts): ReadinessCheck {
  const pd = service.pagerduty;
  const fixes: string[] = [];
  const named = [
    ['routingKeyEnv', pd?.routingKeyEnv],
    ['escalationRoutingKeyEnv', pd?.escalationRoutingKeyEnv],
  ] as const;
  for (const [key, variable] of named) {
    if (!variable) fixes.push(`set pagerduty.${key} for ${service.id} in services.yaml (a MIM_ROUTE_* variable)`);
    else if (!facts.routeSet(variable)) fixes.push(`set the environment variable ${variable} (pagerduty.${key})`);
  }
  const variables = named.flatMap(([, v]) => (v ? [v] : []));
  const state = facts.channel('pagerduty', variables);
  if (!fixes.length && !state.ok && state.fix) fixes.push(state.fix);
  return result('escalation', variables.length ? [`routing keys ${variables.join(', ')}`] : [], fixes, state.offline);
}

export function runbookCheck(service: Service): ReadinessCheck {
  return service.runbook
    ? result('runbook', [service.runbook], [], false)
    : result('runbook', ['none'], [`add runbook: <https URL> to ${service.id} in services.yaml`], false);
}

/** The last drill, known, and no older than drills.maxAge. */
export function drillCheck(
  service: Service,
  last: Date | undefined | 'unknown',
  maxAgeMs: number,
  maxAge: string,
  now: Date,
): ReadinessCheck {
  const drill = `run one: mim-bridge drill ${service.id}`;
  if (last === 'unknown')
    return result('drill', ['the last drill could not be read'], [`check that Redis (REDIS_URL) answers`], true);
  if (!last) return result('drill', ['never drilled'], [drill], false);
  const days = Math.floor((now.getTime() - last.getTime()) / 86_400_000);
  const seen = [`last drill ${last.toISOString()} (${days} day${days === 1 ? '' : 's'} ago)`];
  return now.getTime() - last.getTime() > maxAgeMs
    ? result('drill', seen, [`the last drill is older than drills.maxAge (${maxAge}): ${drill}`], false)
    : result('drill', seen, [], false);
}
