/**
 * A service process's /metrics, scraped once: `value(name, ...labels)` is the first sample whose
 * line starts with `name` (followed by `{` or a space) and contains every `label="value"` given.
 */
export async function scrapeMetrics(url: string): Promise<(name: string, ...labels: string[]) => number> {
  const lines = (await (await fetch(`${url}/metrics`)).text()).split('\n');
  return (name, ...labels) => {
    const line = lines.find(
      (l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && labels.every((x) => l.includes(x)),
    );
    return line === undefined ? Number.NaN : Number(line.split(' ').at(-1));
  };
}

/**
 * The intake's ServiceNow 503s so far, by reason (`mim_intake_unavailable_seconds_count`), and its
 * gone-Redis drops (`mim_redis_gone_total`).
 */
export async function intakeUnavailableCounts(url: string) {
  const value = await scrapeMetrics(url);
  const count = (reason: string) =>
    value('mim_intake_unavailable_seconds_count', 'source="servicenow"', `reason="${reason}"`) || 0;
  return {
    not_connected: count('not_connected'),
    command_failed: count('command_failed'),
    timed_out: count('timed_out'),
    refused: count('refused'),
    gone: value('mim_redis_gone_total') || 0,
  };
}

/** A service process's own RSS and heap (`mim_process_*`). */
export interface Memory {
  readonly rss: number;
  readonly heapUsed: number;
}

export async function memoryOf(url: string): Promise<Memory> {
  const value = await scrapeMetrics(url);
  return {
    rss: value('mim_process_process_resident_memory_bytes'),
    heapUsed: value('mim_process_nodejs_heap_size_used_bytes'),
  };
}
