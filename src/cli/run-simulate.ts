import { readFile } from 'node:fs/promises';
import { ConfigError } from '../config/files/config-error.ts';
import { loadConfig } from '../config/files/load-config.ts';
import { SOURCES, type Source } from '../domain/incident-event.ts';
import { MAX_JSON_DEPTH, tooDeep } from '../lib/json-depth.ts';
import { fromCel } from '../rules/cel.ts';
import { formatSimulation } from './format-simulation.ts';
import { EventInputError, incidentFromJson, parseWindowOption } from './read-event.ts';
import { simulate } from '../orchestrator/simulate.ts';

async function readInput(file: string): Promise<string> {
  if (file !== '-') return readFile(file, 'utf8');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The simulate command's work, returning what to print and the exit code (0 ok, 1 bad config or event). */
export async function runSimulate(opts: {
  event: string;
  config: string;
  window?: string;
  source?: string;
  now?: string;
  json?: boolean;
}): Promise<{ code: number; out?: string; err?: string }> {
  try {
    if (opts.source && !(SOURCES as readonly string[]).includes(opts.source))
      throw new EventInputError(`--source must be one of ${SOURCES.join(', ')}`);
    const now = opts.now ? new Date(opts.now) : undefined;
    if (now && Number.isNaN(now.getTime())) throw new EventInputError(`--now: not a date: ${opts.now}`);
    const config = await loadConfig(opts.config);
    let json: unknown;
    try {
      json = JSON.parse(await readInput(opts.event));
    } catch (err) {
      throw new EventInputError(`--event ${opts.event}: ${(err as Error).message}`);
    }
    const deep = tooDeep(json);
    if (deep !== undefined)
      throw new EventInputError(`--event ${opts.event}: ${deep} is nested more than ${MAX_JSON_DEPTH} levels deep`);
    const input = incidentFromJson(json, opts.source ? { source: opts.source as Source } : {});
    const window = parseWindowOption(
      opts.window,
      config.compiled.windows.map((w) => w.id),
    );
    const result = simulate(config, input, { window, ...(now ? { now } : {}) });
    return { code: 0, out: opts.json ? `${JSON.stringify(fromCel(result), null, 2)}\n` : formatSimulation(result) };
  } catch (err) {
    if (err instanceof ConfigError)
      return {
        code: 1,
        err: `${err.lines().join('\n')}\nthe config in ${opts.config} is invalid; fix it first (mim-bridge rules check)\n`,
      };
    if (err instanceof EventInputError) return { code: 1, err: `${err.message}\n` };
    throw err;
  }
}
