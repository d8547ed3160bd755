import path from 'node:path';
import { startSandbox, type Sandbox, type SandboxOptions } from '../index.ts';
import { sandboxRedis, type SandboxRedis } from '../redis.ts';
import { REPO_ROOT, runService, type RunningChild } from '../run-service.ts';
import { demoConfig, type DemoConfig } from './demo-config.ts';

/**
 * Everything the demo and the end-to-end tests run: a Redis, the simulators, a config copy and
 * mim-bridge as a child process wired to them. `close()` stops it all (and removes the keys
 * under the run's prefix from a shared Redis).
 */

export interface World {
  readonly redis: SandboxRedis;
  readonly sandbox: Sandbox;
  readonly service: RunningChild;
  readonly config: DemoConfig;
  close(): Promise<void>;
}

export interface WorldOptions extends Omit<SandboxOptions, 'configDir'> {
  /** Tier-1 comms cadence of the config copy (the shipped one when unset) and its autoPost. */
  readonly cadence?: string;
  readonly autoPost?: boolean;
  /** Changes to the config copy before mim-bridge starts. */
  readonly editConfig?: (dir: string) => void;
  /** Extra environment for mim-bridge (LOG_LEVEL …). */
  readonly env?: Readonly<Record<string, string>>;
  readonly redis?: SandboxRedis;
  readonly logFile?: string;
}

export async function startWorld(opts: WorldOptions = {}): Promise<World> {
  const redis = opts.redis ?? (await sandboxRedis());
  const config = demoConfig({
    from: path.join(REPO_ROOT, 'config'),
    ...(opts.cadence ? { cadence: opts.cadence } : {}),
    ...(opts.autoPost !== undefined ? { autoPost: opts.autoPost } : {}),
  });
  opts.editConfig?.(config.dir);
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox({
      configDir: config.dir,
      ...(opts.servicenowEchoes !== undefined ? { servicenowEchoes: opts.servicenowEchoes } : {}),
    });
    const s = sandbox;
    const service = await runService({
      env: { ...sandbox.env, ...opts.env },
      redisUrl: redis.url,
      // mim-bridge binds port 0: the simulators learn its URL as it listens, after every restart too.
      onListening: (url) => s.connect(url),
      ...(opts.logFile ? { logFile: opts.logFile } : {}),
    });
    return {
      redis,
      sandbox: s,
      service,
      config,
      close: async () => {
        await service.stop();
        await s.close();
        await redis.clean(service.prefix);
        if (!opts.redis) await redis.close();
        config.remove();
      },
    };
  } catch (err) {
    await sandbox?.close();
    if (!opts.redis) await redis.close();
    config.remove();
    throw err;
  }
}
