import type { z } from 'zod';
import type { AdminRole } from '../admin/tokens.ts';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * Who may call: anyone, a signed vendor delivery, an admin token or session (with a role), or a session cookie alone.
 */
export type Access = 'public' | 'signature' | 'admin' | 'session';

export interface HeaderParam {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
}

export interface Answer {
  readonly description: string;
  /** A zod schema of the JSON answer; none for an empty or non-JSON answer. */
  readonly schema?: z.ZodType;
  readonly contentType?: string;
}

/**
 * One operation as the route that serves it declares it: the declarations sit next to the route
 * files (admin-operations.ts, webhook-operations.ts) and import the very zod schemas the routes
 * parse with, so the document cannot describe a body the route does not check.
 */
interface OperationBase {
  readonly method: Method;
  /** OpenAPI style: `/admin/major-incidents/{id}`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  /** Named request body: becomes `components.schemas.<name>`. */
  readonly body?: { readonly name: string; readonly schema: z.ZodType; readonly required?: boolean };
  readonly query?: z.ZodObject;
  readonly headers?: readonly HeaderParam[];
  readonly responses: Readonly<Record<number, Answer>>;
}

/**
 * An admin operation states the role its route requires (`requireRole` in the route's chain);
 * test/security/role-matrix.test.ts checks the two agree, and both with the documented table.
 */
export type Operation = OperationBase &
  (
    | { readonly access: 'admin'; readonly role: AdminRole }
    | { readonly access: Exclude<Access, 'admin'>; readonly role?: never }
  );

export const operation = (op: Operation): Operation => op;
