#!/usr/bin/env node
// Node runs the TypeScript sources directly (type stripping, Node >= 22.18): no build step.
import { run } from '../src/cli/main.ts';

process.exitCode = await run(process.argv);
