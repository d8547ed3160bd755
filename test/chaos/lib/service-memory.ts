/** A service process's own RSS and heap, from its /metrics (`mim_process_*`). */
export interface Memory { readonly rss: number; readonly heapUsed: number }

export async function memoryOf(url: string): Promise<Memory> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { rss: read('mim_process_process_resident_memory_bytes'), heapUsed: read('mim_process_nodejs_heap_size_used_bytes') };
}
