import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildService, killAllChildren, startChildService } from '../../helpers/child-service.ts';
import { deploymentEnv, layOutConfigMap } from '../../helpers/kubernetes-manifests.ts';
import { testRedis } from '../../helpers/redis.ts';
import { eventually } from '../../helpers/service.ts';

// The service as deploy/kubernetes runs it: each role a process with the environment its Deployment gives it
// (overlays/example), the config directory laid out as the kubelet lays out the ConfigMap volume. Only the address,
// the Redis and the config path are this machine's. The manifests' own checks are in test/unit/deploy.

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const { prefix, clean } = testRedis();
const dir = mkdtempSync(path.join(tmpdir(), 'mim-k8s-volume-'));
const updateConfigMap = layOutConfigMap(dir);
const envOf = (deployment: string) => ({
  ...deploymentEnv(deployment),
  PORT: '0',
  HOST: '127.0.0.1',
  REDIS_URL: redisUrl,
  MIM_REDIS_PREFIX: prefix,
  MIM_CONFIG_DIR: dir,
});

let web: ChildService;
let worker: ChildService;
beforeAll(async () => {
  [web, worker] = await Promise.all([
    startChildService(envOf('mim-bridge-web')),
    startChildService(envOf('mim-bridge-worker')),
  ]);
}, 60_000);
afterAll(async () => {
  await killAllChildren();
  await clean();
  rmSync(dir, { recursive: true, force: true });
});

const status = async (url: string) => (await fetch(url)).status;

describe('deploy/kubernetes: the example overlay started', () => {
  it('runs a web and a worker process, ready together on the probes the manifests use', async () => {
    expect(web.output()).toMatch(/"role":"web","msg":"mim-bridge listening"/);
    expect(worker.output()).toMatch(/"role":"worker"/);
    // The web process sends the canary, the worker consumes it: each one's /readyz needs the other.
    await eventually(
      async () => (await status(`${web.url}/readyz`)) === 200 && (await status(`${worker.url}/readyz`)) === 200,
      30_000,
      200,
    );
    for (const svc of [web, worker]) {
      expect(await status(`${svc.url}/healthz`)).toBe(200);
      // The worker autoscaler's metric (overlays/example/worker-hpa.yaml).
      expect(await (await fetch(`${svc.url}/metrics`)).text()).toMatch(
        /^mim_queue_jobs\{queue="events",state="waiting"\} \d+$/m,
      );
    }
  });

  it('reloads when the ConfigMap volume is updated (the kubelet swaps ..data)', async () => {
    updateConfigMap((data) => appendFileSync(path.join(data, 'rules.yaml'), '\n# updated through the ConfigMap\n'));
    for (const svc of [web, worker])
      await eventually(async () => /"trigger":"file".*"msg":"config applied"/.test(svc.output()), 15_000, 100);
  });

  it('stops with exit code 0 on SIGTERM, as the kubelet stops a pod', async () => {
    for (const svc of [web, worker]) {
      svc.child.kill('SIGTERM');
      expect(await svc.exited).toBe(0);
    }
    // Each may take up to MIM_SHUTDOWN_TIMEOUT_MS (25 s) before it exits 1: the deadline lets that show as a failure.
  }, 60_000);
});
