import type { Command } from 'commander';

/**
 * `mim-bridge demo [--keep-running]`: a whole payroll major incident, from the first call to
 * closure, against local simulators of every vendor (docs/sandbox.md#demo-and-sandbox). Exit 0
 * when every step of the story was observed, 1 naming the step that was not, 3 without Redis.
 */
export function register(program: Command): void {
  program.command('demo')
    .description('play a whole major incident against local simulators of ServiceNow, Jira, PagerDuty, Slack, Teams and email')
    .option('--keep-running', 'leave the simulators and mim-bridge up afterwards, and print how to send your own events')
    .action(async (opts: { keepRunning?: boolean }) => {
      const { runDemo } = await import('../../sandbox/demo/run-demo.ts');
      process.exitCode = await runDemo({ keepRunning: opts.keepRunning === true });
    });
}
