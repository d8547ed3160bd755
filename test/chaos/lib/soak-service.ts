/**
 * The service for the soak, as its own process: `startService` as src/app/main.ts runs it, plus the
 * shortened retention windows the soak needs (`MIM_SOAK_RETENTION`, JSON of `Retention`), which
 * are deliberately not an env var of the real service. Its heap and RSS are then its own, read
 * from /metrics, not the load generator's.
 */
import { parseEnv } from '../../../src/config/env.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { startService, type Retention } from '../../../src/app/service.ts';

const env = parseEnv(process.env);
const retention = JSON.parse(process.env.MIM_SOAK_RETENTION ?? '{}') as Retention;
const service = await startService({ env, logger: createLogger(env.LOG_LEVEL), retention });
process.on(
  'SIGTERM',
  () =>
    void service.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    ),
);
