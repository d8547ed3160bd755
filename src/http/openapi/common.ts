import { z } from 'zod';
import type { Answer } from './registry.ts';

/** Every error answer: a stable `error` code, sometimes a reason or the issues. */
export const ErrorAnswer = z.looseObject({
  error: z.string(),
  reason: z.string().optional(),
  field: z.string().optional(),
  issues: z.array(z.unknown()).optional(),
});

export const ok = (description: string, schema?: z.ZodType): Answer => ({
  description,
  schema: schema ?? z.looseObject({}),
});
export const error = (description: string): Answer => ({ description, schema: ErrorAnswer });

/** What every admin call may answer besides its own: the token check, the role check, the rate limit. */
export const ADMIN_ERRORS = {
  401: error('missing or unknown token (no detail, on purpose)'),
  403: error(
    "the token's role is below the one the call needs (`required` names it), or a change made with the session " +
      'cookie alone came from another origin (`reason: cross_origin`)',
  ),
  429: error(
    'past MIM_ADMIN_RATE_LIMIT calls a minute with this token, or failed authentications a minute from this address',
  ),
} as const;

export const BAD_REQUEST = {
  400: error('the input fails validation: `field` is the first bad field, `issues` all of them'),
} as const;
