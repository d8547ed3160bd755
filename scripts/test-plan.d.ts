// Types for the test runner's pure parts, so the TypeScript tests import them checked.
export interface TestStep {
  key: 'lint' | 'types' | 'main' | 'chaos';
  command: string;
  args: string[];
}
export declare function testSteps(extra?: readonly string[]): TestStep[];
export declare function summaryLine(codes: Partial<Record<TestStep['key'], number>>): string;
export declare function redisInstallHint(platform: string): string;
export declare function redisAddress(url: string): { host: string; port: number; tls: boolean } | undefined;
export declare function maskedUrl(url: string): string;
export declare function isRedisReply(firstBytes: string): boolean;
