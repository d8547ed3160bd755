import { InvalidArgumentError, type Command } from 'commander';
import type { ConnectionResult } from '../../connectors/checks.ts';
import { wrap } from '../wrap-text.ts';

/**
 * `mim-bridge doctor`: one harmless call per configured connection (connectors/checks.ts), as a
 * table with the fix for each failure, or `--json`. Exit 0 when every configured connection
 * passed, 1 when one failed or the environment is invalid, 2 on a usage error. The config
 * directory is read for the routing keys and Teams webhooks it names; when it cannot be read the
 * environment's own connections are still checked.
 */

export const TABLE_WIDTH = 120;
const RESULT: Readonly<Record<ConnectionResult['status'], string>> = {
  ok: 'ok',
  failed: 'FAILED',
  not_configured: 'not configured',
};

/** The table: one block per connection, detail and fix wrapped so no line passes `width`. */
export function formatConnections(results: readonly ConnectionResult[], width = TABLE_WIDTH): string {
  const vendorWidth = Math.max('CONNECTION'.length, ...results.map((r) => r.vendor.length));
  const resultWidth = Math.max('RESULT'.length, ...Object.values(RESULT).map((s) => s.length));
  const indent = vendorWidth + resultWidth + 4;
  const room = Math.max(20, width - indent);
  const pad = ' '.repeat(indent);
  const out = [`${'CONNECTION'.padEnd(vendorWidth)}  ${'RESULT'.padEnd(resultWidth)}  DETAIL`];
  for (const r of results) {
    const head = `${r.vendor.padEnd(vendorWidth)}  ${RESULT[r.status].padEnd(resultWidth)}  `;
    const text = r.status === 'not_configured' ? [] : wrap(r.detail, room);
    const fix = r.fix ? wrap(`fix: ${r.fix}`, room) : [];
    const [first = '', ...rest] = [...text, ...fix];
    out.push(`${head}${first}`.trimEnd(), ...rest.map((l) => `${pad}${l}`));
  }
  const failures = results.filter((r) => r.status === 'failed').length;
  const checked = results.filter((r) => r.status !== 'not_configured').length;
  out.push(
    '',
    failures ? `${failures} of ${checked} configured connection(s) failed` : `${checked} configured connection(s) ok`,
  );
  return `${out.join('\n')}\n`;
}

const timeout = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 100 || n > 120_000)
    throw new InvalidArgumentError('milliseconds, a whole number from 100 to 120000');
  return n;
};

export function register(program: Command): void {
  program
    .command('doctor')
    .description(
      'check every configured connection (ServiceNow, Jira, PagerDuty, Slack, Teams, SMTP) with a harmless call ' +
        'and print the fix for each failure; exit 1 when one fails',
    )
    .option('--json', 'print the results as JSON')
    .option('--timeout <ms>', 'how long each check may take', timeout, 10_000)
    .action(async (opts: { json?: boolean; timeout: number }) => {
      const { parseEnv, EnvError } = await import('../../config/env.ts');
      let env: ReturnType<typeof parseEnv>;
      try {
        env = parseEnv(process.env);
      } catch (err) {
        if (!(err instanceof EnvError)) throw err;
        process.stderr.write(`mim-bridge doctor: ${err.message}\n`);
        process.exitCode = 1;
        return;
      }
      const [{ loadConfig }, { routeSecret }, { runChecks, allPassed }] = await Promise.all([
        import('../../config/files/load-config.ts'),
        import('../../config/route-env.ts'),
        import('../../connectors/checks.ts'),
      ]);
      const config = await loadConfig(env.MIM_CONFIG_DIR).catch(() => {
        process.stderr.write(
          `mim-bridge doctor: the config in ${env.MIM_CONFIG_DIR} does not load (see \`mim-bridge rules check\`); ` +
            'the routing keys and Teams webhooks it names are not checked\n',
        );
        return undefined;
      });
      const results = await runChecks({
        env,
        routeSecret: (name) => routeSecret(process.env, name),
        timeoutMs: opts.timeout,
        ...(config ? { config } : {}),
      });
      const ok = allPassed(results);
      if (opts.json) process.stdout.write(`${JSON.stringify({ ok, connections: results }, null, 2)}\n`);
      else process.stdout.write(formatConnections(results));
      if (!ok) process.exitCode = 1;
    });
}
