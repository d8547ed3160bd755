import { userInfo } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { Queue } from 'bullmq';
import type { RedisClient } from '../../lib/redis-client.ts';
import type { DeadLetter, DeadLetters } from '../../queue/actions/dead-letters.ts';
import type { Target } from '../../domain/action.ts';
import type { Env } from '../../config/env.ts';
import { safeUrl } from '../safe-url.ts';

/**
 * `mim-bridge dead-letters list|groups|show|replay|discard|discard-group`: the admin API's dead-letter calls from a
 * shell, against the Redis in REDIS_URL under MIM_REDIS_PREFIX. Exit 0 done, 1 failed (unknown
 * id, Redis unreachable, bad environment), 2 usage. Queues are opened only for the targets used.
 */

interface Session {
  readonly redis: RedisClient;
  readonly prefix: string;
  readonly deadLetters: DeadLetters;
  queuesFor(targets: readonly Target[]): Promise<Map<Target, Queue>>;
}

const fail = (message: string, code = 1) => {
  process.stderr.write(`mim-bridge dead-letters: ${message}\n`);
  process.exitCode = code;
};

const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const isConnectionError = (err: unknown) => {
  const e = err as { code?: string; name?: string; message?: string };
  return (
    CONNECTION_ERRORS.has(e.code ?? '') ||
    e.name === 'MaxRetriesPerRequestError' ||
    /connection is closed|stream isn't writeable/i.test(e.message ?? '')
  );
};

async function withSession(fn: (s: Session) => Promise<void>): Promise<void> {
  const { parseEnv, EnvError } = await import('../../config/env.ts');
  let env: Env;
  try {
    env = parseEnv(process.env);
  } catch (err) {
    if (err instanceof EnvError) return fail(err.message);
    throw err;
  }
  const [{ createCliRedis }, { redisTopology }, { DeadLetters }, { createActionQueues }] = await Promise.all([
    import('../../queue/redis.ts'),
    import('../../config/env-redis.ts'),
    import('../../queue/actions/dead-letters.ts'),
    import('../../queue/actions/action-queues.ts'),
  ]);
  // Fail fast instead of reconnecting: a CLI call should answer, not hang.
  const redis = createCliRedis(redisTopology(env));
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => {
    lastError = err;
  });
  const unreachable = (err: unknown) =>
    fail(`cannot reach Redis at REDIS_URL=${safeUrl(env.REDIS_URL)} (${(lastError ?? (err as Error)).message})`);
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    return unreachable(err);
  }
  const opened: Queue[] = [];
  try {
    await fn({
      redis,
      prefix: env.MIM_REDIS_PREFIX,
      deadLetters: new DeadLetters(redis, env.MIM_REDIS_PREFIX),
      queuesFor: async (targets) => {
        const queues = createActionQueues(redis, env.MIM_REDIS_PREFIX, targets);
        opened.push(...queues.values());
        return queues;
      },
    });
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    unreachable(err);
  } finally {
    await Promise.allSettled(opened.map((q) => q.close()));
    redis.disconnect();
  }
}

async function parseTarget(value: string | undefined, command: Command): Promise<Target | undefined> {
  if (value === undefined) return undefined;
  const { Target, TARGETS } = await import('../../domain/action.ts');
  const parsed = Target.safeParse(value);
  if (!parsed.success)
    command.error(`error: unknown target "${value}": one of ${TARGETS.join(', ')}`, {
      exitCode: 2,
      code: 'mim.target',
    });
  return parsed.data;
}

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of at least 1');
  return n;
};

