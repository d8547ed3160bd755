import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Bearer-token check for /admin. Both sides are hashed first, so the comparison is constant
 * time whatever the presented length; no token configured means the admin API is closed.
 */
export function requireToken(token: string | undefined) {
  const expected = token ? digest(token) : undefined;
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!expected || !presented || !timingSafeEqual(expected, digest(presented))) {
      res.status(401).set('www-authenticate', 'Bearer').json({ error: 'unauthorized' });
      return;
    }
    res.locals.actor = 'admin-token';
    next();
  };
}
