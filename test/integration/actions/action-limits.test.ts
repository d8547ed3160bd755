import { afterAll, describe, expect, it } from 'vitest';
import { configCopy } from '../../helpers/config-dir.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

let svc: TestService | undefined;
afterAll(async () => {
  if (svc) await stopAndClean(svc);
});

describe('rules.yaml actions at worker start', () => {
  it('starts the PagerDuty worker with the configured limiter and retry policy, and logs them', async () => {
    const config = configCopy();
    config.edit(
      'rules.yaml',
      (t) => `${t}\nactions:\n  retry: { base: 2s, horizon: 36h }\n  rateLimits:\n    pagerduty: { max: 7, per: 2s }\n`,
    );
    svc = await startTestService({ MIM_CONFIG_DIR: config.dir });
    const lines = svc.logs.map(
      (l) => JSON.parse(l) as { target?: string; limiter?: unknown; policy?: unknown; msg?: string },
    );
    expect(lines.filter((l) => l.target === 'pagerduty' && l.limiter)).toEqual([
      expect.objectContaining({
        limiter: { max: 7, duration: 2_000 },
        policy: { baseMs: 2_000, capMs: 600_000, horizonMs: 36 * 3_600_000 },
      }),
    ]);
  });
});
