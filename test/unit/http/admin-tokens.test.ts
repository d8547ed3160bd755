import { describe, expect, it } from 'vitest';
import { AdminTokenList } from '../../../src/config/admin-tokens.ts';
import { allows } from '../../../src/http/admin/tokens.ts';

const HASH = 'a'.repeat(64);

describe('MIM_ADMIN_TOKENS', () => {
  it('parses name:role:sha256:<hex> entries', () => {
    expect(AdminTokenList.parse(`ops-bot:operator:sha256:${HASH}, alice:admin:sha256:${'b'.repeat(64)}`)).toEqual([
      { name: 'ops-bot', role: 'operator', sha256: HASH },
      { name: 'alice', role: 'admin', sha256: 'b'.repeat(64) },
    ]);
    expect(AdminTokenList.parse(undefined)).toEqual([]);
  });

  it(
    'names the bad entry without echoing its hash, and refuses plain tokens, ' + 'unknown roles and duplicate names',
    () => {
      const issue = (v: string) => AdminTokenList.safeParse(v).error?.issues[0]?.message ?? '';
      expect(issue('ops:operator:my-plain-token')).toMatch(/^entry 1 \(ops\) is not name:role:sha256/);
      expect(issue('ops:operator:my-plain-token')).not.toContain('my-plain-token');
      expect(issue(`x:root:sha256:${HASH}`)).toMatch(/roles: viewer, operator, admin/);
      expect(issue(`x:admin:sha256:${HASH},x:viewer:sha256:${HASH}`)).toMatch(/unique/);
    },
  );
});

describe('roles', () => {
  it(
    'are ordered viewer < operator < admin (which role a route needs is on the route: ' +
      'test/security/role-matrix.test.ts)',
    () => {
      expect(allows('admin', 'operator')).toBe(true);
      expect(allows('operator', 'operator')).toBe(true);
      expect(allows('viewer', 'operator')).toBe(false);
      expect(allows('operator', 'admin')).toBe(false);
    },
  );
});
