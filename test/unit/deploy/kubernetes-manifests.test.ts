import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ConfigMap, Namespace, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { IContainer } from 'kubernetes-models/v1';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseEnv } from '../../../src/config/env.ts';
import {
  DEPLOY,
  deploymentEnv,
  generatorKeys,
  isKustomizationFile,
  type K8sDoc,
  kustomizations,
  objectDocs,
  referenced,
  rel,
  yamlFiles,
} from '../../helpers/kubernetes-manifests.ts';
import { unknownEnvReason } from './service-facts.ts';

// deploy/kubernetes (docs/deploy-kubernetes.md) against the Kubernetes schema and against the service: files that
// parse, kustomizations whose paths exist, and only environment variables the service reads. Pod-level checks
// (probes, ports, user, config mount, autoscaler) are in kubernetes-pods.test.ts.

type Model = new (data: never) => { validate(): void };
/** The kinds the manifests use, with the schema of each; a new kind is added here. */
const MODELS: Readonly<Record<string, Model>> = {
  'v1/Namespace': Namespace,
  'v1/ServiceAccount': ServiceAccount,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
};

const all = kustomizations();
const patchFiles = new Set(
  all.flatMap((k) => (k.patches ?? []).flatMap((p) => (p.path ? [rel(path.resolve(k.dir, p.path))] : []))),
);
const docs = objectDocs();
const resources = docs.filter((d) => !patchFiles.has(d.file));

/** Why an object is not a valid instance of its kind, or undefined. */
function schemaProblem(value: Record<string, unknown>): string | undefined {
  const Kind = MODELS[`${String(value.apiVersion)}/${String(value.kind)}`];
  if (!Kind) return `no schema for ${String(value.apiVersion)} ${String(value.kind)} in this test`;
  try {
    new Kind(value as never).validate();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

const containersOf = (value: Record<string, unknown>): IContainer[] => {
  const pod = (value.spec as { template?: { spec?: { containers?: IContainer[]; initContainers?: IContainer[] } } })
    ?.template?.spec;
  return [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])];
};

/** Variables set by env[] in every container of every object, patches included. */
function containerEnv(list: readonly K8sDoc[]): Array<{ where: string; name: string }> {
  return list.flatMap((d) =>
    containersOf(d.value).flatMap((c) => (c.env ?? []).map((e) => ({ where: `${d.file} ${c.name}`, name: e.name }))),
  );
}

