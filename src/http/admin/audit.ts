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

/** POSTs that change nothing: checking and dry-running are not audited. */
const READ_ONLY = new Set(['/admin/rules/validate', '/admin/rules/simulate']);

export function setAudit(res: Response, detail: AuditDetail): void {
  res.locals.audit = detail;
}

/**
 * One audit line per mutating call, whatever its outcome (refused by auth, invalid, illegal,
 * applied): who, what, when, the state before and after, and the answer. Logged when the answer
 * is sent, so a handler that throws is recorded too.
 */
export function auditLog(logger: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    // Mounted under /admin, so req.path lacks the prefix: the full path is what operators search for.
    const path = (req.originalUrl.split('?')[0] ?? '').replace(/\/+$/, '');
    if (!MUTATING.has(req.method) || READ_ONLY.has(path)) return next();
    const at = new Date().toISOString();
    res.on('finish', () => {
      const detail = (res.locals.audit ?? {}) as Partial<AuditDetail>;
      const { what, actor, ...rest } = detail;
      logger.info({
        audit: true, at, method: req.method, path, status: res.statusCode,
        auth: res.locals.actor ?? 'none', role: res.locals.role ?? 'none', actor: actor ?? res.locals.actor ?? 'admin-api', what: what ?? `${req.method} ${path}`, ...rest,
      }, `admin audit: ${what ?? path} → ${res.statusCode}`);
    });
    next();
  };
}
