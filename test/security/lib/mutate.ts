import fc from 'fast-check';
import { copyJson, isRaw, toJsonText, type Json } from './json-text.ts';
import { nastyKey, nastyValue } from './nasty-values.ts';

/**
 * Mutations of a real payload: on the tree (a value replaced, removed, added, wrapped) and then on
 * its bytes (a BOM, a key given twice, bytes that are not UTF-8, a cut). `pick` chooses a node
 * among all of the tree's, modulo their number, so the same mutation list applies to any seed.
 */
export type Mutation =
  | { readonly op: 'set'; readonly pick: number; readonly value: Json }
  | { readonly op: 'delete'; readonly pick: number }
  | { readonly op: 'add'; readonly pick: number; readonly key: string; readonly value: Json }
  | { readonly op: 'wrap'; readonly pick: number; readonly asArray: boolean };

export type TextMutation =
  | { readonly op: 'none' }
  | { readonly op: 'bom' | 'pad' | 'trailing' }
  | { readonly op: 'duplicate-key'; readonly key: string; readonly value: Json; readonly last: boolean }
  | { readonly op: 'bad-utf8'; readonly at: number; readonly bytes: readonly number[] }
  | { readonly op: 'truncate'; readonly at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: nastyValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key: nastyKey, value: nastyValue }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wrap' as const), pick: fc.nat(), asArray: fc.boolean() }) },
);

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ op: 'none' as const }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom({ op: 'bom' as const }, { op: 'pad' as const }, { op: 'trailing' as const }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('duplicate-key' as const),
      key: nastyKey,
      value: nastyValue,
      last: fc.boolean(),
    }),
  },
  // Overlong NUL, a CESU-8 surrogate, a stray continuation byte, bytes no UTF-8 has.
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('bad-utf8' as const),
      at: fc.nat(),
      bytes: fc.constantFrom([0xc0, 0x80], [0xed, 0xa0, 0x80], [0x80], [0xff, 0xfe]),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
);

type Path = ReadonlyArray<string | number>;
type Container = Json[] | { [key: string]: Json };

const isContainer = (v: unknown): v is Container =>
  typeof v === 'object' &&
  v !== null &&
  !isRaw(v) &&
  (Array.isArray(v) || Object.getPrototypeOf(v) === Object.prototype);

/** Every node's path, the root's (`[]`) first; bounded so a huge fixture stays cheap. */
function pathsOf(tree: Json, max = 500): Path[] {
  const out: Path[] = [];
  const walk = (node: Json, path: Path) => {
    if (out.length >= max) return;
    out.push(path);
    if (!isContainer(node)) return;
    for (const [k, v] of Object.entries(node)) walk(v, [...path, Array.isArray(node) ? Number(k) : k]);
  };
  walk(tree, []);
  return out;
}

/** An own property even for `__proto__`, which plain assignment would turn into a prototype change. */
function put(target: Container, key: string | number, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function at(tree: Json, path: Path): Json {
  return path.reduce<Json>((node, k) => (node as Record<string | number, Json>)[k]!, tree);
}

/** The tree with one mutation applied; the root may be replaced. */
function applyOne(tree: Json, m: Mutation): Json {
  const paths = pathsOf(tree);
  const path = paths[m.pick % paths.length]!;
  const node = at(tree, path);
  const replace = (value: Json): Json => {
    if (path.length === 0) return value;
    put(at(tree, path.slice(0, -1)) as Container, path[path.length - 1]!, value);
    return tree;
  };
  // Never the generated value itself: it may be shared with other cases, or end up inside itself.
  const value = 'value' in m ? copyJson(m.value) : null;
  switch (m.op) {
    case 'set':
      return replace(value);
    case 'wrap':
      return replace(m.asArray ? [node] : { value: node });
    case 'add':
      if (Array.isArray(node)) {
        node.push(value);
        return tree;
      }
      if (isContainer(node)) {
        put(node, m.key, value);
        return tree;
      }
      return replace({ [m.key]: node, value });
    case 'delete': {
      if (path.length === 0) return tree;
      const parent = at(tree, path.slice(0, -1)) as Container;
      const key = path[path.length - 1]!;
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      return tree;
    }
  }
}

export function mutateTree(seed: Json, mutations: readonly Mutation[]): Json {
  return mutations.reduce(applyOne, copyJson(seed));
}

/** The body's bytes after a text mutation (the signature is computed over these). */
export function mutateText(text: string, m: TextMutation): Buffer {
  switch (m.op) {
    case 'none':
      return Buffer.from(text);
    case 'bom':
      return Buffer.from(`\ufeff${text}`);
    case 'pad':
      return Buffer.from(`\r\n\t ${text} \n\n`);
    case 'trailing':
      return Buffer.from(`${text},{}`);
    case 'truncate':
      return Buffer.from(text).subarray(0, m.at % Math.max(1, Buffer.byteLength(text)));
    case 'duplicate-key': {
      const pair = `${JSON.stringify(m.key)}:${toJsonText(m.value)}`;
      // Only objects get a second key; anything else is left as it is.
      if (!text.startsWith('{') || !text.endsWith('}')) return Buffer.from(text);
      if (text === '{}') return Buffer.from(`{${pair}}`);
      return Buffer.from(m.last ? `${text.slice(0, -1)},${pair}}` : `{${pair},${text.slice(1)}`);
    }
    case 'bad-utf8': {
      const bytes = Buffer.from(text);
      const cut = m.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, cut), Buffer.from(m.bytes), bytes.subarray(cut)]);
    }
  }
}

/** The tree with the value at `path` replaced, when its parent is there (a copy; the seed is untouched). */
export function setPath(tree: Json, path: readonly string[], value: Json): Json {
  const copy = copyJson(tree);
  const parent = at(copy, path.slice(0, -1));
  if (isContainer(parent) && !Array.isArray(parent)) put(parent, path[path.length - 1]!, copyJson(value));
  return copy;
}
