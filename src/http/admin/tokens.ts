import type { AdminRole } from '../../config/admin-tokens.ts';

export { ADMIN_ROLES, AdminRole, type AdminToken } from '../../config/admin-tokens.ts';

const RANK: Readonly<Record<AdminRole, number>> = { viewer: 0, operator: 1, admin: 2 };
export const allows = (held: AdminRole, needed: AdminRole) => RANK[held] >= RANK[needed];

/** Dry runs: POSTs that change nothing, open to viewers. */
const READ_ONLY_POSTS = new Set(['/admin/rules/validate', '/admin/rules/simulate']);
/** Changing what decides (rules, config versions) needs an admin. */
const ADMIN_ONLY = [/^\/admin\/rules\/(reload|apply|rollback)(\/|$)/, /^\/admin\/config(\/|$)/];

/** The role a call needs: reading is for viewers, acting on incidents and dead letters for operators, changing rules for admins. */
export function requiredRole(method: string, path: string): AdminRole {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') return 'viewer';
  if (method === 'POST' && READ_ONLY_POSTS.has(path)) return 'viewer';
  if (ADMIN_ONLY.some((re) => re.test(path))) return 'admin';
  return 'operator';
}
