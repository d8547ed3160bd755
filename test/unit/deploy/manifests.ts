import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

/** Reads deploy/kubernetes as kustomize would see it, for kubernetes-manifests.test.ts. */

export const ROOT = path.resolve(import.meta.dirname, '../../..');
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
export function envFileKeys(file: string): string[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.slice(0, l.includes('=') ? l.indexOf('=') : l.length));
}

/** The variable names a generator puts in its ConfigMap or Secret. */
export function generatorKeys(k: Kustomization, g: Generator): string[] {
  return [
    ...(g.literals ?? []).map((l) => l.slice(0, l.indexOf('='))),
    ...(g.envs ?? []).flatMap((e) => envFileKeys(path.resolve(k.dir, e))),
    ...(g.files ?? []).map((f) => generatorFile(k, f).key),
  ];
}

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
