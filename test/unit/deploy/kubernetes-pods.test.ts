import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IContainer, IService } from 'kubernetes-models/v1';
import { afterAll, describe, expect, it } from 'vitest';
import { checkConfig } from '../../../src/cli/check-config.ts';
import { CONFIG_FILE_NAMES } from '../../../src/config/files/schema.ts';
import { queueDepth } from '../../../src/observability/metrics.ts';
import { QUEUE_EVENTS } from '../../../src/queue/events-queue.ts';
import {
  configVolume,
  DEPLOY,
  envFileKeys,
  generatorKeys,
  kustomizations,
  layOutConfigMap,
  objectDocs,
  ROOT,
} from '../../helpers/kubernetes-manifests.ts';
import { configEnvNames, dockerfile, envDefault, IMAGE_USERS, servedPaths } from './service-facts.ts';

// The pods of deploy/kubernetes against the service and its Dockerfile: probes on paths the role serves, the port
// it listens on, the user and command of the image, a grace period longer than the shutdown, the config directory
// mounted whole, and the autoscaler on a metric the service exports.

const docs = objectDocs();
const base = (file: string) => `deploy/kubernetes/base/${file}`;
const deployments = docs
  .filter(
    (d) => d.value.kind === 'Deployment' && !d.file.endsWith('config-volume.yaml') && !d.file.includes('/patches/'),
  )
  .map((d) => ({ file: d.file, d: d.value as unknown as IDeployment }));
const podOf = (d: IDeployment) => d.spec!.template.spec!;
const main = (d: IDeployment): IContainer => podOf(d).containers[0]!;
const envOf = (c: IContainer, name: string) => c.env?.find((e) => e.name === name)?.value;
const roleOf = (c: IContainer) => envOf(c, 'MIM_ROLE') ?? String(envDefault('MIM_ROLE'));
const portOf = (c: IContainer) => Number(envOf(c, 'PORT') ?? envDefault('PORT'));

