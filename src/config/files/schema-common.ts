import { z } from 'zod';
import { DURATION_PATTERN } from '../../lib/duration.ts';
import { ROUTE_ENV_NAME, ROUTE_ENV_PREFIX } from '../route-env.ts';

/** Building blocks shared by the config files' schemas. */

export const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes (e.g. "payroll-users")')
  .meta({ id: 'Id' });

/**
 * A secret pasted where its environment variable's name belongs. Variable names are words joined
 * by underscores; keys and tokens are long runs of letters and digits (a PagerDuty routing key is
 * 32 of them: https://developer.pagerduty.com/docs/events-api-v2/trigger-events/).
 */
export function looksLikeSecret(value: string): boolean {
  return value
    .split('_')
    .some((part) => part.length >= 20 || (part.length >= 12 && (part.match(/\d/g)?.length ?? 0) >= 4));
}

export const EnvName = z
  .string()
  // Refinements, not patterns, so the published JSON Schema shows the one pattern an editor needs.
  .refine((v) => /^[A-Z][A-Z0-9_]*$/.test(v), {
    error:
      `give the NAME of an environment variable (upper case, starting ${ROUTE_ENV_PREFIX}, e.g. ` +
      `${ROUTE_ENV_PREFIX}PAGERDUTY_PAYROLL), never the secret itself`,
    abort: true,
  })
  .refine((v) => !looksLikeSecret(v), {
    error:
      'this looks like a key or token, not the name of an environment variable: put the secret in an environment ' +
      'variable and give its name here',
    abort: true,
  })
  .regex(ROUTE_ENV_NAME, {
    error: (i) =>
      `config may name only variables starting ${ROUTE_ENV_PREFIX} and a name (e.g. ` +
      `${ROUTE_ENV_PREFIX}PAGERDUTY_PAYROLL), so that it can never read mim-bridge's own credentials such as ` +
      `SERVICENOW_PASSWORD; "${String(i.input)}" is not one`,
  })
  .meta({
    id: 'EnvVarName',
    description:
      `the name of an environment variable that holds the secret, starting ${ROUTE_ENV_PREFIX}; secrets never go ` +
      'into config files',
  });

export const Duration = z
  .string()
  .regex(DURATION_PATTERN, 'a duration such as 30s, 10m, 1h or 2d')
  .meta({ id: 'Duration', description: '<number><unit>, unit one of ms, s, m, h, d' });

export const Names = z.array(z.string().trim().min(1).meta({ id: 'Name' })).default([]);

export const TemplateName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'a template name: lower-case letters, digits and dashes, without register or .liquid')
  .meta({ id: 'TemplateName' });
