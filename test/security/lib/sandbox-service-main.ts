import { parseEnv } from '../../../src/config/env.ts';
import { createLogger } from '../../../src/observability/logger.ts';
import { startService } from '../../../src/app/service.ts';

/**
 * The service as its own process with a short sandbox deadline and a queue of one (the test's
 * TEST_SANDBOX_* variables), so the test process is never the one a blocked thread would stall.
 */
const env = parseEnv(process.env);
await startService({
  env,
  logger: createLogger(env.LOG_LEVEL),
  canaryIntervalMs: 200,
  sandbox: {
    timeoutMs: Number(process.env.TEST_SANDBOX_TIMEOUT_MS),
    maxQueue: Number(process.env.TEST_SANDBOX_MAX_QUEUE),
  },
});
