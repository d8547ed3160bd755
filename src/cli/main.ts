import { readdir } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';

/**
 * The `mim-bridge` command line. Every file in ./commands/ exports `register(program)` and is
 * picked up here, so a team adds its command (`serve`, `demo`, `rules backtest`) in a file of its
 * own without editing this one. Keep heavy imports inside the command's action (dynamic
 * `import()`), so `mim-bridge rules check` does not load Redis or express.
 */
export interface CommandModule {
  register(program: Command): void;
}

const COMMANDS_DIR = new URL('./commands/', import.meta.url);

async function commandModules(): Promise<CommandModule[]> {
  const files = (await readdir(COMMANDS_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')).sort();
  const modules: CommandModule[] = [];
  for (const file of files) {
    const mod = (await import(new URL(file, COMMANDS_DIR).href)) as Partial<CommandModule>;
    if (typeof mod.register === 'function') modules.push(mod as CommandModule);
  }
  return modules;
}

export async function buildProgram(): Promise<Command> {
  const program = new Command('mim-bridge')
    .description('Major Incident Management between ServiceNow, Jira Service Management, PagerDuty, Slack, Teams and email')
    .showHelpAfterError()
    .exitOverride();
  for (const mod of await commandModules()) mod.register(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code (commands set `process.exitCode` on failure). */
export async function run(argv: readonly string[] = process.argv): Promise<number> {
  const program = await buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`mim-bridge: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
  return typeof process.exitCode === 'number' ? process.exitCode : 0;
}
