import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { EnvSchema } from '../../../src/config/env.ts';
import { isRouteEnvName } from '../../../src/config/route-env.ts';
import { ROOT } from '../../helpers/kubernetes-manifests.ts';

/** What the service itself says it reads, serves and runs as: the manifests are checked against these. */

/** The values of every `…Env` field in config/*.yaml: the route variables the shipped config names. */
export function configEnvNames(dir = path.join(ROOT, 'config')): string[] {
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) walk(n);
    else if (node && typeof node === 'object')
      for (const [key, value] of Object.entries(node)) {
        if (key.endsWith('Env') && typeof value === 'string') names.push(value);
        else walk(value);
      }
  };
  for (const f of readdirSync(dir).filter((f) => f.endsWith('.yaml')))
    walk(parse(readFileSync(path.join(dir, f), 'utf8')));
  return [...new Set(names)].sort();
}

const schemaEnv = new Set(Object.keys(EnvSchema.shape));
const configEnv = new Set(configEnvNames());

/** Why the service would not read `name`, or undefined when it does. */
export function unknownEnvReason(name: string): string | undefined {
  if (schemaEnv.has(name) || configEnv.has(name)) return undefined;
  if (isRouteEnvName(name)) return `${name} is a route variable that no *Env field of config/*.yaml names`;
  return `${name} is not in src/config/env.ts, and not a route variable config/*.yaml names`;
}

/** The default of an environment variable, as the service applies it when the variable is unset. */
export function envDefault(name: keyof typeof EnvSchema.shape): unknown {
  return EnvSchema.shape[name].parse(undefined);
}

/** GET paths an express app registers (`app.get('/path', …)`), read from its source file. */
function getPaths(file: string): Set<string> {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  return new Set([...text.matchAll(/\bapp\.get\(\s*'(\/[^']*)'/g)].map((m) => m[1]!));
}

/** What a process of each MIM_ROLE serves on PORT: the whole app, or a worker's probes and metrics. */
export function servedPaths(role: string): Set<string> {
  return getPaths(role === 'worker' ? 'src/http/probe-app.ts' : 'src/http/app.ts');
}

/** The runtime stage of the Dockerfile: the last USER, EXPOSE and CMD. */
export function dockerfile(): { user: string; expose: number; cmd: string[] } {
  const lines = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').split('\n');
  const last = (instruction: string) => {
    const line = lines.findLast((l) => l.startsWith(`${instruction} `));
    if (!line) throw new Error(`the Dockerfile has no ${instruction}`);
    return line.slice(instruction.length + 1).trim();
  };
  return { user: last('USER'), expose: Number(last('EXPOSE')), cmd: JSON.parse(last('CMD')) as string[] };
}

/** The uid of the Dockerfile's user in its base image, node:24-slim (its `node` user is 1000:1000). */
export const IMAGE_USERS: Readonly<Record<string, number>> = { node: 1000 };
