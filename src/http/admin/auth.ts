import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { allows, requiredRole, type AdminToken } from './tokens.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-token check for /admin: the presented token is hashed and compared, in constant time,
 * with every configured hash (all of them, so the time says nothing about which matched);
 * then its role is checked against the call. 401 for a missing or unknown token (no detail),
 * 403 naming the role the call needs. No token configured: the admin API is closed.
 */
export function requireToken(tokens: readonly AdminToken[], session?: SessionLookup) {
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    let match = presented ? byHash(tokens, digest(presented)) : undefined;
    // No bearer header (a browser navigating): the session cookie stands for the token it was opened with.
    if (!presented && session) {
      let stored: string | undefined;
      try {
        stored = await session(req);
      } catch {
        res.status(503).json({ error: 'unavailable' });
        return;
      }
      if (stored && SHA256_HEX.test(stored)) match = byHash(tokens, Buffer.from(stored, 'hex'));
    }
    if (!match) {
      res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    res.locals.actor = match.name;
    res.locals.role = match.role;
    const path = (req.originalUrl.split('?')[0] ?? '').replace(/\/+$/, '');
    const needed = requiredRole(req.method, path);
    if (!allows(match.role, needed)) {
      res.status(403).json({ error: 'forbidden', required: needed });
      return;
    }
    next();
  };
}

/** The hash of the token a request's browser session was opened with (session-routes.ts); rejects when the store is unreachable. */
export type SessionLookup = (req: Request) => Promise<string | undefined>;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Compared with every configured hash, all of them, so the time says nothing about which matched. */
function byHash(tokens: readonly AdminToken[], hash: Buffer): AdminToken | undefined {
  let match: AdminToken | undefined;
  for (const t of tokens) if (timingSafeEqual(Buffer.from(t.sha256, 'hex'), hash)) match = t;
  return match;
}

/** The configured token a plain value is, if any (logging in with `POST /admin/session`). */
export const matchToken = (tokens: readonly AdminToken[], presented: string): AdminToken | undefined =>
  presented ? byHash(tokens, digest(presented)) : undefined;

/** The configured tokens: the hashed list, plus the plain MIM_ADMIN_TOKEN as an admin named `admin-token`. */
export function adminTokens(plain: string | undefined, hashed: readonly AdminToken[]): AdminToken[] {
  return [...(plain ? [{ name: 'admin-token', role: 'admin' as const, sha256: digest(plain).toString('hex') }] : []), ...hashed];
}
