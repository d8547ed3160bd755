import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { AdminLimits } from './rate-limits.ts';
import { CROSS_ORIGIN_REFUSAL, isSafeMethod, provenance } from './same-origin.ts';
import type { AdminToken } from './tokens.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * The hash of the token a request's browser session was opened with (session-routes.ts); rejects when the store is
 * unreachable.
 */
export type SessionLookup = (req: Request) => Promise<string | undefined>;

const SHA256_HEX = /^[0-9a-f]{64}$/;

export const unauthorized = (res: Response): void =>
  void res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });

/**
 * Who is calling, for every /admin request: a bearer token, or else the session cookie standing for
 * the token it was opened with. The presented token is hashed and compared, in constant time, with
 * every configured hash. 401 (no detail) without a valid credential, counted against the address's
 * failure budget; a valid one spends its token name's budget. A cookie alone may change nothing
 * unless the browser says the request came from this origin (CSRF). Which role the call needs is
 * the route's own business (`requireRole`). No token configured: every call is 401.
 */
export function authenticate(tokens: readonly AdminToken[], limits: AdminLimits, session?: SessionLookup) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    let match = presented ? byHash(tokens, digest(presented)) : undefined;
    let byCookie = false;
    if (!presented && session) {
      let stored: string | undefined;
      try {
        stored = await session(req);
      } catch {
        res.status(503).json({ error: 'unavailable' });
        return;
      }
      match = tokenOfHash(tokens, stored);
      byCookie = true;
    }
    if (!match) return void (await limits.failures(req, res, () => unauthorized(res)));
    res.locals.actor = match.name;
    res.locals.role = match.role;
    res.locals.via = byCookie ? 'cookie' : 'bearer';
    await limits.perToken(req, res, () => {
      if (byCookie && !isSafeMethod(req.method) && provenance(req) !== 'same-origin')
        return void res.status(403).json(CROSS_ORIGIN_REFUSAL);
      next();
    });
  };
}

/** Compared with every configured hash, all of them, so the time says nothing about which matched. */
function byHash(tokens: readonly AdminToken[], hash: Buffer): AdminToken | undefined {
  let match: AdminToken | undefined;
  for (const t of tokens) if (timingSafeEqual(Buffer.from(t.sha256, 'hex'), hash)) match = t;
  return match;
}

/** The configured token a plain value is, if any (logging in with `POST /admin/session`). */
export const matchToken = (tokens: readonly AdminToken[], presented: string): AdminToken | undefined =>
  presented ? byHash(tokens, digest(presented)) : undefined;

/** The configured token a session's stored hash stands for, if it still is one. */
export const tokenOfHash = (tokens: readonly AdminToken[], stored: string | undefined): AdminToken | undefined =>
  stored && SHA256_HEX.test(stored) ? byHash(tokens, Buffer.from(stored, 'hex')) : undefined;

/** The configured tokens: the hashed list, plus the plain MIM_ADMIN_TOKEN as an admin named `admin-token`. */
export function adminTokens(plain: string | undefined, hashed: readonly AdminToken[]): AdminToken[] {
  return [
    ...(plain ? [{ name: 'admin-token', role: 'admin' as const, sha256: digest(plain).toString('hex') }] : []),
    ...hashed,
  ];
}
