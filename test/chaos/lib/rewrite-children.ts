import { readdirSync, readFileSync } from 'node:fs';

/**
 * This Redis's AOF rewrite children alive now. Redis titles the child `redis-aof-rewrite
 * <bind>:<port>`; the port tells this run's from another's. Read from /proc rather than pgrep,
 * whose pattern matching found nothing when run from a vitest worker (the same call matched
 * from plain node).
 */
export function rewriteChildren(port: number): number {
  const title = new RegExp(`^redis-aof-rewrite \\S*:${port}(?:\\s|\\0|$)`);
  let n = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (title.test(readFileSync(`/proc/${pid}/cmdline`, 'latin1'))) n++;
    } catch {
      /* gone since the listing */
    }
  }
  return n;
}
