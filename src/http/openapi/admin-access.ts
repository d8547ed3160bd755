import { error } from './common.ts';

/** Who may call an admin operation, and the answers several of them share. */
export const viewer = { access: 'admin', role: 'viewer' } as const;
export const operator = { access: 'admin', role: 'operator' } as const;
export const admin = { access: 'admin', role: 'admin' } as const;
export const notFound = { 404: error('no such major incident or dead letter') } as const;
export const conflict = (why: string) => ({ 409: error(why) }) as const;
