import type { ASTNode } from '@marcbachmann/cel-js';
import type { LoadedConfig } from '../config/files/load-config.ts';
import type { Service } from '../config/files/schema.ts';
import { DEFAULT_DECLARED_PRIORITY } from '../config/files/schema-rules.ts';
import { targetsFor, tierSettings } from '../process/targets.ts';
import { nodes } from '../rules/cel-ast.ts';
import { evaluate } from '../rules/evaluate.ts';
import { windowDefinitions } from '../rules/windows.ts';
import { planActions } from '../rules/plan-actions.ts';
import { resolveService } from '../rules/resolve-service.ts';
import { fanOut } from './fan-out.ts';
import type { MergedIncident, RulesRuntime, ServiceRef } from './rules-runtime.ts';

const serviceRef = (s: Service): ServiceRef => ({
  id: s.id,
  name: s.name,
  tier: s.tier,
  roles: {
    majorIncidentManager: s.owners.majorIncidentManager,
    commsLead: s.owners.commsLead,
    ...(s.owners.serviceOwner ? { serviceOwner: s.owners.serviceOwner } : {}),
    ...(s.owners.resolverGroup ? { resolverGroup: s.owners.resolverGroup } : {}),
  },
});

const isWindow = (n: ASTNode) => n.op === 'id' && n.args === 'window';

/**
 * The windows a condition reads, `window.<id>` or `window["<id>"]`, in the order they appear: from the parsed AST, so
 * text in a string or a field of another name never counts.
 */
function windowsRead(ast: ASTNode): string[] {
  const ids = new Set<string>();
  for (const n of nodes(ast)) {
    if ((n.op === '.' || n.op === '.?') && isWindow(n.args[0])) ids.add(n.args[1]);
    if (n.op === '[]' && isWindow(n.args[0]) && n.args[1].op === 'value' && typeof n.args[1].args === 'string')
      ids.add(n.args[1].args);
  }
  return [...ids];
}

/** The orchestrator's view of one loaded config version. Built once per version, reused per event. */
export function rulesRuntime(config: LoadedConfig): RulesRuntime {
  const byId = new Map(config.services.services.map((s) => [s.id, s]));
  const vips = config.services.vips;
  // A tier outside the table (or a service no longer in the catalogue) gets tier 3's settings.
  const tierOf = (tier: number | undefined) => tierSettings(config.rules, tier);
  const serviceFacts = (ref: ServiceRef | null) => (ref ? (byId.get(ref.id) ?? null) : null);
  return {
    version: config.version,
    reopenWithinMinutes: config.rules.reopen.withinMinutes,
    mappings: config.mappings,
    resolveService: (incident: MergedIncident) => {
      const s = resolveService(config.serviceIndex, incident);
      return s ? serviceRef(s) : null;
    },
    windows: windowDefinitions(config).map((w) => ({
      id: w.id,
      durationMs: w.durationMs,
      matches: (incident, service, now) => w.matches({ incident, service: serviceFacts(service), now }),
    })),
    evaluate: ({ incident, service, window, now }) =>
      evaluate(
        config.compiled,
        { incident, service: serviceFacts(service), window, vips, now },
        { explain: 'matched' },
      ),
    planActions: (mi, effects) => planActions(mi, effects, config.rules.playbooks, byId.get(mi.serviceId)),
    windowsOf: (ruleId) => {
      const rule = config.compiled.rules.find((r) => r.id === ruleId);
      return rule ? windowsRead(rule.program.ast) : [];
    },
    declaredPriority: (serviceId) => tierOf(byId.get(serviceId)?.tier).priority ?? DEFAULT_DECLARED_PRIORITY,
    tierTimers: (tier) => {
      const t = tierOf(tier);
      const targets = targetsFor(config.rules, tier);
      return {
        ackTimeoutMs: targets.ackMs,
        mobiliseMs: targets.mobiliseMs,
        cadenceMs: targets.cadenceMs,
        pirDueMs: targets.pirDueMs,
        maxEscalations: t.maxEscalations,
        autoPost: t.autoPost,
      };
    },
    // The update playbook under an effect of its own, so cadence rounds never share job ids with a re-open.
    updateJobs: (mi, n, effect = 'cadence') =>
      fanOut(
        planActions(mi, ['reopen'], config.rules.playbooks, byId.get(mi.serviceId)).map((a) => ({ ...a, effect })),
        config.audiences.audiences,
        n,
        mi.origin.source,
      ),
    actionJobs: (mi, effects, round) =>
      fanOut(
        planActions(mi, effects, config.rules.playbooks, byId.get(mi.serviceId)),
        config.audiences.audiences,
        round,
        mi.origin.source,
      ),
  };
}
