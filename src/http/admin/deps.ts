import type { Queue } from 'bullmq';
import type { ConfigStore } from '../../config/config-store.ts';
import type { MajorIncident, TimelineEntry } from '../../domain/major-incident.ts';
import type { Logger } from '../../observability/logger.ts';
import type { MiStore } from '../../store/mi-store.ts';
import type { RulesRuntime, ServiceRef } from '../../orchestrator/rules-runtime.ts';
import type { Target } from '../../domain/action.ts';
import type { DeadLetters } from '../../queue/actions/dead-letters.ts';
import type { EventLog } from '../../store/event-log.ts';
import type { RulesSandbox } from './sandbox/sandbox.ts';
import type { AdminToken } from './tokens.ts';
import type { VendorBases } from './vendor-urls.ts';

export interface AdminDeps {
  /** MIM_ADMIN_TOKEN and MIM_ADMIN_TOKENS (hashes with roles); none closes the admin API (every call 401). */
  readonly tokens: readonly AdminToken[];
  /** Admin requests per minute per client address (MIM_ADMIN_RATE_LIMIT). */
  readonly rateLimitPerMinute?: number;
  /** Vendor web addresses, for links into each system in the major-incident detail. */
  readonly vendorBases?: VendorBases;
  /** The recent-event log, for GET /admin/events (the simulator replays real events). */
  readonly eventLog?: EventLog;
  readonly config: ConfigStore;
  readonly store: MiStore<MajorIncident, TimelineEntry>;
  /** The rules runtime of the active config version (swapped on reload). */
  readonly rules: () => RulesRuntime;
  readonly deadLetters: DeadLetters;
  readonly actionQueues: ReadonlyMap<Target, Queue>;
  /**
   * Brings a drill's timers (and, once closed, its scorecard) in line now, where this process runs
   * the timers; elsewhere, and for real major incidents moved here, the timers' minute sweep does it.
   */
  readonly changed?: (miId: string) => void;
  /** Moves newly planned actions to their queues now (the relay's kick). */
  readonly kick: () => Promise<unknown>;
  readonly logger: Logger;
  /** Where simulations and validations run: a worker thread with a deadline (http/admin/sandbox). */
  readonly sandbox: RulesSandbox;
}

/** The catalogue entry for an id, as the orchestrator sees services; undefined when unknown. */
export function serviceById(deps: Pick<AdminDeps, 'config'>, id: string): ServiceRef | undefined {
  const s = deps.config.current().services.services.find((x) => x.id === id);
  if (!s) return undefined;
  const { majorIncidentManager, commsLead, serviceOwner, resolverGroup } = s.owners;
  return {
    id: s.id,
    name: s.name,
    tier: s.tier,
    roles: {
      majorIncidentManager,
      commsLead,
      ...(serviceOwner ? { serviceOwner } : {}),
      ...(resolverGroup ? { resolverGroup } : {}),
    },
  };
}
