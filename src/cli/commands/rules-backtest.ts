import type { Command } from 'commander';
import { commandGroup, RULES_GROUP } from '../command-group.ts';

const configDir = (dir: string | undefined) => dir ?? (process.env.MIM_CONFIG_DIR || 'config');

/**
 * `mim-bridge rules backtest --events <ndjson|dir> [--config dir] [--against dir]` and
 * `mim-bridge rules export-events`: replay recorded traffic against a config before it goes live.
 */
export function register(program: Command): void {
  const rules = commandGroup(program, ...RULES_GROUP);
  rules
    .command('backtest')
    .description('replay recorded events in time order and report the major incidents a config would declare')
    .requiredOption('--events <path>', 'NDJSON file, or a directory of .ndjson/.json files, of IncidentEvents')
    .option('--config <dir>', 'config directory (default: $MIM_CONFIG_DIR or ./config)')
    .option('--against <dir>', 'a second config directory to compare with')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { events: string; config?: string; against?: string; json?: boolean }) => {
      const { runBacktest } = await import('../run-backtest.ts');
      const { text, json, ok } = await runBacktest(opts.events, configDir(opts.config), opts.against);
      (ok ? process.stdout : process.stderr).write(opts.json ? `${JSON.stringify(json, null, 2)}\n` : text);
      if (!ok) process.exitCode = 1;
    });

  rules
    .command('export-events')
    .description('write the recent-event log (the last 7 days of normalized events) as NDJSON to stdout')
    .option('--redis <url>', 'Redis URL (default: $REDIS_URL or redis://127.0.0.1:6379)')
    .option('--prefix <prefix>', 'key prefix (default: $MIM_REDIS_PREFIX or {mim})')
    .option('--since <iso>', 'only events recorded since this time')
    .action(async (opts: { redis?: string; prefix?: string; since?: string }) => {
      const [{ createCliRedis }, { EventLog }] = await Promise.all([
        import('../../queue/redis.ts'),
        import('../../store/event-log.ts'),
      ]);
      // --redis names one node; otherwise the environment's form (a single node, Sentinel or Cluster).
      let to: Parameters<typeof createCliRedis>[0];
      if (opts.redis) to = opts.redis;
      else {
        const [{ parseEnv, EnvError }, { redisTopology }] = await Promise.all([
          import('../../config/env.ts'),
          import('../../config/env-redis.ts'),
        ]);
        try {
          to = redisTopology(parseEnv(process.env));
        } catch (err) {
          if (!(err instanceof EnvError)) throw err;
          process.stderr.write(`mim-bridge rules export-events: ${err.message}\n`);
          process.exitCode = 1;
          return;
        }
      }
      const redis = createCliRedis(to);
      // The failed connect below says what went wrong, with the connection's own error when there is one.
      let lastError: Error | undefined;
      redis.on('error', (err: Error) => {
        lastError = err;
      });
      try {
        await redis.connect().catch((err: Error) => {
          throw new Error(`cannot reach Redis (${(lastError ?? err).message})`);
        });
        const log = new EventLog(redis, opts.prefix ?? process.env.MIM_REDIS_PREFIX ?? '{mim}');
        const since = opts.since ? Date.parse(opts.since) : 0;
        for (const e of await log.read(Number.isNaN(since) ? 0 : since, 1_000_000))
          process.stdout.write(`${JSON.stringify(e)}\n`);
      } catch (err) {
        process.stderr.write(`mim-bridge rules export-events: ${(err as Error).message}\n`);
        process.exitCode = 1;
      } finally {
        redis.disconnect();
      }
    });
}
