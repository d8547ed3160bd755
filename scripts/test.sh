#!/bin/sh
# The README's test command (npm test): lint and format check, the type check, then the main suite
# and the chaos suite. The chaos suite runs even when the main suite fails, so one failing file
# never hides it; the exit code is non-zero when anything failed, and the last line says which.
set -u
npx biome ci .
lint=$?
npx tsc -p tsconfig.json || { echo "mim-bridge tests: the type check failed; no test ran"; exit 1; }
npx vitest run --exclude 'test/chaos/**'
main=$?
npx vitest run test/chaos --maxWorkers=1
chaos=$?
said() { [ "$1" -eq 0 ] && echo passed || echo "FAILED (exit $1)"; }
echo "mim-bridge tests: lint $(said $lint), main suite $(said $main), chaos suite $(said $chaos)"
[ $lint -eq 0 ] && [ $main -eq 0 ] && [ $chaos -eq 0 ]
