import type { z } from 'zod';
import type { PayloadIssue } from '../inbound-source.ts';

/** zod issues → `{path, message}` with dotted paths, the shape a 400 answer names the field with. */
export function toPayloadIssues(error: z.ZodError): PayloadIssue[] {
  return error.issues.map((i) => ({
    path: i.path.length ? i.path.map(String).join('.') : '(root)',
    message: i.message,
  }));
}
