import type { Request } from 'express';

export const SESSION_TTL_SECONDS = 8 * 3600;
/**
 * `__Host-`: the browser takes it only with Secure, Path=/ and no Domain, so no sibling subdomain
 * or plain-HTTP page can plant a session of its own choosing (cookie tossing, session fixation).
 * https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/Set-Cookie#cookie_prefixes
 */
export const SESSION_COOKIE = '__Host-mim_admin_session';
/** The name under MIM_ADMIN_COOKIE_INSECURE (plain-HTTP development): no Secure, so no prefix. */
export const INSECURE_SESSION_COOKIE = 'mim_admin_session';

export interface SessionCookie {
  readonly name: string;
  /** The Set-Cookie value; an empty value with max-age 0 clears it. */
  header(value: string, maxAgeSeconds: number): string;
}

/**
 * HttpOnly (scripts never see it), SameSite=Strict (no cross-site request carries it), Secure
 * always, whatever this hop was: TLS usually ends at a proxy, and the app trusts no forwarded headers.
 */
export function sessionCookie(insecure = false): SessionCookie {
  const name = insecure ? INSECURE_SESSION_COOKIE : SESSION_COOKIE;
  return {
    name,
    header: (value, maxAge) =>
      [
        `${name}=${value}`,
        'Path=/',
        'HttpOnly',
        'SameSite=Strict',
        `Max-Age=${maxAge}`,
        ...(insecure ? [] : ['Secure']),
      ].join('; '),
  };
}

/** The session id in the request's cookie header under exactly `name`, if any (no cookie-parser for one cookie). */
export function sessionId(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}
