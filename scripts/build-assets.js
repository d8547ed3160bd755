// The files src/ reads at run time that tsc does not emit (the Lua scripts of src/store/lua, the
// console's static files), copied beside the compiled JavaScript so that each lookup relative to
// import.meta.url finds them in dist/ as it does in src/. Plain JavaScript: it runs before any
// build exists.
//   node scripts/build-assets.js [outDir]           copy every file of src/ that is not TypeScript
//   node scripts/build-assets.js --clean [outDir]   remove outDir first, so no stale output ships
import { cpSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const clean = args[0] === '--clean';
const outDir = (clean ? args[1] : args[0]) ?? 'dist';
const src = fileURLToPath(new URL('../src/', import.meta.url));

if (clean) {
  rmSync(outDir, { recursive: true, force: true });
} else {
  cpSync(src, outDir, {
    recursive: true,
    // Directories are walked; .ts sources are what tsc compiles.
    filter: (from) => !from.endsWith('.ts'),
  });
}
