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
export function requireToken(tokens: readonly AdminToken[]) {
  const expected = tokens.map((t) => ({ token: t, hash: Buffer.from(t.sha256, 'hex') }));
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const hash = digest(presented);
    let match: AdminToken | undefined;
    for (const e of expected) if (timingSafeEqual(e.hash, hash) && presented) match = e.token;
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

/** The configured tokens: the hashed list, plus the plain MIM_ADMIN_TOKEN as an admin named `admin-token`. */
export function adminTokens(plain: string | undefined, hashed: readonly AdminToken[]): AdminToken[] {
  return [...(plain ? [{ name: 'admin-token', role: 'admin' as const, sha256: digest(plain).toString('hex') }] : []), ...hashed];
}
