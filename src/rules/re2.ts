import { RE2JS } from 're2js';

/**
 * CEL's `matches()` on RE2 (re2js, a pure-JS port), as the CEL spec defines it: matching time
 * grows linearly with the input, so no pattern can stall the thread the way `^(a+)+$` stalls a
 * backtracking engine. The syntax is RE2's (https://github.com/google/re2/wiki/Syntax): no
 * backreferences and no lookaround.
 */

/** A pattern longer than this is refused; the longest shipped one is about 100 characters. */
export const MAX_PATTERN_LENGTH = 1_000;
/**
 * Compiled instructions a pattern may have. Matching costs up to this many steps per input
 * character (the NFA's worst case), so it is the pattern's cost per character in cost.ts.
 * `\b(down|outage|…)\b` of the default rules compiles to about 200.
 */
export const MAX_PROGRAM_SIZE = 2_000;
/** Compiled patterns kept; the least recently used is dropped (patterns read from event data vary). */
const CACHE_SIZE = 500;

export class RegexError extends Error {
  readonly code = 'CEL_REGEX';
  constructor(message: string) {
    super(message);
    this.name = 'RegexError';
  }
}

const cache = new Map<string, RE2JS>();

/** The compiled pattern, or a RegexError saying why it is refused. Cached, bounded. */
export function re2(pattern: string): RE2JS {
  const hit = cache.get(pattern);
  if (hit) {
    cache.delete(pattern);
    cache.set(pattern, hit);
    return hit;
  }
  if (pattern.length > MAX_PATTERN_LENGTH)
    throw new RegexError(`regular expression longer than ${MAX_PATTERN_LENGTH} characters`);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (err) {
    // re2js says "error parsing regexp: invalid or unsupported Perl syntax: `(?=`".
    const reason = (err as Error).message.replace(/^error parsing regexp: /, '');
    throw new RegexError(`not an RE2 regular expression (no backreferences or lookaround): ${reason}`);
  }
  if (compiled.programSize() > MAX_PROGRAM_SIZE) {
    throw new RegexError(
      `regular expression too large: ${compiled.programSize()} instructions, at most ${MAX_PROGRAM_SIZE}`,
    );
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(pattern, compiled);
  return compiled;
}

/** CEL `string.matches(string)`: true when the pattern matches any part of the string. */
export function re2Matches(text: string, pattern: string): boolean {
  return re2(pattern).test(text);
}
