import { Command, CommanderError } from 'commander';
import * as deadLetters from './commands/dead-letters.ts';
import * as demo from './commands/demo.ts';
import * as doctor from './commands/doctor.ts';
import * as drill from './commands/drill.ts';
import * as readiness from './commands/readiness.ts';
import * as rulesBacktest from './commands/rules-backtest.ts';
import * as rulesCheck from './commands/rules-check.ts';
import * as rulesExport from './commands/rules-export.ts';
import * as rulesSimulate from './commands/rules-simulate.ts';
import * as serve from './commands/serve.ts';
import pkg from '../../package.json' with { type: 'json' };

/**
 * The `mim-bridge` command line. Each file in ./commands/ exports `register(program)`; a new
 * command is a file there and one line in this list, so a reader (and the import-matrix test)
 * sees every command from here. Keep heavy imports inside the command's action (a dynamic
 * `import()` of a literal path), so `mim-bridge rules check` does not load Redis or express.
 */
export interface CommandModule {
  register(program: Command): void;
}

/** In help order. */
const COMMANDS: readonly CommandModule[] = [
  deadLetters,
  demo,
  doctor,
  drill,
  readiness,
  rulesBacktest,
  rulesCheck,
  rulesExport,
  rulesSimulate,
  serve,
];

export function buildProgram(): Command {
  const program = new Command('mim-bridge')
    .description(
      'Major Incident Management between ServiceNow, Jira Service Management, PagerDuty, Slack, Teams and email',
    )
    .version(pkg.version, '-V, --version', 'print the version of mim-bridge')
    // The program's own options only before a command: `rules export --version <id>` is the command's.
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code (commands set `process.exitCode` on failure). */
export async function run(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`mim-bridge: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
