import type { ReadinessReport } from '../process/readiness.ts';
import { READINESS_CHECKS } from '../process/readiness-checks.ts';
import type { ProcessTargets } from '../process/targets.ts';
import { wrap } from './wrap-text.ts';

/**
 * `mim-bridge readiness` as a table for a terminal: one line per service (tier, each check ✓ or ✗,
 * the tier's targets), the fix for each ✗ under it, then which checks were made offline and
 * whether every tier-1 service is ready. No line passes `width`.
 */

export const READINESS_WIDTH = 120;
const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
] as const;

/** Milliseconds the way config writes them: the largest unit that divides exactly (`90m`, `5d`, `1500ms`). */
export function configDuration(ms: number): string {
  for (const [unit, size] of UNITS) if (ms % size === 0 && ms >= size) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

const CHECK_HEAD: Readonly<Record<(typeof READINESS_CHECKS)[number], string>> = {
  roles: 'ROLES',
  audiences: 'AUDIENCES',
  escalation: 'ESCALATION',
  runbook: 'RUNBOOK',
  drill: 'DRILL',
};
const TARGET_HEAD: ReadonlyArray<readonly [keyof ProcessTargets, string]> = [
  ['ackMs', 'ACK'],
  ['mobiliseMs', 'MOBILISE'],
  ['firstCommsMs', '1ST COMMS'],
  ['cadenceMs', 'CADENCE'],
  ['pirDueMs', 'PIR DUE'],
];

export function formatReadiness(report: ReadinessReport, width = READINESS_WIDTH): string {
  const head = ['SERVICE', 'TIER', ...READINESS_CHECKS.map((c) => CHECK_HEAD[c]), ...TARGET_HEAD.map(([, h]) => h)];
  const rows = report.services.map((s) => [
    s.service,
    String(s.tier),
    ...READINESS_CHECKS.map((c) => (s.checks.find((x) => x.check === c)?.ok ? '✓' : '✗')),
    ...TARGET_HEAD.map(([k]) => configDuration(s.targets[k])),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [line(head)];
  report.services.forEach((s, i) => {
    out.push(line(rows[i]!));
    for (const c of s.checks)
      for (const fix of c.fixes) {
        const [first = '', ...rest] = wrap(`✗ ${c.check}: ${fix}`, width - 4);
        out.push(`  ${first}`, ...rest.map((l) => `    ${l}`));
      }
  });
  out.push('');
  if (report.offlineChecks.length)
    out.push(
      ...wrap(
        `offline: ${report.offlineChecks.join(', ')} made from config and environment alone` +
          (report.online ? ' (a check could not run)' : ' (the connection checks did not run)'),
        width,
      ),
    );
  const ready = report.services.filter((s) => s.ready).length;
  const tier1 = report.services.filter((s) => s.tier === 1 && !s.ready).map((s) => s.service);
  out.push(
    `${ready} of ${report.services.length} service(s) ready; ` +
      (tier1.length ? `tier 1 not ready: ${tier1.join(', ')}` : 'every tier-1 service ready'),
  );
  return `${out.join('\n')}\n`;
}
