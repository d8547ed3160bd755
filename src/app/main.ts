import './preflight.ts';
import { EnvError, parseEnv } from '../config/env.ts';
import { logOutboundProxy } from '../connectors/shared/proxy-agents.ts';
import { createLogger } from '../observability/logger.ts';
import { unhandledRejections } from '../observability/metrics.ts';
import { type RunningService, startService, StartupError } from './service.ts';

/** Process entry: parse the environment once, start, and shut down gracefully on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let env: ReturnType<typeof parseEnv>;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    if (err instanceof EnvError) {
      process.stderr.write(`mim-bridge: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(env.LOG_LEVEL);
  logOutboundProxy(logger);
  // A rejection nobody handles is a bug to fix, not a reason to drop every request and job in
  // flight (Node's default exits): it is logged with its error, counted, and the process serves on.
  process.on('unhandledRejection', (reason) => {
    unhandledRejections.inc();
    logger.error({ err: reason }, 'unhandled promise rejection; the process keeps serving');
  });
  // An uncaught exception keeps the default exit, since the state it leaves is unknown; logged first.
  process.on('uncaughtExceptionMonitor', (err, origin) => logger.fatal({ err, origin }, 'uncaught exception; exiting'));
  let service: RunningService;
  try {
    service = await startService({ env, logger });
  } catch (err) {
    if (err instanceof StartupError) {
      logger.fatal({ code: err.code }, err.message);
      process.stderr.write(`mim-bridge: ${err.message}\n`);
      process.exit(3);
    }
    throw err;
  }

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests and jobs');
    const force = setTimeout(() => {
      logger.error({ timeoutMs: env.MIM_SHUTDOWN_TIMEOUT_MS }, 'shutdown timed out; exiting');
      process.exit(1);
    }, env.MIM_SHUTDOWN_TIMEOUT_MS);
    force.unref();
    service.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'error during shutdown');
        process.exit(1);
      },
    );
  };
  process.on('SIGHUP', () => void service.config.reload('sighup'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

await main();
