import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/**
 * Reads deploy/kubernetes as kustomize would see it (test/unit/deploy checks it, test/integration/deploy starts the
 * service from it): the kustomizations, the object documents, each Deployment's environment, the config volume.
 */

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DEPLOY = path.join(ROOT, 'deploy/kubernetes');
export const rel = (file: string) => path.relative(ROOT, file);

const Generator = z.strictObject({
  name: z.string().min(1),
  behavior: z.enum(['create', 'merge', 'replace']).optional(),
  literals: z.array(z.string()).optional(),
  files: z.array(z.string()).optional(),
  envs: z.array(z.string()).optional(),
});
export type Generator = z.infer<typeof Generator>;

/** The fields these kustomizations use; strict, so a misspelt field is an error, not a silently ignored line. */
export const Kustomization = z.strictObject({
  apiVersion: z.literal('kustomize.config.k8s.io/v1beta1'),
  kind: z.literal('Kustomization'),
  namespace: z.string().optional(),
  labels: z
    .array(z.strictObject({ pairs: z.record(z.string(), z.string()), includeSelectors: z.boolean() }))
    .optional(),
  resources: z.array(z.string()).optional(),
  images: z.array(z.strictObject({ name: z.string(), newName: z.string().optional(), newTag: z.string() })).optional(),
  replicas: z.array(z.strictObject({ name: z.string(), count: z.number().int() })).optional(),
  patches: z
    .array(
      z.strictObject({
        path: z.string().optional(),
        patch: z.string().optional(),
        target: z.record(z.string(), z.string()).optional(),
      }),
    )
    .optional(),
  configMapGenerator: z.array(Generator).optional(),
  secretGenerator: z.array(Generator).optional(),
});
export type Kustomization = z.infer<typeof Kustomization> & { readonly dir: string };

/** A document of a Kubernetes object file, with the file it came from. */
export interface K8sDoc {
  readonly file: string;
  readonly value: Record<string, unknown>;
}

export function yamlFiles(dir = DEPLOY): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}

export function parseYaml(file: string): unknown[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  if (!Array.isArray(docs)) return [];
  for (const d of docs) {
    if (d.errors.length) throw new Error(`${rel(file)}: ${d.errors.map((e) => e.message).join('; ')}`);
  }
  return docs.map((d) => d.toJS()).filter((v) => v !== null);
}

export const isKustomizationFile = (file: string) => path.basename(file) === 'kustomization.yaml';

export function kustomizations(): Kustomization[] {
  return yamlFiles()
    .filter(isKustomizationFile)
    .map((file) => {
      const parsed = Kustomization.safeParse(parseYaml(file)[0]);
      if (!parsed.success) throw new Error(`${rel(file)}: ${z.prettifyError(parsed.error)}`);
      return { ...parsed.data, dir: path.dirname(file) };
    });
}

/** `key=path` or `path` (the key is then the file's name), as kustomize reads a generator's `files`. */
export function generatorFile(k: Kustomization, entry: string): { key: string; file: string } {
  const eq = entry.indexOf('=');
  const source = eq < 0 ? entry : entry.slice(eq + 1);
  return { key: eq < 0 ? path.basename(source) : entry.slice(0, eq), file: path.resolve(k.dir, source) };
}

/** The VARIABLE=value lines of a kustomize env file: blank lines and `#` comments skipped. */
export function envFileEntries(file: string): Array<[string, string]> {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l): [string, string] =>
      l.includes('=') ? [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] : [l, ''],
    );
}

export const envFileKeys = (file: string) => envFileEntries(file).map(([key]) => key);