describe('deploy/kubernetes pods', () => {
  it('has a web and a worker Deployment, each one container', () => {
    expect(deployments.map(({ d }) => [d.metadata?.name, roleOf(main(d))])).toEqual([
      ['mim-bridge-web', 'web'],
      ['mim-bridge-worker', 'worker'],
    ]);
    for (const { d } of deployments) expect(podOf(d).containers).toHaveLength(1);
  });

  it('probes ask paths the role serves, on the port the process listens on', () => {
    for (const { file, d } of deployments) {
      const c = main(d);
      const served = servedPaths(roleOf(c));
      const port = c.ports?.find((p) => p.containerPort === portOf(c));
      expect(port?.name, `${file}: no named container port is PORT ${portOf(c)}`).toBeTruthy();
      for (const kind of ['startupProbe', 'livenessProbe', 'readinessProbe'] as const) {
        const get = c[kind]?.httpGet;
        expect(get, `${file}: ${kind}`).toBeDefined();
        expect(served, `${file}: ${kind} ${get?.path}`).toContain(get?.path?.split('?')[0]);
        expect([port?.name, port?.containerPort], `${file}: ${kind} port`).toContain(get?.port);
      }
      // Web pods probe intake readiness only, so a worker outage does not empty the Service (health.ts).
      expect(c.readinessProbe?.httpGet?.path).toBe(
        c.env?.some((e) => e.name === 'MIM_ROLE' && e.value === 'web') ? '/readyz?scope=intake' : '/readyz',
      );
      expect(c.livenessProbe?.httpGet?.path).toBe('/healthz');
      const annotations = d.spec?.template.metadata?.annotations ?? {};
      expect(Number(annotations['prometheus.io/port']), file).toBe(portOf(c));
      expect(served).toContain(annotations['prometheus.io/path']);
    }
  });

  it('the Service sends to the web pods on the port they listen on, which the Dockerfile exposes', () => {
    const service = docs.find((d) => d.file === base('web-service.yaml'))!.value as unknown as IService;
    const web = deployments.find(({ d }) => roleOf(main(d)) === 'web')!.d;
    expect(web.spec?.template.metadata?.labels).toMatchObject(service.spec?.selector ?? { none: 'selected' });
    const target = service.spec?.ports?.[0]?.targetPort;
    const port = main(web).ports?.find((p) => p.name === target || p.containerPort === target);
    expect(port?.containerPort).toBe(portOf(main(web)));
    expect(dockerfile().expose).toBe(portOf(main(web)));
  });

  it("runs the image's command as its user, non-root, on a read-only root file system, with memory sized", () => {
    const image = dockerfile();
    for (const { file, d } of deployments) {
      const c = main(d);
      expect(c.command, file).toEqual(image.cmd);
      expect(podOf(d).securityContext?.runAsUser, file).toBe(IMAGE_USERS[image.user]);
      expect(podOf(d).securityContext?.runAsNonRoot, file).toBe(true);
      expect(c.securityContext, file).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
      expect(c.resources?.requests?.memory, file).toBeTruthy();
      expect(c.resources?.limits?.memory, file).toBeTruthy();
    }
  });

  it('the grace period outlasts the preStop sleep plus MIM_SHUTDOWN_TIMEOUT_MS', () => {
    for (const { file, d } of deployments) {
      const c = main(d);
      const shutdownMs = Number(envOf(c, 'MIM_SHUTDOWN_TIMEOUT_MS') ?? envDefault('MIM_SHUTDOWN_TIMEOUT_MS'));
      const sleep = c.lifecycle?.preStop?.exec?.command;
      const preStopMs = sleep?.[0] === 'sleep' ? Number(sleep[1]) * 1000 : 0;
      expect(podOf(d).terminationGracePeriodSeconds! * 1000, file).toBeGreaterThan(preStopMs + shutdownMs);
    }
  });

  it('a PodDisruptionBudget covers the pods of each Deployment', () => {
    const budgets = docs.filter((d) => d.value.kind === 'PodDisruptionBudget');
    for (const { file, d } of deployments) {
      const labels = d.spec?.template.metadata?.labels ?? {};
      const covering = budgets.filter((b) =>
        Object.entries((b.value as unknown as IPodDisruptionBudget).spec?.selector?.matchLabels ?? { none: '' }).every(
          ([k, v]) => labels[k] === v,
        ),
      );
      expect(
        covering.map((b) => b.file),
        file,
      ).toHaveLength(1);
    }
  });

  it('the worker autoscaler reads the events backlog from mim_queue_jobs', () => {
    const hpa = docs.find((d) => d.value.kind === 'HorizontalPodAutoscaler')!
      .value as unknown as IHorizontalPodAutoscaler;
    const worker = deployments.find(({ d }) => roleOf(main(d)) === 'worker')!.d;
    expect(hpa.spec?.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: worker.metadata?.name });
    expect(hpa.spec?.minReplicas).toBeGreaterThanOrEqual(2);
    const metric = hpa.spec?.metrics?.[0]?.external?.metric;
    // prom-client keeps a metric's name and label names on the metric object.
    const exported = queueDepth as unknown as { name: string; labelNames: readonly string[] };
    expect(metric?.name).toBe(exported.name);
    expect(Object.keys(metric?.selector?.matchLabels ?? {}).sort()).toEqual([...exported.labelNames].sort());
    expect(metric?.selector?.matchLabels).toEqual({ queue: QUEUE_EVENTS, state: 'waiting' });
    expect(readFileSync(path.join(ROOT, 'src/http/metrics-route.ts'), 'utf8')).toMatch(/STATES = \[[^\]]*'waiting'/);
  });

  it('the example secrets have a slot for every route variable config names, and no value', () => {
    const file = path.join(DEPLOY, 'overlays/example/secrets.env');
    expect(envFileKeys(file)).toEqual(expect.arrayContaining(configEnvNames()));
    const valued = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => /^[A-Z_]+=./.test(l));
    expect(valued).toEqual([]);
  });

  describe('the config directory', () => {
    const volume = configVolume();
    const generated = kustomizations()
      .flatMap((k) => (k.configMapGenerator ?? []).map((g) => ({ k, g })))
      .filter(({ g }) => g.name === 'mim-bridge-config')
      .flatMap(({ k, g }) => generatorKeys(k, g));
    const shipped = [
      ...CONFIG_FILE_NAMES,
      ...readdirSync(path.join(ROOT, 'config/templates'), { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.liquid'))
        .map((f) => `templates/${f.split(path.sep).join('/')}`),
    ].sort();
    const dir = mkdtempSync(path.join(tmpdir(), 'mim-k8s-config-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('mounts every generated key, each where its file lies under config/, and every file of config/', () => {
      expect(volume.map((i) => i.key).sort()).toEqual([...generated].sort());
      for (const i of volume) expect(path.relative(path.join(ROOT, 'config'), i.source), i.key).toBe(i.path);
      expect(volume.map((i) => i.path).sort()).toEqual(shipped);
    });

    it('is mounted at MIM_CONFIG_DIR, and the volume as the kubelet lays it out passes the config check', async () => {
      for (const { file, d } of deployments) {
        const volumeMount = main(d).volumeMounts?.find((m) => m.name === 'config');
        expect(volumeMount?.mountPath, file).toBe(envOf(main(d), 'MIM_CONFIG_DIR'));
      }
      layOutConfigMap(dir);
      const result = await checkConfig(dir);
      expect(result.text).toMatch(/^OK /);
    });
  });
});
