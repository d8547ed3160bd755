import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestService, stopAndClean, uniquePrefix, type TestService } from '../../helpers/service.ts';
import { runCli } from '../cli/run-in-process.ts';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const TOKENS = { operator: 'operator-token-rv', admin: 'admin-token-rv' };
const ENV = {
  MIM_ADMIN_TOKENS: `ops-bot:operator:sha256:${sha(TOKENS.operator)},alice:admin:sha256:${sha(TOKENS.admin)}`,
  MIM_ADMIN_RATE_LIMIT: '1000',
};
const RULES = readFileSync('config/rules.yaml', 'utf8');
const P1_TIER2 = 'service.tier == 2 && has(incident.priority) && incident.priority == 1\n    then: propose';
const DECLARING = RULES.replace(P1_TIER2, P1_TIER2.replace('then: propose', 'then: declare'));

let prefix: string;
let a: TestService;
let b: TestService;
let original: string;

beforeAll(async () => {
  prefix = uniquePrefix();
  a = await startTestService({ ...ENV, MIM_REDIS_PREFIX: prefix });
  b = await startTestService({ ...ENV, MIM_REDIS_PREFIX: prefix, MIM_ROLE: 'worker' });
  original = a.config.current().version;
});
afterAll(async () => {
  await b.stop();
  await stopAndClean(a);
});

