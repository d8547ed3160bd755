import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { configCopy } from '../helpers/config-dir.ts';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

/**
 * Issue #16, item 10: `POST /admin/rules/validate {dir}` read any directory the service could,
 * and its answer (valid, missing files, YAML errors quoting lines) told a viewer what was there.
 * `dir` must now be the config directory (MIM_CONFIG_DIR) or a folder inside it, after symlinks
 * are resolved; anything else is refused with the same 400, whether it exists or not.
 */
const TOKEN = 'rules-validate-dir-token';
const root = configCopy();
const outside = configCopy();
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN, MIM_CONFIG_DIR: root.dir });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const validate = async (body: unknown) => {
  const res = await fetch(`${svc.url}/admin/rules/validate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};
const refused = {
  status: 400,
  body: {
    error: 'invalid_request',
    field: 'dir',
    issues: [{ path: 'dir', message: 'must be the config directory (MIM_CONFIG_DIR) or a folder inside it' }],
  },
};

describe('rules/validate {dir}', () => {
  it('validates the config directory, and a folder inside it', async () => {
    expect(await validate({})).toMatchObject({ status: 200, body: { valid: true, active: true } });
    const draft = path.join(root.dir, 'drafts', 'next');
    mkdirSync(path.dirname(draft));
    cpSync('config', draft, { recursive: true });
    expect(await validate({ dir: draft })).toMatchObject({ status: 200, body: { valid: true, dir: draft } });
  });

  it('refuses any other directory alike, existing or not, and says nothing of what is there', async () => {
    for (const dir of [
      outside.dir,
      '/etc',
      '/',
      tmpdir(),
      path.join(tmpdir(), 'no-such-dir-9f2c'),
      `${root.dir}-sibling`,
      path.join(root.dir, '..'),
      path.join(root.dir, 'drafts', '..', '..'),
    ]) {
      expect({ dir, ...(await validate({ dir })) }).toEqual({ dir, ...refused });
    }
  });

  it('refuses a symlink inside the config directory that leads out of it', async () => {
    const link = path.join(root.dir, 'elsewhere');
    symlinkSync(outside.dir, link);
    expect(await validate({ dir: link })).toEqual(refused);
    const nested = mkdtempSync(path.join(root.dir, 'inner-'));
    symlinkSync('/etc', path.join(nested, 'etc'));
    expect(await validate({ dir: path.join(nested, 'etc') })).toEqual(refused);
  });

  it('still names file and line of a problem in a folder it may read', async () => {
    const broken = path.join(root.dir, 'drafts', 'broken');
    cpSync('config', broken, { recursive: true });
    const rules = path.join(broken, 'rules.yaml');
    writeFileSync(rules, readFileSync(rules, 'utf8').replace('then: declare', 'then: panic'));
    expect(await validate({ dir: broken })).toMatchObject({
      status: 422,
      body: { valid: false, issues: [{ file: 'rules.yaml', path: 'rules.0.then' }] },
    });
  });
});
