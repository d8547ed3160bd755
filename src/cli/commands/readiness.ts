import type { Command } from 'commander';
import type { Env } from '../../config/env.ts';

/**
 * `mim-bridge readiness [--config DIR] [--json] [--offline]`: is each service prepared for a major
 * incident (process/readiness.ts, docs/process.md#readiness)? A table with the fix for each ✗, or
 * `--json`. Online it reuses the connection checks of `mim-bridge doctor`; `--offline` makes no
 * vendor call and says which checks were made from config alone. The last drills are read from the
 * Redis in REDIS_URL (MIM_REDIS_PREFIX); without it they are unknown and the drill check fails.
 * Exit 0 when every tier-1 service is ready, 1 when one is not or the environment or config is
 * invalid, 2 on a usage error.
 */

const fail = (message: string) => {
  process.stderr.write(`mim-bridge readiness: ${message}\n`);
  process.exitCode = 1;
};

/** The last drills through a short-lived Redis connection that fails fast; `close` ends it. */
async function drillReader(env: Env) {
  const [{ createCliRedis }, { redisTopology }, { lastDrillReader }, { safeUrl }] = await Promise.all([
    import('../../queue/redis.ts'),
    import('../../config/env-redis.ts'),
    import('../../store/last-drill.ts'),
    import('../safe-url.ts'),
  ]);
  // A CLI call should answer, not wait for a Redis that is not there (single, Sentinel or Cluster, as the service).
  const redis = createCliRedis(redisTopology(env));
  redis.on('error', () => undefined);
  const reachable = await redis.connect().then(
    () => true,
    (err: Error) => {
      process.stderr.write(
        `mim-bridge readiness: cannot reach Redis at REDIS_URL=${safeUrl(env.REDIS_URL)} (${err.message}); ` +
          'the last drills are unknown\n',
      );
      return false;
    },
  );
  const read = lastDrillReader(redis, env.MIM_REDIS_PREFIX);
  return {
    lastDrillAt: (id: string) => (reachable ? read(id) : Promise.reject(new Error('Redis unreachable'))),
    close: () => redis.disconnect(),
  };
}

export function register(program: Command): void {
  program
    .command('readiness')
    .description(
      'is each service prepared for a major incident: roles, audiences, escalation path, runbook, last drill and ' +
        "its tier's targets, with the fix for each gap; exit 1 when a tier-1 service is not ready",
    )
    .option('--config <dir>', 'config directory (default: $MIM_CONFIG_DIR or ./config)')
    .option('--json', 'print the report as JSON')
    .option('--offline', 'make no connection check: config and environment alone (said in the output)')
    .action(async (opts: { config?: string; json?: boolean; offline?: boolean }) => {
      const { parseEnv, EnvError } = await import('../../config/env.ts');
      let env: Env;
      try {
        env = parseEnv(process.env);
      } catch (err) {
        if (!(err instanceof EnvError)) throw err;
        return fail(err.message);
      }
      const [{ loadConfig }, { ConfigError }, { routeSecret }, { readiness, channelSettings }, { formatReadiness }] =
        await Promise.all([
          import('../../config/files/load-config.ts'),
          import('../../config/files/config-error.ts'),
          import('../../config/route-env.ts'),
          import('../../process/readiness.ts'),
          import('../format-readiness.ts'),
        ]);
      const dir = opts.config ?? env.MIM_CONFIG_DIR;
      let config: Awaited<ReturnType<typeof loadConfig>>;
      try {
        config = await loadConfig(dir);
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        return fail(err.message);
      }
      const secret = (name: string) => routeSecret(process.env, name);
      const { runChecks } = await import('../../connectors/checks.ts');
      const connections = opts.offline ? undefined : await runChecks({ env, routeSecret: secret, config });
      const drills = await drillReader(env);
      try {
        const report = await readiness(
          {
            config,
            settings: channelSettings(env),
            routeSet: (name) => secret(name) !== undefined,
            now: new Date(),
            ...(connections ? { connections } : {}),
          },
          drills.lastDrillAt,
        );
        process.stdout.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatReadiness(report));
        if (!report.tier1Ready) process.exitCode = 1;
      } finally {
        drills.close();
      }
    });
}