/** A generator's variables and their values (a `files` entry's value is the file's text). */
function generatorEntries(k: Kustomization, g: Generator): Array<[string, string]> {
  return [
    ...(g.literals ?? []).map((l): [string, string] => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    ...(g.envs ?? []).flatMap((e) => envFileEntries(path.resolve(k.dir, e))),
    ...(g.files ?? [])
      .map((f) => generatorFile(k, f))
      .map(({ key, file }): [string, string] => [key, readFileSync(file, 'utf8')]),
  ];
}

/** The variable names a generator puts in its ConfigMap or Secret. */
export const generatorKeys = (k: Kustomization, g: Generator) => generatorEntries(k, g).map(([key]) => key);

/** A path a kustomization names exists: a file, or a directory with a kustomization. */
export function referenced(k: Kustomization, ref: string): string | undefined {
  const target = path.resolve(k.dir, ref);
  if (!existsSync(target)) return `${rel(target)} does not exist`;
  if (statSync(target).isDirectory() && !existsSync(path.join(target, 'kustomization.yaml')))
    return `${rel(target)} is a directory without a kustomization.yaml`;
  return undefined;
}

/** Every document of the object files (resources and patches), each a mapping. */
export function objectDocs(): K8sDoc[] {
  return yamlFiles()
    .filter((f) => !isKustomizationFile(f))
    .flatMap((file) => parseYaml(file).map((value) => ({ file: rel(file), value: value as Record<string, unknown> })));
}

interface Container {
  readonly name: string;
  readonly env?: ReadonlyArray<{ name: string; value?: string }>;
  readonly envFrom?: ReadonlyArray<{ configMapRef?: { name: string }; secretRef?: { name: string } }>;
}
const containersOf = (doc: K8sDoc): Container[] =>
  (doc.value.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec?.containers ??
  [];

/**
 * The environment the kubelet gives the first container of Deployment `name` in the example overlay: its envFrom
 * sources in order (each generator of that name, base first, an overlay's merge after), then its env[] from the
 * Deployment and from the patches of the same name, later ones winning.
 */
export function deploymentEnv(name: string): Record<string, string> {
  const docs = objectDocs().filter(
    (d) => d.value.kind === 'Deployment' && (d.value.metadata as { name?: string }).name === name,
  );
  const containers = docs.flatMap(containersOf);
  const generators = kustomizations().flatMap((k) =>
    [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])].map((g) => ({
      name: g.name,
      entries: () => generatorEntries(k, g),
    })),
  );
  const env: Record<string, string> = {};
  for (const ref of containers.flatMap((c) => c.envFrom ?? [])) {
    const source = ref.configMapRef?.name ?? ref.secretRef?.name;
    for (const g of generators.filter((gen) => gen.name === source))
      Object.assign(env, Object.fromEntries(g.entries()));
  }
  for (const e of containers.flatMap((c) => c.env ?? [])) env[e.name] = e.value ?? '';
  return env;
}

/** The config volume: ConfigMap mim-bridge-config's keys, the file each is generated from, where each is mounted. */
export function configVolume(): Array<{ key: string; source: string; path: string }> {
  const found = kustomizations()
    .flatMap((k) => (k.configMapGenerator ?? []).map((g) => ({ k, g })))
    .find(({ g }) => g.name === 'mim-bridge-config');
  if (!found) throw new Error('no configMapGenerator makes mim-bridge-config');
  const sources = new Map(
    (found.g.files ?? []).map((f) => generatorFile(found.k, f)).map(({ key, file }) => [key, file]),
  );
  type Volume = { name: string; configMap?: { items?: Array<{ key: string; path: string }> } };
  const patch = objectDocs().find((d) => d.file.endsWith('base/config-volume.yaml'));
  const spec = patch?.value.spec as { template?: { spec?: { volumes?: Volume[] } } } | undefined;
  const volumes = spec?.template?.spec?.volumes ?? [];
  const items = volumes.find((v) => v.name === 'config')?.configMap?.items ?? [];
  return items.map((i) => ({ ...i, source: sources.get(i.key) ?? `(no generated key ${i.key})` }));
}

/**
 * Lays the config volume out in `dir` as the kubelet does a ConfigMap volume: the files in a timestamped directory,
 * `..data` a symlink to it, and each top-level name a symlink through `..data`. Returns a function that swaps in a
 * new timestamped directory the way an update does (one rename of `..data`), with `change` applied to its files.
 */
export function layOutConfigMap(dir: string): (change: (dataDir: string) => void) => void {
  const write = (stamp: string) => {
    const data = path.join(dir, stamp);
    for (const item of configVolume()) {
      mkdirSync(path.dirname(path.join(data, item.path)), { recursive: true });
      copyFileSync(item.source, path.join(data, item.path));
    }
    return data;
  };
  write('..2026_01_01_00_00_00.000000001');
  symlinkSync('..2026_01_01_00_00_00.000000001', path.join(dir, '..data'));
  for (const top of new Set(configVolume().map((i) => i.path.split('/')[0]!)))
    symlinkSync(`..data/${top}`, path.join(dir, top));
  return (change) => {
    const stamp = '..2026_01_01_00_00_00.000000002';
    change(write(stamp));
    symlinkSync(stamp, path.join(dir, '..data_tmp'));
    renameSync(path.join(dir, '..data_tmp'), path.join(dir, '..data'));
  };
}
