import { mkdirSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configCopy } from '../helpers/config-dir.ts';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

/**
 * Issue #18: a misspelt fact or a type mismatch in a condition used to load, and then the rule never matched. The
 * admin API compiles drafts and versions with the same typed facts as `rules check`: validate answers 422 and apply
 * refuses the version, each with the file, line and column of the mistake, and the active rules stay.
 */
const TOKEN = 'rules-typed-facts-token';
const root = configCopy();
let svc: TestService;
beforeAll(async () => {
  svc = await startTestService({ MIM_ADMIN_TOKEN: TOKEN, MIM_CONFIG_DIR: root.dir });
});
afterAll(async () => {
  await stopAndClean(svc);
});

const call = async (route: string, body: unknown) => {
  const res = await fetch(`${svc.url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

const SHIPPED = readFileSync('config/rules.yaml', 'utf8');
const CASES = [
  ['service.tier == 1 &&', 'service.teir == 1 &&', 'teir', 'rules.0.when', 'CEL: No such key: teir'],
  ['incident.priority == 1)', 'incident.prority == 1)', 'prority', 'rules.0.when', 'CEL: No such key: prority'],
  ['window.storm_10m.count >= 5', 'window.storm_10m.cuont >= 5', 'cuont', 'rules.1.when', 'CEL: No such key: cuont'],
  [
    'window.storm_10m.count >= 5',
    "window.storm_10m.count >= '5'",
    'window.storm_10m',
    'rules.1.when',
    'CEL: no such overload: int >= string',
  ],
] as const;

/** The broken rules.yaml and the 1-based line and column of `blamed` in it. */
function broken(find: string, replace: string, blamed: string) {
  const text = SHIPPED.replace(find, replace);
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(replace));
  return { text, line: line + 1, column: lines[line]!.indexOf(blamed) + 1 };
}

describe('typed rule facts through the admin API', () => {
  it.each(CASES)('validate refuses %s → %s with its position', async (find, replace, blamed, where, message) => {
    const { text, line, column } = broken(find, replace, blamed);
    const draft = path.join(root.dir, 'drafts', blamed.replace(/\W/g, '-'));
    mkdirSync(path.dirname(draft), { recursive: true });
    cpSync('config', draft, { recursive: true });
    writeFileSync(path.join(draft, 'rules.yaml'), text);
    expect(await call('/admin/rules/validate', { dir: draft })).toEqual({
      status: 422,
      body: { valid: false, dir: draft, issues: [{ file: 'rules.yaml', line, column, path: where, message }] },
    });
  });

  it.each(CASES)(
    'apply refuses %s → %s with its position and keeps the active rules',
    async (find, replace, blamed, where, message) => {
      const active = svc.config.current().version;
      const { text, line, column } = broken(find, replace, blamed);
      const res = await call('/admin/rules/apply', { files: { 'rules.yaml': text } });
      expect(res.status).toBe(422);
      expect(res.body.issues).toEqual([{ file: 'rules.yaml', line, column, path: where, message }]);
      expect(svc.config.current().version).toBe(active);
    },
  );
});
