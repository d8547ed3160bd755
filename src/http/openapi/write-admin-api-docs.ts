import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { adminApiMarkdown } from './admin-api-markdown.ts';

export const ADMIN_API_DOC = fileURLToPath(new URL('../../../docs/admin-api.md', import.meta.url));

writeFileSync(ADMIN_API_DOC, adminApiMarkdown());
