/**
 * The first import of the service's entry (src/app/main.ts), with no imports of its own so it runs
 * before anything else is evaluated: someone running `node dist/app/main.js` on a Node too old for
 * mim-bridge gets one line saying so (exit 2, like a bad environment) instead of an error from deep
 * inside a dependency. bin/ensure-node.js does the same for the CLI, and fetches Node 24 instead.
 */
const NEEDED = '22.18.0';

function atLeast(running: string, needed: string): boolean {
  const a = running.split('.').map(Number);
  const b = needed.split('.').map(Number);
  for (let i = 0; i < 3; i += 1) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  }
  return true;
}

if (!atLeast(process.versions.node, NEEDED)) {
  process.stderr.write(
    `mim-bridge: needs Node >= ${NEEDED} (Node 24 recommended), and this is Node ${process.versions.node}; ` +
      'install a newer Node, or start it with `mim-bridge serve` (`npm start` in a clone), ' +
      'which fetches Node 24 once.\n',
  );
  process.exit(2);
}
