/** `<digits><unit>`: the one spelling of a duration in config files and settings. */
export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)$/;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const satisfies Record<string, number>;

/** "10m" → 600000. The config schema admits only `<digits><unit>`, so anything else is a bug. */
export function durationMs(text: string): number {
  const m = DURATION_PATTERN.exec(text);
  if (!m) throw new Error(`not a duration: ${text}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}
