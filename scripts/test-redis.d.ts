// Types for the test runner's Redis helpers, so the TypeScript tests import them checked.
export declare function redisAnswers(url: string): Promise<boolean>;
export declare function onPath(name: string, pathVar?: string): string | undefined;
export declare function startPrivateRedis(
  redisServer: string,
): Promise<{ url: string; stop: () => Promise<void> } | undefined>;
