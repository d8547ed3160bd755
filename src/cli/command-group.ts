import type { Command } from 'commander';

/**
 * A parent command (`rules`) shared by subcommands registered from different files
 * (`rules check`, `rules simulate`, `rules backtest`): the first caller creates it, the rest find it.
 */
export function commandGroup(program: Command, name: string, description: string): Command {
  const existing = program.commands.find((c) => c.name() === name);
  if (existing) return existing;
  return program.command(name).description(description).exitOverride();
}

export const RULES_GROUP = [
  'rules',
  'check, simulate and back-test the rules and the rest of the config directory',
] as const;
