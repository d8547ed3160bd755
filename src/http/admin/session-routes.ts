import { createHash, randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { withTimeout } from '../../queue/with-timeout.ts';
import { auditLog } from './audit.ts';
import { matchToken, type SessionLookup } from './auth.ts';
import { bodyErrors, jsonBody } from './body.ts';
import { badRequest } from './schemas.ts';
import type { AdminToken } from './tokens.ts';
import type { Logger } from '../../observability/logger.ts';

/** The browser session of the Bull Board and the web console (docs/admin-api.md#session-cookie). */
export const SESSION_COOKIE = 'mim_admin_session';
export const SESSION_TTL_SECONDS = 8 * 3600;
/** Admin calls never wait for a reconnecting Redis: the answer is 503, not a hung request. */
const SESSION_REDIS_TIMEOUT_MS = 1_000;

export const SessionBody = z.strictObject({ token: z.string().min(1).max(4096).describe('an admin token (the plain value, as in the bearer header)') });

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Sessions live in Redis, so every web process knows them and logout ends them everywhere.
 * The cookie is a random id; Redis keeps only its hash, mapped to the token's hash. The cookie
 * is not the token's hash itself: that hash is in the configuration (MIM_ADMIN_TOKENS), and
 * whoever reads the configuration must not be able to forge a session.
 */
export class SessionStore {
  private readonly redis: Redis;
  private readonly prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }

  private key(id: string): string {
    return `${this.prefix}admin:session:${sha256(id)}`;
  }

  async create(tokenSha256: string): Promise<string> {
    const id = randomBytes(32).toString('base64url');
    await this.bounded(this.redis.set(this.key(id), tokenSha256, 'EX', SESSION_TTL_SECONDS));
    return id;
  }

  /** The hash of the token a live session was opened with. */
  async tokenHash(id: string): Promise<string | undefined> {
    return (await this.bounded(this.redis.get(this.key(id)))) ?? undefined;
  }

  async end(id: string): Promise<void> {
    await this.bounded(this.redis.del(this.key(id)));
  }

  private bounded<T>(p: Promise<T>): Promise<T> {
    return withTimeout(p, SESSION_REDIS_TIMEOUT_MS, () => new Error('session store timed out'));
  }
}

/** The session id in the request's cookie header, if any (no cookie-parser for one cookie). */
export function sessionId(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

/** What the bearer check asks when a request has no bearer header. */
export const sessionLookup = (store: SessionStore): SessionLookup => async (req) => {
  const id = sessionId(req);
  return id ? store.tokenHash(id) : undefined;
};

/**
 * HttpOnly (scripts never see it), SameSite=Strict (no cross-site request carries it: the CSRF
 * guard for the board's actions), Path=/admin, Secure when the request came over TLS here.
 */
function cookie(req: Request, value: string, maxAge: number): string {
  return [`${SESSION_COOKIE}=${value}`, 'Path=/admin', 'HttpOnly', 'SameSite=Strict', `Max-Age=${maxAge}`, ...(req.secure ? ['Secure'] : [])].join('; ');
}

/**
 * `POST /admin/session` (a token in the body → the session cookie) and `DELETE /admin/session`
 * (logout). Mounted before the bearer check: logging in is how a browser gets a credential,
 * and any role may log out. The rate limit applies, so guessing tokens here is throttled too.
 */
export function sessionRoutes(tokens: readonly AdminToken[], sessions: SessionStore, limiter: RequestHandler, logger: Logger): Router {
  const router = express.Router();
  const unavailable = (res: Response, err: unknown) => {
    logger.warn({ err }, 'admin session store unavailable');
    res.status(503).json({ error: 'unavailable' });
  };

  router.post('/admin/session', limiter, auditLog(logger), jsonBody(), async (req, res) => {
    const body = SessionBody.safeParse(req.body ?? {});
    if (!body.success) return void res.status(400).json(badRequest(body.error));
    const match = matchToken(tokens, body.data.token);
    if (!match) return void res.status(401).json({ error: 'unauthorized' });
    res.locals.actor = match.name;
    res.locals.role = match.role;
    try {
      const id = await sessions.create(match.sha256);
      res.set('set-cookie', cookie(req, id, SESSION_TTL_SECONDS)).set('cache-control', 'no-store')
        .status(201).json({ name: match.name, role: match.role, expiresInSeconds: SESSION_TTL_SECONDS });
    } catch (err) {
      unavailable(res, err);
    }
  });

  router.delete('/admin/session', limiter, auditLog(logger), async (req, res) => {
    const id = sessionId(req);
    try {
      if (id) await sessions.end(id);
    } catch (err) {
      return unavailable(res, err);
    }
    res.set('set-cookie', cookie(req, '', 0)).status(204).end();
  });

  router.use('/admin/session', bodyErrors);
  return router;
}
