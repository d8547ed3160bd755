import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { IncidentEvent } from '../domain/incident-event.ts';

/**
 * Recorded events from an NDJSON file, or every `.ndjson`/`.json` file of a directory (a `.json`
 * file holds one event or an array). Lines that are not valid IncidentEvents are counted, not fatal.
 */
export async function readEvents(where: string): Promise<{ events: IncidentEvent[]; skipped: number }> {
  const files = (await stat(where)).isDirectory()
    ? (await readdir(where))
        .filter((f) => f.endsWith('.ndjson') || f.endsWith('.json'))
        .sort()
        .map((f) => path.join(where, f))
    : [where];
  const events: IncidentEvent[] = [];
  let skipped = 0;
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const values: unknown[] = [];
    if (file.endsWith('.json')) {
      try {
        const parsed: unknown = JSON.parse(text);
        values.push(...(Array.isArray(parsed) ? parsed : [parsed]));
      } catch {
        skipped += 1;
      }
    } else {
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        try {
          values.push(JSON.parse(line));
        } catch {
          skipped += 1;
        }
      }
    }
    for (const v of values) {
      const e = IncidentEvent.safeParse(v);
      if (e.success) events.push(e.data);
      else skipped += 1;
    }
  }
  return { events, skipped };
}