const call = async (method: string, url: string, token: string = TOKENS.admin, body?: unknown) => {
  const res = await fetch(`${a.url}${url}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the tests read deep into several different answer shapes
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};
const event = {
  source: 'servicenow',
  deliveryId: 'rv-1',
  kind: 'incident.created',
  vendorEvent: 'insert',
  recordId: 'r-rv',
  number: 'INC77',
  title: 'SSO slow',
  priority: 1,
  serviceName: 'Single Sign-On',
  updatedAt: '2026-11-20T09:00:00Z',
  receivedAt: '2026-11-20T09:00:01Z',
  changedFields: [],
};
const decision = async () =>
  (await call('POST', '/admin/rules/simulate', TOKENS.admin, { event })).body.evaluation.decision as string;
const audits = () => a.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.audit === true);

describe('config versions through the admin API', () => {
  it('records the files at start-up as the active version, author files', async () => {
    const { status, body } = await call('GET', '/admin/rules/versions');
    expect(status).toBe(200);
    expect(body.active).toBe(original);
    expect(body.versions[0]).toMatchObject({
      id: original,
      appliedBy: 'files',
      source: 'files',
      active: true,
      previous: null,
    });
    // The second process started on the same files: no second entry.
    expect(body.versions).toHaveLength(1);
  });

  it('refuses an operator with 403, and unknown file names with 400', async () => {
    expect(
      (await call('POST', '/admin/rules/apply', TOKENS.operator, { files: { 'rules.yaml': DECLARING } })).status,
    ).toBe(403);
    expect((await call('POST', '/admin/rules/rollback', TOKENS.operator, { to: original })).status).toBe(403);
    const bad = await call('POST', '/admin/rules/apply', TOKENS.admin, { files: { '../etc/passwd': 'x' } });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('files.../etc/passwd');
    expect(a.config.current().version).toBe(original);
  });

  it('answers 422 with file, line and reason for an invalid version, and keeps the active one', async () => {
    const broken = RULES.replace(P1_TIER2, P1_TIER2.replace('then: propose', 'then: panic'));
    const line = broken.split('\n').findIndex((l) => l.includes('then: panic')) + 1;
    const res = await call('POST', '/admin/rules/apply', TOKENS.admin, { files: { 'rules.yaml': broken } });
    expect(res.status).toBe(422);
    expect(res.body.issues[0]).toMatchObject({ file: 'rules.yaml', line });
    expect(a.config.current().version).toBe(original);
    expect((await call('GET', '/admin/rules/versions')).body.versions).toHaveLength(1);
  });

  let applied: string;
  it('applies a valid change: active everywhere, the rules decide differently, history says who and when', async () => {
    expect(await decision()).toBe('propose');
    const res = await call('POST', '/admin/rules/apply', TOKENS.admin, {
      files: { 'rules.yaml': DECLARING },
      comment: 'P1 on tier 2 declares',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, changed: true, previous: original });
    applied = res.body.version as string;
    expect(applied).not.toBe(original);
    expect(a.config.current().version).toBe(applied);
    expect(await decision()).toBe('declare');
    // The other process on the same prefix picks it up.
    await eventually(async () => b.config.current().version === applied);
    expect(b.config.current().rules.rules.find((r) => r.id === 'p1-on-tier-2')?.then).toBe('declare');

    const history = (await call('GET', '/admin/rules/versions')).body;
    expect(history.active).toBe(applied);
    expect(history.versions[0]).toMatchObject({
      id: applied,
      appliedBy: 'alice',
      source: 'api',
      comment: 'P1 on tier 2 declares',
      previous: original,
      active: true,
    });
    expect(Date.now() - Date.parse(history.versions[0].appliedAt)).toBeLessThan(60_000);
    expect(history.versions[1]).toMatchObject({ id: original, active: false });
    expect(audits().find((l) => l.what === 'rules.apply' && l.status === 200)).toMatchObject({
      auth: 'alice',
      before: original,
      after: applied,
    });

    const files = (await call('GET', `/admin/rules/versions/${applied}`)).body.files as Record<string, string>;
    expect(files['rules.yaml']).toBe(DECLARING);
    expect(files['templates/business/update.liquid']).toBe(
      readFileSync('config/templates/business/update.liquid', 'utf8'),
    );
  });

  it('diffs a version against the active one: the changed line only', async () => {
    const res = await call('GET', `/admin/rules/versions/${original}/diff?against=active`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ from: applied, to: original });
    expect(res.body.files.map((f: { file: string }) => f.file)).toEqual(['rules.yaml']);
    expect(res.body.files[0].patch).toMatch(/\n- {4}then: declare\n\+ {4}then: propose\n/);
    expect((await call('GET', '/admin/rules/versions/ffffffffffff/diff')).status).toBe(404);
  });

  it(
    'exports the active version to files that `rules check` accepts, refusing to overwrite differing files without ' +
      '--force',
    async () => {
      const out = mkdtempSync(path.join(tmpdir(), 'mim-export-'));
      // In this process (a child per call took most of this test's time); exactly a child's environment.
      const cli = (args: string[]) =>
        runCli(['rules', ...args], {
          PATH: process.env.PATH ?? '',
          REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
          MIM_REDIS_PREFIX: prefix,
        });
      const first = await cli(['export', '--out', out]);
      expect(first.code, first.stderr).toBe(0);
      expect(readFileSync(path.join(out, 'rules.yaml'), 'utf8')).toBe(DECLARING);
      const check = await cli(['check', out, '--json']);
      expect(check.code, check.stderr).toBe(0);
      expect(JSON.parse(check.stdout)).toMatchObject({ version: applied });

      writeFileSync(path.join(out, 'rules.yaml'), RULES);
      const refused = await cli(['export', '--out', out]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('differs: rules.yaml');
      expect(readFileSync(path.join(out, 'rules.yaml'), 'utf8')).toBe(RULES);
      expect((await cli(['export', '--out', out, '--force'])).code).toBe(0);
      expect(readFileSync(path.join(out, 'rules.yaml'), 'utf8')).toBe(DECLARING);
      expect((await cli(['export', '--out', out, '--version', 'nope'])).code).toBe(2);
    },
  );

  it('rolls back to a stored version, validated again, as a new history entry', async () => {
    expect((await call('POST', '/admin/rules/rollback', TOKENS.admin, { to: 'ffffffffffff' })).status).toBe(404);
    const res = await call('POST', '/admin/rules/rollback', TOKENS.admin, { to: original });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ version: original, previous: applied, changed: true });
    expect(a.config.current().version).toBe(original);
    expect(await decision()).toBe('propose');
    await eventually(async () => b.config.current().version === original);
    const history = (await call('GET', '/admin/rules/versions')).body;
    expect(history.versions.map((v: { id: string }) => v.id)).toEqual([original, applied, original]);
    expect(history.versions[0]).toMatchObject({
      appliedBy: 'alice',
      source: 'api',
      rollbackOf: original,
      comment: `rollback to ${original}`,
      active: true,
    });
    expect(history.versions.filter((v: { active: boolean }) => v.active)).toHaveLength(1);
  });

  it('warns at start-up when the files replace a version applied through the API, naming rules export', async () => {
    const res = await call('POST', '/admin/rules/apply', TOKENS.admin, { files: { 'rules.yaml': DECLARING } });
    expect(res.status).toBe(200);
    const c = await startTestService({ ...ENV, MIM_REDIS_PREFIX: prefix, MIM_ROLE: 'worker' });
    try {
      expect(c.config.current().version).toBe(original);
      expect(c.logs.join('')).toContain(`mim-bridge rules export --version ${applied}`);
      // The files win for every process: the others follow.
      await eventually(async () => a.config.current().version === original);
      const top = (await call('GET', '/admin/rules/versions')).body.versions[0];
      expect(top).toMatchObject({ id: original, source: 'files', appliedBy: 'files', previous: applied });
    } finally {
      await c.stop();
    }
  });
});
