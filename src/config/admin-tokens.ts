import { z } from 'zod';

/**
 * Admin API tokens with roles. Only hashes are configured (`MIM_ADMIN_TOKENS`), so a leaked
 * config or environment dump gives no usable token; `MIM_ADMIN_TOKEN` (a plain token, role
 * admin) stays for a single-operator set-up.
 *   MIM_ADMIN_TOKENS=ops-bot:operator:sha256:<64 hex>,alice:admin:sha256:<64 hex>
 * Make a hash with: printf %s "$TOKEN" | sha256sum
 */
export const ADMIN_ROLES = ['viewer', 'operator', 'admin'] as const;
export const AdminRole = z.enum(ADMIN_ROLES);
export type AdminRole = z.infer<typeof AdminRole>;

export interface AdminToken {
  readonly name: string;
  readonly role: AdminRole;
  /** SHA-256 of the token, lower-case hex. */
  readonly sha256: string;
}

const ENTRY = /^([A-Za-z0-9_.@-]{1,64}):(viewer|operator|admin):sha256:([0-9a-f]{64})$/;

/** Parses `MIM_ADMIN_TOKENS`; the zod issue names the entry that is wrong (never its hash). */
export const AdminTokenList = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const out: AdminToken[] = [];
    for (const [i, raw] of (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .entries()) {
      const m = ENTRY.exec(raw);
      if (!m) {
        ctx.addIssue({
          code: 'custom',
          message:
            `entry ${i + 1} (${raw.split(':')[0] || 'unnamed'}) is not name:role:sha256:<64 lower-case hex>; ` +
            `roles: ${ADMIN_ROLES.join(', ')}`,
        });
        return z.NEVER;
      }
      out.push({ name: m[1]!, role: m[2] as AdminRole, sha256: m[3]! });
    }
    if (new Set(out.map((t) => t.name)).size !== out.length) {
      ctx.addIssue({ code: 'custom', message: 'token names must be unique (they name who acted in the audit log)' });
      return z.NEVER;
    }
    return out;
  });
