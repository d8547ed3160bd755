import type { Command } from 'commander';
import { commandGroup, RULES_GROUP } from '../command-group.ts';

interface SimulateOptions {
  event: string;
  config?: string;
  window?: string;
  source?: 'servicenow' | 'jira' | 'pagerduty';
  now?: string;
  json?: boolean;
}

/** `mim-bridge rules simulate --event <file>`: which rules match, why, the decision and the playbook; no side effects. */
export function register(program: Command): void {
  commandGroup(program, ...RULES_GROUP)
    .command('simulate')
    .description('evaluate the rules against one event and show why; sends nothing anywhere')
    .requiredOption(
      '--event <file>',
      'IncidentEvent JSON, or a raw ServiceNow/Jira/PagerDuty webhook body ("-" reads stdin)',
    )
    .option('--config <dir>', 'config directory (default: $MIM_CONFIG_DIR or ./config)')
    .option('--window <counts>', 'window counts, e.g. storm_10m=5 or storm_10m=5/3 (count/distinct callers); default 0')
    .option('--source <source>', 'for a raw payload: servicenow, jira or pagerduty (default: try each)')
    .option('--now <iso>', "evaluation time (default: the event's updatedAt)")
    .option('--json', 'print the simulation as JSON')
    .action(async (opts: SimulateOptions) => {
      const { runSimulate } = await import('../run-simulate.ts');
      const { code, out, err } = await runSimulate({
        ...opts,
        config: opts.config ?? (process.env.MIM_CONFIG_DIR || 'config'),
      });
      if (out) process.stdout.write(out);
      if (err) process.stderr.write(err);
      if (code) process.exitCode = code;
    });
}
