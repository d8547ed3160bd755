import type { LeafValue } from '../rules/explain.ts';
import type { Simulation } from '../orchestrator/simulate.ts';

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v)));

function part(p: LeafValue): string {
  if (p.notEvaluated) return `      ${p.expr}  →  not evaluated`;
  return p.error !== undefined ? `      ${p.expr}  →  error: ${p.error}` : `      ${p.expr}  →  ${show(p.value)}`;
}

function params(a: Record<string, unknown>): string {
  const rest = Object.entries(a).filter(([k]) => !['do', 'majorIncidentId', 'effect'].includes(k));
  return rest.length ? ` ${rest.map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`).join(' ')}` : '';
}

/** The simulation as an admin reads it: the incident, its service, each rule and why, the outcome. */
export function formatSimulation(s: Simulation): string {
  const i = s.incident;
  const out: string[] = [];
  out.push(`config version ${s.configVersion}`);
  out.push(
    `incident ${i.source}/${i.recordId}${i.number ? ` ${i.number}` : ''}${i.title ? ` "${i.title}"` : ''}${s.normalizedFrom ? ` (normalized from a raw ${s.normalizedFrom} payload)` : ''}`,
  );
  out.push(
    `  priority ${i.priority ?? '-'}, impact ${i.impact ?? '-'}, urgency ${i.urgency ?? '-'}, state ${i.state ?? '-'}, caller ${i.caller ?? '-'}`,
  );
  out.push(
    s.service
      ? `service ${s.service.id} (${s.service.name}, tier ${s.service.tier}) from ${i.serviceName ?? i.ciName ?? i.number ?? '?'}`
      : `service: NOT IN THE CATALOGUE (service "${i.serviceName ?? ''}", CI "${i.ciName ?? ''}"): unmapped, never declared automatically`,
  );
  for (const w of s.windows)
    out.push(
      `window ${w.id}: count ${w.count}, distinct callers ${w.distinctCallers}; this event ${w.thisEventCounts ? 'counts' : 'does not count'} in it`,
    );
  out.push(`rules (${s.evaluation.evaluation}):`);
  for (const r of s.evaluation.results) {
    out.push(
      `  ${r.matched ? 'MATCH' : r.error !== undefined ? 'ERROR' : 'no   '} ${r.ruleId} → ${r.then}${r.error !== undefined ? `  (${r.error})` : ''}`,
    );
    for (const p of r.explanation ?? []) out.push(part(p));
  }
  for (const id of s.notEvaluated)
    out.push(`  -     ${id}: not evaluated (${s.evaluation.evaluation} already decided)`);
  for (const id of s.disabled) out.push(`  -     ${id}: disabled`);
  const e = s.evaluation;
  out.push(
    e.unmapped
      ? 'decision: none (unmapped service)'
      : `decision: ${e.decision}${e.decidedBy ? ` by ${e.decidedBy}` : ''}`,
  );
  if (s.actionsWhen === 'now') out.push('the declare playbook would run:');
  if (s.actionsWhen === 'on-acceptance')
    out.push('a candidate for the Major Incident Manager; on acceptance the declare playbook would run:');
  for (const a of s.actions) out.push(`  ${a.do}${params(a)}`);
  if (s.actionsWhen === 'never') out.push('no actions.');
  out.push('(simulation only: nothing was sent anywhere)');
  return `${out.join('\n')}\n`;
}
