import type { Command } from 'commander';
import type { Env } from '../../config/env.ts';
import { commandGroup, RULES_GROUP } from '../command-group.ts';
import { safeUrl } from '../safe-url.ts';

const fail = (message: string) => {
  process.stderr.write(`mim-bridge rules export: ${message}\n`);
  process.exitCode = 1;
};

/**
 * `mim-bridge rules export [--version <id>] [--out <dir>] [--force]`: writes the active (or a
 * stored) config version from Redis (REDIS_URL, MIM_REDIS_PREFIX) into a directory, by default
 * MIM_CONFIG_DIR, so it can be committed. Exit 0 written, 1 failed or refused, 2 usage.
 */
export function register(program: Command): void {
  commandGroup(program, ...RULES_GROUP)
    .command('export')
    .description(
      'write the active config version (or --version) from Redis to a directory, to commit it (REDIS_URL, ' +
        'MIM_REDIS_PREFIX)',
    )
    .option('--version <id>', 'a stored version id (12 hex digits) instead of the active one')
    .option('--out <dir>', 'the directory to write (default: $MIM_CONFIG_DIR or ./config)')
    .option('--force', 'overwrite files that differ and remove templates the version does not have')
    .action(async (opts: { version?: string; out?: string; force?: boolean }, command: Command) => {
      const { VERSION_ID, ConfigVersions } = await import('../../config/versions/config-versions.ts');
      if (opts.version !== undefined && !VERSION_ID.test(opts.version))
        command.error('error: --version must be a version id (12 hex digits)', { exitCode: 2, code: 'mim.usage' });
      const { parseEnv, EnvError } = await import('../../config/env.ts');
      let env: Env;
      try {
        env = parseEnv(process.env);
      } catch (err) {
        if (err instanceof EnvError) return fail(err.message);
        throw err;
      }
      const [{ createCliRedis }, { redisTopology }] = await Promise.all([
        import('../../queue/redis.ts'),
        import('../../config/env-redis.ts'),
      ]);
      // Fail fast instead of reconnecting: a CLI call should answer, not hang.
      const redis = createCliRedis(redisTopology(env));
      let lastError: Error | undefined;
      redis.on('error', (err: Error) => {
        lastError = err;
      });
      try {
        await redis.connect();
      } catch (err) {
        redis.disconnect();
        return fail(
          `cannot reach Redis at REDIS_URL=${safeUrl(env.REDIS_URL)} (${(lastError ?? (err as Error)).message})`,
        );
      }
      try {
        const versions = new ConfigVersions(redis, env.MIM_REDIS_PREFIX);
        const id = opts.version ?? (await versions.active());
        if (!id)
          return fail(
            `no active config version under MIM_REDIS_PREFIX=${env.MIM_REDIS_PREFIX}: has the service run ` +
              'against this Redis?',
          );
        const files = await versions.files(id);
        if (!files) return fail(`version ${id} is not stored (only the last 100 are kept)`);
        const out = opts.out ?? env.MIM_CONFIG_DIR;
        const { exportVersion } = await import('../../config/versions/export-version.ts');
        const result = await exportVersion(files, out, opts.force === true);
        if (result.refused) {
          return fail(
            `refusing to change ${out} (pass --force to overwrite):\n${[
              ...result.differ.map((f) => `  differs: ${f}`),
              ...result.extra.map((f) => `  not in ${id}: ${f}`),
            ].join('\n')}`,
          );
        }
        process.stdout.write(
          `wrote version ${id} to ${out}: ${result.written.length} file(s) written, ${result.unchanged.length} ` +
            `unchanged${result.extra.length ? `, ${result.extra.length} removed` : ''}\n`,
        );
        for (const f of result.written) process.stdout.write(`  ${f}\n`);
        for (const f of result.extra) process.stdout.write(`  removed ${f}\n`);
      } catch (err) {
        fail((err as Error).message);
      } finally {
        redis.disconnect();
      }
    });
}
