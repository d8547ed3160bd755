import { createHash, randomBytes } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { RedisClient } from '../../lib/redis-client.ts';
import { z } from 'zod';
import { withTimeout } from '../../lib/with-timeout.ts';
import { keys, type Keys } from '../../store/keys.ts';
import { auditLog } from './audit.ts';
import { matchToken, tokenOfHash, unauthorized, type SessionLookup } from './auth.ts';
import { bodyErrors, jsonBody } from './body.ts';
import type { AdminLimits } from './rate-limits.ts';
import { EXACT_ROUTING } from './require-role.ts';
import { CROSS_ORIGIN_REFUSAL, provenance } from './same-origin.ts';
import { badRequest } from './schemas.ts';
import { SESSION_TTL_SECONDS, sessionId, type SessionCookie } from './session-cookie.ts';
import type { AdminToken } from './tokens.ts';
import type { Logger } from '../../observability/logger.ts';

export { SESSION_COOKIE, SESSION_TTL_SECONDS } from './session-cookie.ts';

/** Admin calls never wait for a reconnecting Redis: the answer is 503, not a hung request. */
const SESSION_REDIS_TIMEOUT_MS = 1_000;

export const SessionBody = z.strictObject({
  token: z.string().min(1).max(4096).describe('an admin token (the plain value, as in the bearer header)'),
});

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Sessions live in Redis, so every web process knows them and logout ends them everywhere.
 * The cookie is a random id; Redis keeps only its hash, mapped to the token's hash. The cookie
 * is not the token's hash itself: that hash is in the configuration (MIM_ADMIN_TOKENS), and
 * whoever reads the configuration must not be able to forge a session.
 */
export class SessionStore {
  private readonly redis: RedisClient;
  private readonly keys: Keys;

  constructor(redis: RedisClient, prefix: string) {
    this.redis = redis;
    this.keys = keys(prefix);
  }

  private key(id: string): string {
    return this.keys.adminSession(sha256(id));
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

/** What the token check asks when a request has no bearer header. */
export const sessionLookup =
  (store: SessionStore, cookie: SessionCookie): SessionLookup =>
  async (req) => {
    const id = sessionId(req, cookie.name);
    return id ? store.tokenHash(id) : undefined;
  };

/**
 * Login CSRF: a page elsewhere must not log a browser into a session of its choosing. A client that is no browser says
 * nothing, and may.
 */
function refuseCrossOrigin(req: Request, res: Response, next: NextFunction): void {
  if (provenance(req) === 'cross-origin') return void res.status(403).json(CROSS_ORIGIN_REFUSAL);
  next();
}

export interface SessionRouteDeps {
  readonly tokens: readonly AdminToken[];
  readonly sessions: SessionStore;
  readonly cookie: SessionCookie;
  readonly limits: AdminLimits;
  readonly logger: Logger;
}

/**
 * `POST /admin/session` (a token in the body → the session cookie) and `DELETE /admin/session`
 * (logout). Mounted before the token check: logging in is how a browser gets a credential, and
 * any role may log out. A refused login spends the address's failure budget, as a bad bearer
 * token does; a good one spends its token's budget.
 */
export function sessionRoutes({ tokens, sessions, cookie, limits, logger }: SessionRouteDeps): Router {
  const router = express.Router(EXACT_ROUTING);
  const unavailable = (res: Response, err: unknown) => {
    logger.warn({ err }, 'admin session store unavailable');
    res.status(503).json({ error: 'unavailable' });
  };

  router.post('/admin/session', auditLog(logger), refuseCrossOrigin, jsonBody(), async (req, res) => {
    const body = SessionBody.safeParse(req.body ?? {});
    if (!body.success) return limits.failures(req, res, () => void res.status(400).json(badRequest(body.error)));
    const match = matchToken(tokens, body.data.token);
    if (!match) return limits.failures(req, res, () => unauthorized(res));
    res.locals.actor = match.name;
    res.locals.role = match.role;
    await limits.perToken(req, res, async () => {
      try {
        const id = await sessions.create(match.sha256);
        res
          .set('set-cookie', cookie.header(id, SESSION_TTL_SECONDS))
          .set('cache-control', 'no-store')
          .status(201)
          .json({ name: match.name, role: match.role, expiresInSeconds: SESSION_TTL_SECONDS });
      } catch (err) {
        unavailable(res, err);
      }
    });
  });

  // Ending a session is a change made with the cookie alone: the same origin rule as any other.
  router.delete('/admin/session', auditLog(logger), async (req, res) => {
    const id = sessionId(req, cookie.name);
    if (id && provenance(req) !== 'same-origin') return void res.status(403).json(CROSS_ORIGIN_REFUSAL);
    let token: AdminToken | undefined;
    try {
      token = id ? tokenOfHash(tokens, await sessions.tokenHash(id)) : undefined;
    } catch (err) {
      return unavailable(res, err);
    }
    if (token) {
      res.locals.actor = token.name;
      res.locals.role = token.role;
    }
    await (token ? limits.perToken : limits.failures)(req, res, async () => {
      try {
        if (id) await sessions.end(id);
      } catch (err) {
        return unavailable(res, err);
      }
      res.set('set-cookie', cookie.header('', 0)).status(204).end();
    });
  });

  router.use('/admin/session', bodyErrors);
  return router;
}
