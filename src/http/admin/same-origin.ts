import type { Request } from 'express';

/** Where a browser says a request came from; `unknown` when it says nothing (not a browser). */
export type Provenance = 'same-origin' | 'cross-origin' | 'unknown';

/**
 * Fetch Metadata first (every current browser sends `Sec-Fetch-Site`), then `Origin` for older
 * ones: browsers send it on every non-GET request. The origin is ours when it names the host the
 * request was sent to, over HTTPS (a TLS proxy in front) or the scheme this request arrived on.
 * The Host header is trusted for this, not X-Forwarded-Host: the app does not trust proxies.
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Sec-Fetch-Site
 */
export function provenance(req: Request): Provenance {
  const site = req.get('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' ? 'same-origin' : 'cross-origin';
  const origin = req.get('origin');
  if (origin === undefined) return 'unknown';
  const host = req.get('host')?.toLowerCase();
  if (!host) return 'cross-origin';
  const o = origin.toLowerCase();
  return o === `https://${host}` || o === `${req.protocol}://${host}` ? 'same-origin' : 'cross-origin';
}

const SAFE = new Set(['GET', 'HEAD']);
export const isSafeMethod = (method: string) => SAFE.has(method);

export const CROSS_ORIGIN_REFUSAL = {
  error: 'forbidden',
  reason: 'cross_origin',
  message:
    'a cookie-authenticated change must come from this origin (Sec-Fetch-Site: same-origin or a matching ' +
    'Origin); use a bearer token from scripts',
} as const;
