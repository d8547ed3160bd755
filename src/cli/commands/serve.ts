import type { Command } from 'commander';

/** `mim-bridge serve`: the service itself, exactly as `npm start` runs it (configured by the environment). */
export function register(program: Command): void {
  program
    .command('serve')
    .description('run the service: HTTP intake, admin API and workers (MIM_ROLE splits them)')
    .action(async () => {
      await import('../../app/main.ts');
    });
}
