import type { NextFunction, Request, Response } from 'express';
import type { Logger } from '../../observability/logger.ts';

/** What a handler adds to the audit line of its call: the target and its state before and after. */
export interface AuditDetail {
  readonly what: string;
  readonly actor?: string;
  readonly target?: string;
  readonly before?: unknown;
  readonly after?: unknown;
  readonly [more: string]: unknown;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function setAudit(res: Response, detail: AuditDetail): void {
  res.locals.audit = detail;
}

/**
 * One audit line per mutating call, whatever its outcome (refused by auth, invalid, illegal,
 * applied): who (the token's name and role), the role the route that ran required and that route,
 * what, when, the state before and after, and the answer. Calls whose route needs only `viewer`
 * (the dry runs: validate, simulate) change nothing and are not recorded. Logged when the answer
 * is sent, so a handler that throws is recorded too.
 */
export function auditLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!MUTATING.has(req.method)) {
      next();
      return;
    }
    // Mounted under /admin, so req.path lacks the prefix: the full path is what operators search for.
    const path = req.originalUrl.split('?')[0] ?? '';
    const at = new Date().toISOString();
    res.on('finish', () => {
      if (res.locals.required === 'viewer') return;
      const detail = (res.locals.audit ?? {}) as Partial<AuditDetail>;
      const { what, actor, ...rest } = detail;
      logger.info(
        {
          audit: true,
          at,
          method: req.method,
          path,
          route: res.locals.route ?? 'none',
          status: res.statusCode,
          auth: res.locals.actor ?? 'none',
          role: res.locals.role ?? 'none',
          via: res.locals.via ?? 'none',
          required: res.locals.required ?? 'none',
          actor: actor ?? res.locals.actor ?? 'admin-api',
          what: what ?? `${req.method} ${path}`,
          ...rest,
        },
        `admin audit: ${what ?? path} → ${res.statusCode}`,
      );
    });
    next();
  };
}
