import type { Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';

/** Two budgets that never share a counter: a guesser spends only the failure budget of its address. */
export interface AdminLimits {
  /** Failed authentications (no, unknown or expired credential; a refused login) per client address. */
  readonly failures: RequestHandler;
  /** Authenticated calls per token name, whatever address or session they come from. */
  readonly perToken: RequestHandler;
}

/**
 * `perMinute` (MIM_ADMIN_RATE_LIMIT) is both each token name's budget and each address's budget of
 * failures. A token's calls count only against its name, so behind a shared proxy (one address for
 * everyone: the app trusts no X-Forwarded-For) a guesser's 401s never refuse a valid token; once an
 * address has spent its failures, further failures from it answer 429 instead of 401.
 */
export function adminLimits(perMinute: number): AdminLimits {
  const common = { windowMs: 60_000, limit: perMinute, standardHeaders: 'draft-8', legacyHeaders: false } as const;
  return {
    failures: rateLimit({
      ...common,
      identifier: 'admin-failed-auth',
      message: { error: 'rate_limited', reason: 'too many failed authentications from this address' },
    }),
    perToken: rateLimit({
      ...common,
      identifier: 'admin-token',
      message: { error: 'rate_limited', reason: 'too many calls with this token' },
      keyGenerator: (_req: Request, res: Response) => `token:${String(res.locals.actor)}`,
    }),
  };
}
