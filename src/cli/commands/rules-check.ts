import type { Command } from 'commander';
import { commandGroup, RULES_GROUP } from '../command-group.ts';

/** `mim-bridge rules check [dir]`: exit 0 and the version, or 1 and one `file:line:col path: reason` line per problem. */
export function register(program: Command): void {
  commandGroup(program, ...RULES_GROUP)
    .command('check')
    .description('validate the config directory (all files, references between them, CEL conditions, templates)')
    .argument('[dir]', 'config directory (default: $MIM_CONFIG_DIR or ./config)')
    .option('--json', 'print the result as JSON')
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      const { checkConfig } = await import('../check-config.ts');
      const result = await checkConfig(dir ?? (process.env.MIM_CONFIG_DIR || 'config'));
      if (opts.json) process.stdout.write(`${JSON.stringify(result.json, null, 2)}\n`);
      else (result.ok ? process.stdout : process.stderr).write(result.text);
      if (!result.ok) process.exitCode = 1;
    });
}
