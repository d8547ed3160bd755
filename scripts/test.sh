#!/bin/sh
# The README's test command (npm test): the type check, then the main suite and the chaos suite.
# The chaos suite runs even when the main suite fails, so one failing file never hides it; the
# exit code is non-zero when either failed, and the last line says which.
set -u
npx tsc -p tsconfig.json || { echo "mim-bridge tests: the type check failed; no test ran"; exit 1; }
npx vitest run --exclude 'test/chaos/**'
main=$?
npx vitest run test/chaos --maxWorkers=1
chaos=$?
echo "mim-bridge tests: main suite $( [ $main -eq 0 ] && echo passed || echo "FAILED (exit $main)" ), chaos suite $( [ $chaos -eq 0 ] && echo passed || echo "FAILED (exit $chaos)" )"
[ $main -eq 0 ] && [ $chaos -eq 0 ]
