#!/usr/bin/env node
// The `mim-bridge` command. Plain JavaScript that runs on Node >= 18: the launcher first makes
// sure a Node that can run mim-bridge runs it (bin/ensure-node.js), then loads the CLI.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureNode } from './ensure-node.js';

await ensureNode();

// A clone runs the TypeScript sources directly (Node's type stripping). An installed package runs
// the compiled dist/: Node does not strip types under node_modules, so sources there are not used.
const sources = new URL('../src/cli/main.ts', import.meta.url);
const installed = fileURLToPath(import.meta.url)
  .split(/[\\/]/)
  .includes('node_modules');
const entry = !installed && existsSync(sources) ? sources : new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`mim-bridge: ${fileURLToPath(entry)} is missing; build it with \`npm run build\`.\n`);
  process.exit(1);
}
const { run } = await import(entry.href);

process.exitCode = await run(process.argv);
