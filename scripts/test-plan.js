// Pure parts of the test runner (scripts/test.js): which commands run, how the last line reads,
// and how to get Redis. No I/O, so the unit tests pass everything in.

/**
 * The README's test command: lint and format check, the type check, the main suite, then the chaos
 * suite alone (its tests kill and stall Redis and processes, so one file at a time). The chaos run
 * selects vitest's `chaos` project (vitest.config.ts) rather than a `test/chaos` filter, because
 * vitest adds filters up, and rather than excluding the other folders, because a project's own
 * `exclude` replaces the command line's (the integration project's did, and ran again here).
 * `extra` (what follows `npm test --`, filters included) narrows both runs alike; a filter that
 * matches nothing in one of the two runs is no failure.
 */
export function testSteps(extra = []) {
  const vitestExtra = extra.length ? ['--passWithNoTests', ...extra] : [];
  return [
    { key: 'lint', command: 'biome', args: ['ci', '.'] },
    { key: 'types', command: 'tsc', args: ['-p', 'tsconfig.json'] },
    { key: 'main', command: 'vitest', args: ['run', '--exclude', 'test/chaos/**', ...vitestExtra] },
    { key: 'chaos', command: 'vitest', args: ['run', '--project', 'chaos', '--maxWorkers=1', ...vitestExtra] },
  ];
}

function said(code) {
  return code === 0 ? 'passed' : `FAILED (exit ${code})`;
}

/** The last line of `npm test`; `codes` maps a step's key to its exit code. */
export function summaryLine(codes) {
  if (codes.types !== undefined && codes.types !== 0) {
    return `mim-bridge tests: lint ${said(codes.lint)}, type check ${said(codes.types)}; no test ran`;
  }
  return `mim-bridge tests: lint ${said(codes.lint)}, main suite ${said(codes.main)}, chaos suite ${said(codes.chaos)}`;
}

/** The one command that installs redis-server here, by `process.platform`. */
export function redisInstallHint(platform) {
  if (platform === 'darwin') return 'brew install redis';
  if (platform === 'linux')
    return 'sudo apt-get install redis-server   (Debian, Ubuntu; other Linux: its redis package)';
  return 'install Redis >= 7 (https://redis.io/docs/latest/operate/oss_and_stack/install/)';
}

/** host, port and TLS of a redis:// or rediss:// URL; undefined when it is neither. */
export function redisAddress(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') return undefined;
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1') || '127.0.0.1';
  return { host, port: Number(parsed.port || 6379), tls: parsed.protocol === 'rediss:' };
}

/** The URL with any password hidden, for messages. */
export function maskedUrl(url) {
  return String(url).replace(/\/\/[^@/]*@/, '//***@');
}

/** A Redis reply of any kind (`+PONG`, or `-NOAUTH …` from one that wants a password) means one answers. */
export function isRedisReply(firstBytes) {
  return /^[+-]/.test(firstBytes);
}
