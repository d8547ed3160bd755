import { Counter, Gauge } from 'prom-client';
import { registry } from '../observability/metrics.ts';

/**
 * Config metrics, registered in the process registry. Declared here, next to the code that
 * updates them; if observability/metrics.ts already registered a metric of the same name (it
 * did, before this file existed), that one is reused: one name may be registered only once.
 */
function existing<T>(name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}

export const configReloads: Counter<'result' | 'trigger'> = existing('mim_config_reload_total') ?? new Counter({
  name: 'mim_config_reload_total',
  help: 'Config reload attempts by result (applied, unchanged, rejected) and trigger (start, file, sighup, admin, api: applied through the admin API, remote: applied by another process).',
  labelNames: ['result', 'trigger'] as const,
  registers: [registry],
});

export const configInfo: Gauge<'version'> = existing('mim_config_info') ?? new Gauge({
  name: 'mim_config_info',
  help: 'The active config version (content hash) as a label; value 1.',
  labelNames: ['version'] as const,
  registers: [registry],
});

export const configLastApplied: Gauge = existing('mim_config_last_applied_timestamp_seconds') ?? new Gauge({
  name: 'mim_config_last_applied_timestamp_seconds',
  help: 'When the active config version was applied (Unix time); alert on rejected reloads, not on age.',
  registers: [registry],
});
