import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { snRecord, wrapped } from '../helpers/servicenow-record.ts';

const haveTools = ['openssl', 'curl'].every(
  (t) => spawnSync(t, ['--version']).status === 0 || spawnSync(t, ['version']).status === 0,
);

describe.skipIf(!haveTools)('integrations/servicenow/sign-example.sh', () => {
  let svc: TestService;
  beforeAll(async () => {
    svc = await startTestService();
  });
  afterAll(async () => {
    await stopAndClean(svc);
  });

  it('signs exactly as mim-bridge verifies (base64 HMAC of the raw bytes)', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'mim-sign-')), 'body.json');
    writeFileSync(file, JSON.stringify(wrapped(snRecord({ sys_id: 'ab000000000000000000000000000001' }), 'insert')));
    // Asynchronously: the service answering curl runs in this very process.
    const { stdout: out } = await promisify(execFile)(
      'integrations/servicenow/sign-example.sh',
      [file, `${svc.url}/webhooks/servicenow`],
      { env: { ...process.env, SECRET: SECRETS.servicenow } },
    );
    expect(out).toMatch(/^HTTP\/1\.1 202/);
    expect(out).toContain('"accepted":true');
  });
});
