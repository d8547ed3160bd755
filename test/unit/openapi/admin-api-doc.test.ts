import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { adminApiMarkdown } from '../../../src/http/openapi/admin-api-markdown.ts';
import { ALL_OPERATIONS } from '../../../src/http/openapi/document.ts';

describe('docs/admin-api.md', () => {
  it('is what `npm run docs:api` writes from the operations registry', () => {
    const committed = readFileSync(new URL('../../../docs/admin-api.md', import.meta.url), 'utf8');
    expect(committed).toBe(adminApiMarkdown());
    for (const op of ALL_OPERATIONS) expect(committed).toContain(`\`${op.method.toUpperCase()} ${op.path}\``);
  });
});
