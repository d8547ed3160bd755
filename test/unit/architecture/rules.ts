import type { ImportEdge } from './read-imports.ts';

// The rules of docs/architecture.md: arrows only point down. Each rule is named by the sentence
// the failure message prints.

/** Rooms of src/ whose imports are neither checked nor drawn (none today: the sandbox left src/). */
const OUTSIDE_THE_MATRIX = new Set<string>();

/**
 * The one import src/ builds from a URL: the demo command loads sandbox/ only when it is there,
 * because the npm package and the Docker image leave the sandbox out.
 */
const COMPUTED_IMPORT_ALLOWED = new Set(['cli/commands/demo.ts']);

const VENDORS = new Set(['servicenow', 'jira', 'pagerduty', 'slack', 'teams', 'email']);
const CORE = new Set(['orchestrator', 'process', 'actions', 'reconcile']);
const LEAVES = new Set(['lib', 'observability']);
/** The vocabulary is pure: the job-id digest that needs node:crypto lives in queue/actions/action-job-id.ts. */
const DOMAIN_PACKAGES = new Set(['zod']);

const roomOf = (path: string) => path.split('/')[0]!;
const isVendorFolder = (path: string) => path.startsWith('connectors/') && VENDORS.has(path.split('/')[1]!);

/** The rules one import breaks; empty when it obeys them all. */
export function breaksOf(edge: ImportEdge): string[] {
  const from = roomOf(edge.file);
  if (OUTSIDE_THE_MATRIX.has(from)) return [];
  const broken: string[] = [];
  if (edge.specifier === '<computed>' && !COMPUTED_IMPORT_ALLOWED.has(edge.file)) {
    broken.push('a dynamic import names its module literally, so readers and tools can follow it');
  }
  if (edge.target === undefined) {
    if (from === 'domain' && !DOMAIN_PACKAGES.has(edge.specifier)) broken.push('domain/ imports only zod');
    return broken;
  }
  if (edge.target.startsWith('../sandbox/')) {
    broken.push('src/ never imports sandbox/: the package and the Docker image leave it out');
  }
  // A file outside src/ (package.json) is no room of the matrix.
  if (edge.target.startsWith('..')) return broken;
  const to = roomOf(edge.target);
  if (to === from || OUTSIDE_THE_MATRIX.has(to)) return broken;
  if (to === 'app' && edge.file !== 'cli/commands/serve.ts') {
    broken.push('nothing imports app/ except cli/commands/serve');
  }
  if ((from === 'http' && to === 'cli') || (from === 'cli' && to === 'http')) {
    broken.push('http/ and cli/ never import each other');
  }
  if (CORE.has(from) && (['queue', 'http', 'cli'].includes(to) || isVendorFolder(edge.target))) {
    broken.push('orchestrator/, process/, actions/ and reconcile/ never import queue/, a vendor folder, http/ or cli/');
  }
  if (from === 'connectors' && (to === 'queue' || to === 'orchestrator')) {
    broken.push('connectors/ never imports the queue or the orchestrator');
  }
  if (from === 'domain') broken.push('domain/ imports only zod');
  if (LEAVES.has(from)) broken.push('lib/ and observability/ import nothing of ours');
  return broken;
}

export interface FolderCycle {
  /** The top-level folders of one loop, sorted. */
  folders: string[];
  /** Each arrow between them (`config → rules`) with its first import and how many there are. */
  arrows: { arrow: string; first: ImportEdge; count: number }[];
}

/** The loops of the folder graph: its strongly connected components with more than one folder. */
export function folderCycles(edges: ImportEdge[]): FolderCycle[] {
  const between = edges.filter(
    (e) =>
      e.target !== undefined &&
      !e.target.startsWith('..') &&
      roomOf(e.file) !== roomOf(e.target) &&
      !OUTSIDE_THE_MATRIX.has(roomOf(e.file)) &&
      !OUTSIDE_THE_MATRIX.has(roomOf(e.target)),
  );
  const next = new Map<string, Set<string>>();
  for (const e of between) {
    const from = roomOf(e.file);
    next.set(from, (next.get(from) ?? new Set()).add(roomOf(e.target!)));
  }
  return stronglyConnected(next)
    .filter((component) => component.length > 1)
    .map((component) => {
      const inside = new Set(component);
      const arrows = new Map<string, { arrow: string; first: ImportEdge; count: number }>();
      for (const e of between) {
        if (!inside.has(roomOf(e.file)) || !inside.has(roomOf(e.target!))) continue;
        const arrow = `${roomOf(e.file)} → ${roomOf(e.target!)}`;
        const seen = arrows.get(arrow);
        if (seen) seen.count += 1;
        else arrows.set(arrow, { arrow, first: e, count: 1 });
      }
      return {
        folders: [...component].sort(),
        arrows: [...arrows.values()].sort((a, b) => a.arrow.localeCompare(b.arrow)),
      };
    });
}

/** Tarjan's algorithm; the graph has a dozen nodes. */
function stronglyConnected(next: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const components: string[][] = [];
  const visit = (node: string) => {
    index.set(node, index.size);
    low.set(node, index.get(node)!);
    stack.push(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (stack.includes(to)) {
        low.set(node, Math.min(low.get(node)!, index.get(to)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        component.push(member);
      } while (member !== node);
      components.push(component);
    }
  };
  for (const node of [...next.keys()].sort()) if (!index.has(node)) visit(node);
  return components;
}
