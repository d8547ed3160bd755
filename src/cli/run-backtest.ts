import { ConfigError, formatIssue } from '../config/files/config-error.ts';
import { loadConfig, type LoadedConfig } from '../config/files/load-config.ts';
import { backtest, diffBacktests, type BacktestMi, type BacktestResult } from '../orchestrator/backtest.ts';
import { readEvents } from './read-events.ts';

const row = (m: BacktestMi) =>
  `  ${m.id.padEnd(10)} ${m.serviceId.padEnd(20)} ${m.state.padEnd(9)} ${(m.declaredAt ?? m.createdAt).padEnd(24)} ${m.decidedBy.padEnd(20)} ${m.origin} (+${m.children} attached)\n`;

function report(title: string, r: BacktestResult): string {
  const head = `${title}: config ${r.configVersion}, ${r.events} events, ${r.unmapped} on unmapped services, ${r.majorIncidents.length} major incident(s)\n`;
  return head + r.majorIncidents.map(row).join('');
}

async function load(dir: string): Promise<LoadedConfig | string> {
  try {
    return await loadConfig(dir);
  } catch (err) {
    if (err instanceof ConfigError) return err.issues.map((i) => formatIssue(i)).join('\n');
    throw err;
  }
}

export async function runBacktest(
  eventsPath: string,
  dir: string,
  against?: string,
): Promise<{ ok: boolean; text: string; json: unknown }> {
  const { events, skipped } = await readEvents(eventsPath);
  const a = await load(dir);
  if (typeof a === 'string') return { ok: false, text: `${a}\n`, json: { error: a } };
  const ra = backtest(a, events);
  let text = `${skipped ? `(${skipped} lines were not IncidentEvents and were skipped)\n` : ''}${report(dir, ra)}`;
  if (!against) return { ok: true, text, json: { result: ra, skipped } };
  const b = await load(against);
  if (typeof b === 'string') return { ok: false, text: `${b}\n`, json: { error: b } };
  const rb = backtest(b, events);
  const diff = diffBacktests(ra, rb);
  text += `\n${report(against, rb)}\nDifference (${dir} vs ${against}):\n`;
  text += diff.onlyInA.map((m) => `  only with ${dir}:${row(m).trimStart().replace(/^/, ' ')}`).join('');
  text += diff.onlyInB.map((m) => `  only with ${against}:${row(m).trimStart().replace(/^/, ' ')}`).join('');
  text += diff.changed
    .map(
      ({ a: x, b: y }) =>
        `  differs: ${x.serviceId} ${x.origin}: ${x.state} at ${x.declaredAt ?? x.createdAt} vs ${y.state} at ${y.declaredAt ?? y.createdAt}\n`,
    )
    .join('');
  if (!diff.onlyInA.length && !diff.onlyInB.length && !diff.changed.length) text += '  none\n';
  return { ok: true, text, json: { a: ra, b: rb, diff, skipped } };
}
