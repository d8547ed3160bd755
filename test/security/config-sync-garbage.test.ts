import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigVersions } from '../../src/config/versions/config-versions.ts';
import { killAllChildren, startChildService } from '../helpers/child-service.ts';
import { testRedis } from '../helpers/redis.ts';
import { SECRETS, eventually, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord } from '../helpers/servicenow-record.ts';
import { signedHeaders } from '../helpers/sign.ts';

/**
 * Every process follows the config version Redis announces (config:activated) and names
 * (config:active). Whatever is written there, a process keeps its current version, logs why at
 * error and counts it in mim_config_sync_rejected_total{reason}; it never crashes, at start-up
 * either (a crash there repeats at every restart).
 */

const rejectedCount = async (url: string, reason: string) => {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(
    new RegExp(`^mim_config_sync_rejected_total\\{reason="${reason}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0,
  );
};
const rejections = (lines: readonly string[]) =>
  lines
    .flatMap((l) => l.split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((l) => l.msg === 'config version from Redis not adopted; keeping the current one');

let serial = 0;
const accepted = async (url: string) => {
  serial += 1;
  const body = JSON.stringify(
    snRecord({ sys_id: `5a5a${String(serial).padStart(28, '0')}`, sys_mod_count: String(serial) }),
  );
  return (
    await fetch(`${url}/webhooks/servicenow`, {
      method: 'POST',
      body,
      headers: signedHeaders('servicenow', SECRETS.servicenow, body),
    })
  ).status;
};

describe('a running process and garbage on the config channel', () => {
  let svc: TestService;
  let versions: ConfigVersions;
  let running: string;
  const key = (name: string) => `${svc.keys.prefix}:config:${name}`;

  beforeAll(async () => {
    svc = await startTestService();
    versions = svc.config.versions!;
    running = svc.config.current().version;
  });
  afterAll(async () => {
    await stopAndClean(svc);
  });

  const activeFiles = async () => (await versions.files(running))!;
  const cases: Array<[string, string, () => Promise<string | undefined>, string]> = [
    ['a value that is not a version id', 'not a version id \u0000', async () => undefined, 'malformed_id'],
    ['an id that is not stored', '0123456789ab', async () => undefined, 'not_stored'],
    ['files that are not JSON', 'aaaaaaaaaaaa', async () => '{"services.yaml": ', 'malformed_files'],
    [
      'files of the wrong shape (a path outside the directory)',
      'bbbbbbbbbbbb',
      async () => JSON.stringify({ '../../etc/cron.d/x': 'boom' }),
      'malformed_files',
    ],
    [
      'files of the wrong shape (not an object of strings)',
      'cccccccccccc',
      async () => JSON.stringify({ 'rules.yaml': 42 }),
      'malformed_files',
    ],
    [
      'files that do not validate',
      'dddddddddddd',
      async () => JSON.stringify({ ...(await activeFiles()), 'services.yaml': 'services: 1\n' }),
      'invalid_config',
    ],
    [
      'valid files under an id that is not their content hash',
      'eeeeeeeeeeee',
      async () => JSON.stringify(await activeFiles()),
      'version_mismatch',
    ],
  ];

  it.each(cases)('keeps the current version on %s, and logs and counts why', async (_what, id, files, reason) => {
    const content = await files();
    if (content !== undefined) await svc.redis.set(key(`files:${id}`), content);
    const before = await rejectedCount(svc.url!, reason);
    const logged = rejections(svc.logs).length;

    await svc.redis.publish(versions.channel, id);

    const [line] = await eventually(async () => {
      const r = rejections(svc.logs).slice(logged);
      return r.length ? r : undefined;
    });
    expect(line).toMatchObject({ level: 50, reason, from: 'channel', running });
    expect(await rejectedCount(svc.url!, reason)).toBe(before + 1);
    expect(svc.config.current().version).toBe(running);
    expect(await accepted(svc.url!)).toBe(202);
  });

  it('lists the history and records a new version past a history line that is not an entry', async () => {
    await svc.redis.lpush(key('history'), 'not json', JSON.stringify({ id: 'x' }));
    expect((await versions.history()).map((e) => e.id)).toContain(running);
    const files = await activeFiles();
    const { recorded } = await versions.record(
      { id: running, appliedAt: new Date().toISOString(), appliedBy: 'test', source: 'api' },
      files,
    );
    expect(recorded).toBe(true);
    expect(await versions.active()).toBe(running);
  });
});

describe('a process starting on garbage in config:active', () => {
  const seeds: Array<[string, string, string | undefined, string]> = [
    ['a value that is not a version id', '{"id":1}', undefined, 'malformed_id'],
    ['an id whose stored files are not JSON', 'abcdef012345', 'not json at all', 'malformed_files'],
  ];

  afterAll(async () => {
    await killAllChildren();
  });

  it.each(seeds)(
    'starts and serves with %s, and says why it kept its own version',
    async (_what, active, files, reason) => {
      const { redis, prefix, clean } = testRedis();
      try {
        // The start-up record of the files cannot replace the garbage: the history key is of the wrong type.
        await redis.set(`${prefix}:config:history`, 'not a list');
        await redis.set(`${prefix}:config:active`, active);
        if (files !== undefined) await redis.set(`${prefix}:config:files:${active}`, files);

        const child = await startChildService({ MIM_REDIS_PREFIX: prefix });
        const line = await eventually(
          async () =>
            child
              .output()
              .split('\n')
              .find((l) => l.includes('config version from Redis not adopted')),
          10_000,
        );
        expect(JSON.parse(line)).toMatchObject({ level: 50, reason, from: 'active' });
        expect(await rejectedCount(child.url, reason)).toBe(1);
        expect(await accepted(child.url)).toBe(202);
        expect(child.child.exitCode).toBeNull();
        await child.kill();
      } finally {
        await clean();
      }
    },
  );
});
