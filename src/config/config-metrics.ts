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

export const configReloads: Counter<'result' | 'trigger'> =
  existing('mim_config_reload_total') ??
  new Counter({
    name: 'mim_config_reload_total',
    help:
      'Config reload attempts by result (applied, unchanged, rejected) and trigger (start, file, sighup, admin, ' +
      'api: applied through the admin API, remote: applied by another process).',
    labelNames: ['result', 'trigger'] as const,
    registers: [registry],
  });

export const configInfo: Gauge<'version'> =
  existing('mim_config_info') ??
  new Gauge({
    name: 'mim_config_info',
    help: 'The active config version (content hash) as a label; value 1.',
    labelNames: ['version'] as const,
    registers: [registry],
  });

export const configLastApplied: Gauge =
  existing('mim_config_last_applied_timestamp_seconds') ??
  new Gauge({
    name: 'mim_config_last_applied_timestamp_seconds',
    help: 'When the active config version was applied (Unix time); alert on rejected reloads, not on age.',
    registers: [registry],
  });

/**
 * Why a version another process announced (or `config:active` names) was not adopted; see
 * config/versions/config-sync.ts.
 */
export const CONFIG_SYNC_REJECTIONS = [
  'malformed_id',
  'not_stored',
  'malformed_files',
  'invalid_config',
  'version_mismatch',
  'read_failed',
] as const;
export type ConfigSyncRejection = (typeof CONFIG_SYNC_REJECTIONS)[number];

export const configSyncRejected: Counter<'reason'> =
  existing('mim_config_sync_rejected_total') ??
  new Counter({
    name: 'mim_config_sync_rejected_total',
    help:
      'Config versions from Redis (the config:activated channel or config:active) not adopted, the current one ' +
      'kept, by reason: malformed_id (not a version id), not_stored, malformed_files (not JSON or not the stored ' +
      'shape), invalid_config (files that do not validate), version_mismatch (files whose content hash is not ' +
      'their id), read_failed (Redis error).',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
// Every reason from zero, so an increase() alert sees the first rejection.
for (const reason of CONFIG_SYNC_REJECTIONS) configSyncRejected.inc({ reason }, 0);