function table(letters: readonly DeadLetter[]): string {
  const rows = [
    ['DEAD AT', 'TARGET', 'CODE', 'ATTEMPTS', 'MAJOR INCIDENT', 'ACTION', 'JOB ID'],
    ...letters.map((l) => [
      l.deadAt,
      l.job?.target ?? '?',
      l.code,
      String(l.attempts),
      l.job?.majorIncidentId ?? '?',
      l.job?.do ?? '?',
      l.jobId,
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n')}\n`;
}

function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export function register(program: Command): void {
  const group = program
    .command('dead-letters')
    .description('inspect, replay and discard actions that failed for good (REDIS_URL, MIM_REDIS_PREFIX)')
    .exitOverride();

  group
    .command('list')
    .description('the dead letters, newest first')
    .option('--target <target>', 'only this target: servicenow, jira, pagerduty, slack, teams or email')
    .option('--limit <n>', 'at most this many', positiveInt, 100)
    .option('--json', 'print them as JSON')
    .action(async (opts: { target?: string; limit: number; json?: boolean }, command: Command) => {
      const target = await parseTarget(opts.target, command);
      await withSession(async ({ deadLetters }) => {
        const letters = await deadLetters.list(opts.limit, target);
        if (opts.json) process.stdout.write(`${JSON.stringify(letters, null, 2)}\n`);
        else process.stdout.write(letters.length ? table(letters) : 'no dead letters\n');
      });
    });

  group
    .command('groups')
    .description(
      'the dead letters grouped by target and error code, with count, first and last seen and the likely fix',
    )
    .option('--json', 'print them as JSON')
    .action(async (opts: { json?: boolean }) => {
      const [{ groupDeadLetters, GROUP_SCAN_LIMIT }, { formatDeadLetterGroups }] = await Promise.all([
        import('../../queue/actions/dead-letter-groups.ts'),
        import('../format-dead-letter-groups.ts'),
      ]);
      await withSession(async ({ deadLetters }) => {
        const letters = await deadLetters.list(GROUP_SCAN_LIMIT);
        const groups = groupDeadLetters(letters);
        const total = await deadLetters.count();
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ groups, scanned: letters.length, total }, null, 2)}\n`
            : formatDeadLetterGroups(groups, letters.length, total),
        );
      });
    });

  group
    .command('show')
    .description('one dead letter in full (JSON): the job, the error code and detail, attempts and times')
    .argument('<jobId>')
    .action(async (jobId: string) => {
      await withSession(async ({ deadLetters }) => {
        const letter = await deadLetters.get(jobId);
        if (!letter) return fail(`no dead letter with id ${jobId}`);
        process.stdout.write(`${JSON.stringify(letter, null, 2)}\n`);
      });
    });

  group
    .command('replay')
    .description(
      'send a dead letter again under its own job id (the vendor-side marker prevents a duplicate); --all ' +
        '--target <t> sends all of a target, oldest first',
    )
    .argument('[jobId]')
    .option('--all', 'every dead letter of --target')
    .option('--target <target>', 'with --all: the target whose letters to replay')
    .action(async (jobId: string | undefined, opts: { all?: boolean; target?: string }, command: Command) => {
      if (
        opts.all ? jobId !== undefined || opts.target === undefined : jobId === undefined || opts.target !== undefined
      ) {
        command.error('error: give a job id, or --all --target <target>', { exitCode: 2, code: 'mim.usage' });
      }
      const target = await parseTarget(opts.target, command);
      const { replayAllDeadLetters, replayDeadLetter } = await import('../../queue/actions/replay.ts');
      await withSession(async ({ deadLetters, queuesFor }) => {
        if (opts.all && target) {
          const result = await replayAllDeadLetters(target, deadLetters, await queuesFor([target]));
          if (result === 'no_queue') return fail(`no queue for ${target}`);
          process.stdout.write(
            `replayed ${result.replayed.length} dead letter(s) of ` +
              `${target}${result.notFound.length ? `; ${result.notFound.length} went away meanwhile` : ''}\n`,
          );
          for (const id of result.replayed) process.stdout.write(`${id}\n`);
          return;
        }
        const id = jobId!;
        const letter = await deadLetters.get(id);
        if (!letter) return fail(`no dead letter with id ${id}`);
        const { Target: TargetSchema } = await import('../../domain/action.ts');
        const letterTarget = TargetSchema.safeParse(letter.job?.target);
        if (!letterTarget.success)
          return fail(`dead letter ${id} has no valid target (a malformed job): discard it instead`);
        const result = await replayDeadLetter(id, deadLetters, await queuesFor([letterTarget.data]));
        if (result !== 'replayed')
          return fail(result === 'not_found' ? `no dead letter with id ${id}` : `no queue for ${letterTarget.data}`);
        process.stdout.write(`replayed ${id} to the ${letterTarget.data} queue\n`);
      });
    });

  group
    .command('discard')
    .description("drop a dead letter for good; the reason goes on the major incident's timeline (action.discarded)")
    .argument('<jobId>')
    .requiredOption('--reason <text>', 'why it will not be sent')
    .option('--actor <name>', 'who decides (default: cli:<login name>)')
    .action(async (jobId: string, opts: { reason: string; actor?: string }, command: Command) => {
      const reason = opts.reason.trim();
      if (!reason || reason.length > 2_000)
        command.error('error: --reason must say why, in at most 2000 characters', { exitCode: 2, code: 'mim.usage' });
      const [{ discardDeadLetter }, { MiStore }] = await Promise.all([
        import('../../queue/actions/discard.ts'),
        import('../../store/mi-store.ts'),
      ]);
      await withSession(async ({ redis, prefix, deadLetters }) => {
        const outcome = await discardDeadLetter(
          jobId,
          { reason, actor: opts.actor?.trim() || cliActor() },
          deadLetters,
          new MiStore(redis, prefix),
        );
        if (outcome.result === 'not_found') return fail(`no dead letter with id ${jobId}`);
        const recordedOn = outcome.letter.job?.majorIncidentId;
        process.stdout.write(`discarded ${jobId}${recordedOn ? ` (recorded on ${recordedOn})` : ''}\n`);
      });
    });

  group
    .command('discard-group')
    .description('drop every dead letter of one target and error code (see `groups`); each is recorded on its timeline')
    .requiredOption('--target <target>', "the group's target (or unknown, for letters of malformed jobs)")
    .requiredOption('--code <code>', "the group's error code, e.g. SLACK_CHANNEL_NOT_FOUND")
    .requiredOption('--reason <text>', 'why they will not be sent')
    .option('--actor <name>', 'who decides (default: cli:<login name>)')
    .action(async (opts: { target: string; code: string; reason: string; actor?: string }, command: Command) => {
      const reason = opts.reason.trim();
      if (!reason || reason.length > 2_000)
        command.error('error: --reason must say why, in at most 2000 characters', { exitCode: 2, code: 'mim.usage' });
      const target = opts.target === 'unknown' ? 'unknown' : await parseTarget(opts.target, command);
      const [{ discardDeadLetterGroup }, { MiStore }] = await Promise.all([
        import('../../queue/actions/dead-letter-groups.ts'),
        import('../../store/mi-store.ts'),
      ]);
      await withSession(async ({ redis, prefix, deadLetters }) => {
        const result = await discardDeadLetterGroup(
          { target: target!, code: opts.code },
          { reason, actor: opts.actor?.trim() || cliActor() },
          deadLetters,
          new MiStore(redis, prefix),
        );
        if (!result.done.length) return fail(`no dead letters of ${opts.target} ${opts.code}`);
        process.stdout.write(`discarded ${result.done.length} dead letter(s) of ${opts.target} ${opts.code}\n`);
        for (const id of result.done) process.stdout.write(`${id}\n`);
      });
    });
}
