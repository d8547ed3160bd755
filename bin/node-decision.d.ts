// Types for the plain-JavaScript launcher's pure parts, so the TypeScript tests import them checked.
export declare const NEEDED_NODE: string;
export declare const FETCHED_NODE_PACKAGE: string;
export declare const OPT_OUT_VAR: string;
export declare const REEXEC_VAR: string;
export declare const FAKE_VERSION_VAR: string;

type Env = Readonly<Record<string, string | undefined>>;

export type Decision =
  | { kind: 'run' }
  | { kind: 'refuse'; message: string }
  | { kind: 'rerun'; fetch: boolean; message: string };

export declare function parseVersion(text: string): [number, number, number] | undefined;
export declare function atLeast(running: string, needed: string): boolean;
export declare function nodeCacheDir(env: Env, homeDir: string): string;
export declare function cachedNodeBinDir(cacheDir: string): string;
export declare function decide(input: {
  running: string;
  needed?: string;
  env: Env;
  cacheDir: string;
  cached: boolean;
}): Decision;
export declare function rerunEnv(env: Env, binDir: string, nodePath: string): Record<string, string | undefined>;