describe('deploy/kubernetes', () => {
  it('every YAML file parses, and every object names its apiVersion, kind and metadata.name', () => {
    expect(yamlFiles().length).toBeGreaterThan(10);
    const nameless = docs
      .filter((d) => {
        const meta = d.value.metadata as { name?: unknown } | undefined;
        return !(typeof d.value.apiVersion === 'string' && typeof d.value.kind === 'string' && meta?.name);
      })
      .map((d) => d.file);
    expect(nameless).toEqual([]);
  });

  it('every kustomization names files that exist, and every YAML file is used by one', () => {
    const missing: string[] = [];
    const used = new Set<string>();
    for (const k of all) {
      const refs = [
        ...(k.resources ?? []),
        ...(k.patches ?? []).flatMap((p) => (p.path ? [p.path] : [])),
        ...[...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].flatMap((g) => [
          ...(g.envs ?? []),
          ...(g.files ?? []).map((f) => f.slice(f.indexOf('=') + 1)),
        ]),
      ];
      for (const ref of refs) {
        const problem = referenced(k, ref);
        if (problem) missing.push(`${rel(k.dir)}: ${problem}`);
        used.add(rel(path.resolve(k.dir, ref)));
      }
    }
    expect(missing).toEqual([]);
    const unused = yamlFiles()
      .filter((f) => !isKustomizationFile(f))
      .map(rel)
      .filter((f) => !used.has(f));
    expect(unused).toEqual([]);
  });

  it('every whole object (not a patch) is valid against the Kubernetes schema of its kind', () => {
    expect(resources.map((d) => d.value.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));
    const invalid = resources.flatMap((d) => {
      const problem = schemaProblem(d.value);
      return problem ? [`${d.file}: ${problem}`] : [];
    });
    expect(invalid).toEqual([]);
  });

  it('every environment variable the manifests set, or load with envFrom, is one the service reads', () => {
    // A base generator and an overlay's `behavior: merge` of it make one ConfigMap: their keys together.
    const generated = all.flatMap((k) =>
      [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].map((g) => ({
        name: g.name,
        where: `${rel(k.dir)} ${g.name}`,
        keys: generatorKeys(k, g),
      })),
    );
    const fromEnvFrom = docs.flatMap((d) =>
      containersOf(d.value).flatMap((c) =>
        (c.envFrom ?? []).flatMap((e) => {
          const name = e.configMapRef?.name ?? e.secretRef?.name ?? '';
          const sources = generated.filter((g) => g.name === name);
          // A name no generator makes would stop the pod (CreateContainerConfigError): say so.
          if (!sources.length)
            return [{ where: `${d.file} ${c.name}`, name: `envFrom ${name}, which nothing generates` }];
          return sources.flatMap((s) => s.keys.map((key) => ({ where: s.where, name: key })));
        }),
      ),
    );
    const set = [...containerEnv(docs), ...fromEnvFrom];
    expect(set.map((s) => s.name)).toEqual(expect.arrayContaining(['MIM_ROLE', 'REDIS_URL', 'MIM_ADMIN_TOKENS']));
    const unknown = set.flatMap((s) => {
      const reason = unknownEnvReason(s.name);
      return reason ? [`${s.where}: ${reason}`] : [];
    });
    expect(unknown).toEqual([]);
  });

  it('the environment each Deployment gets parses as the service parses it at start-up', () => {
    for (const name of ['mim-bridge-web', 'mim-bridge-worker']) {
      const env = deploymentEnv(name);
      expect(Object.keys(env), name).toContain('MIM_ROLE');
      expect(() => parseEnv(env), name).not.toThrow();
    }
  });

  const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  // kubectl carries kustomize; where it is not installed, the checks above still read every file.
  it.skipIf(!kubectl)('kubectl kustomize renders the example overlay into valid objects, patches applied', () => {
    const out = execFileSync(
      'kubectl',
      ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', path.join(DEPLOY, 'overlays/example')],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    const rendered = parseAllDocuments(out)
      .map((d) => d.toJS() as Record<string, unknown>)
      .map((value) => ({ file: `${String(value.kind)}/${String((value.metadata as { name: string }).name)}`, value }));
    const invalid = rendered.flatMap((d) => {
      const problem = schemaProblem(d.value);
      return problem ? [`${d.file}: ${problem}`] : [];
    });
    expect(invalid).toEqual([]);
    const byName = new Map(rendered.map((d) => [d.file, d.value]));
    const web = byName.get('Deployment/mim-bridge-web') as { spec: { replicas?: number } };
    const worker = byName.get('Deployment/mim-bridge-worker') as { spec: { replicas?: number } };
    expect(web.spec.replicas).toBe(3);
    expect(worker.spec.replicas).toBeUndefined();
    // Generated names carry a hash; every envFrom reference was rewritten to one that is in the output.
    const loaded = rendered.flatMap((d) =>
      containersOf(d.value).flatMap((c) =>
        (c.envFrom ?? []).map((e) => {
          const ref = e.configMapRef ? `ConfigMap/${e.configMapRef.name}` : `Secret/${e.secretRef?.name}`;
          const source = byName.get(ref) as { data?: object } | undefined;
          expect(source, `${d.file}: envFrom ${JSON.stringify(e)}`).toBeDefined();
          return Object.keys(source?.data ?? {}).map((name) => ({ where: d.file, name }));
        }),
      ),
    );
    const unknown = [...containerEnv(rendered), ...loaded.flat()].flatMap((s) => {
      const reason = unknownEnvReason(s.name);
      return reason ? [`${s.where}: ${reason}`] : [];
    });
    expect(unknown).toEqual([]);
    for (const d of rendered.filter((r) => r.value.kind === 'Deployment')) {
      const c = containersOf(d.value)[0]!;
      expect(c.image, d.file).toBe('registry.example.com/mim-bridge:0.1.0');
      // The kubelet's order: envFrom sources, then env[] over them. Secret values are base64.
      const env: Record<string, string> = {};
      for (const e of c.envFrom ?? []) {
        const ref = e.configMapRef ? `ConfigMap/${e.configMapRef.name}` : `Secret/${e.secretRef?.name}`;
        const data = (byName.get(ref) as { data?: Record<string, string> }).data ?? {};
        for (const [k, v] of Object.entries(data))
          env[k] = ref.startsWith('Secret/') ? Buffer.from(v, 'base64').toString() : v;
      }
      for (const e of c.env ?? []) env[e.name] = e.value ?? '';
      expect(env, d.file).toEqual(deploymentEnv(String((d.value.metadata as { name: string }).name)));
      expect(() => parseEnv(env), d.file).not.toThrow();
    }
  });
});
