import type { Command } from 'commander';

/**
 * The demo lives in sandbox/ at the top of the repository, beside bench/: it is not part of the
 * service, so the npm package and the Docker image leave it out. The URL is built rather than
 * written as an import so that the type checker and the build do not pull the sandbox into src/.
 */
const DEMO_MODULE = new URL('../../../sandbox/demo/run-demo.ts', import.meta.url);

/**
 * `mim-bridge demo [--keep-running]`: a whole payroll major incident, from the first call to
 * closure, against local simulators of every vendor (docs/sandbox.md#demo-and-sandbox). Exit 0
 * when every step of the story was observed, 1 naming the step that was not, 3 without Redis,
 * 2 when run from an installed package, which does not hold the sandbox.
 */
export function register(program: Command): void {
  program
    .command('demo')
    .description(
      'play a whole major incident against local simulators of ServiceNow, Jira, PagerDuty, Slack, Teams and email (from a clone of the repository)',
    )
    .option(
      '--keep-running',
      'leave the simulators and mim-bridge up afterwards, and print how to send your own events',
    )
    .action(async (opts: { keepRunning?: boolean }) => {
      const demo = await loadDemo();
      if (demo === undefined) {
        process.stderr.write(
          'mim-bridge demo: the demo and its vendor simulators ship with the repository, not the package; ' +
            'run it from a clone: git clone https://github.com/mim-bridge/mim-bridge && cd mim-bridge && npm ci && npm run demo\n',
        );
        process.exitCode = 2;
        return;
      }
      process.exitCode = await demo.runDemo({ keepRunning: opts.keepRunning === true });
    });
}

type DemoModule = { runDemo(options: { keepRunning: boolean }): Promise<number> };

async function loadDemo(): Promise<DemoModule | undefined> {
  try {
    return (await import(DEMO_MODULE.href)) as DemoModule;
  } catch (err) {
    if (
      (err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' &&
      String((err as Error).message).includes('run-demo')
    )
      return undefined;
    throw err;
  }
}
