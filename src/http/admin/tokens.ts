import type { AdminRole } from '../../config/admin-tokens.ts';

export { ADMIN_ROLES, AdminRole, type AdminToken } from '../../config/admin-tokens.ts';

const RANK: Readonly<Record<AdminRole, number>> = { viewer: 0, operator: 1, admin: 2 };
/** Roles are ordered: viewer < operator < admin. Which role a call needs is on its route (require-role.ts). */
export const allows = (held: AdminRole, needed: AdminRole) => RANK[held] >= RANK[needed];
