/**
 * Vendor error bodies end up in logs, dead letters and the timeline. Some echo the request
 * (proxies, mock servers, debug modes), credentials included, so anything that looks like one
 * is blanked before the text leaves the connector.
 */
const SECRET_KEYS = 'authorization|proxy-authorization|x-api-key|api[_-]?token|password|secret|token|routing_key';
const PATTERNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{4,}/gi, '$1 [redacted]'],
  [new RegExp(String.raw`("?(?:${SECRET_KEYS})"?\s*[:=]\s*)"[^"]*"`, 'gi'), '$1"[redacted]"'],
  [/\bxox[abprs]-[A-Za-z0-9-]+/g, '[redacted]'],
  // Credentials in a URL (a proxy's `http://user:pass@host`): the user part goes too.
  [/\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi, '$1[redacted]@'],
];

export function scrubSecrets(text: string): string {
  return PATTERNS.reduce((acc, [pattern, replacement]) => acc.replace(pattern, replacement), text);
}
