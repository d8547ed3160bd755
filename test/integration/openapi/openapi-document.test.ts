import { createHash, createHmac } from 'node:crypto';
import express, { type Express } from 'express';
import SwaggerParser from '@apidevtools/swagger-parser';
import { OpenAPIBackend } from 'openapi-backend';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SOURCES } from '../../../src/domain/incident-event.ts';
import { SECRETS, startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const OPERATOR = 'operator-token-oa';
let svc: TestService;
let app: Express;
let doc: { openapi: string; paths: Record<string, Record<string, { 'x-required-role'?: string }>> };

beforeAll(async () => {
  // The real app the service composes, caught as it starts listening: the walk sees what is served.
  const listen = vi.spyOn(express.application, 'listen');
  svc = await startTestService({
    MIM_ADMIN_TOKENS: `ops:operator:sha256:${sha(OPERATOR)}`,
    MIM_ADMIN_RATE_LIMIT: '1000',
  });
  app = listen.mock.contexts[0] as Express;
  listen.mockRestore();
  const res = await fetch(`${svc.url}/openapi.json`);
  expect(res.status).toBe(200);
  doc = (await res.json()) as typeof doc;
});
afterAll(async () => {
  await stopAndClean(svc);
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[]; name?: string; set?: unknown; handle?: unknown };
  rawPath?: unknown;
}

/**
 * Every (method, path) the app serves: its routes, recursively through mounted routers, plus
 * what is mounted whole at a path (Bull Board's sub-app, the console's static files) as a GET of it.
 */
function servedRoutes(stack: readonly Layer[], prefix = ''): string[] {
  return stack.flatMap((layer) => {
    const at = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
    if (layer.route)
      return Object.keys(layer.route.methods)
        .filter((m) => m !== '_all')
        .map((m) => `${m.toUpperCase()} ${prefix}${layer.route!.path}`);
    if (Array.isArray(layer.handle.stack)) return servedRoutes(layer.handle.stack, prefix + at);
    const mountedWhole = typeof layer.handle.set === 'function' || layer.handle.name === 'serveStatic';
    return at && mountedWhole ? [`GET ${prefix}${at}`] : [];
  });
}

const documented = () =>
  Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
/** `GET /a/:id` matches the documented `GET /a/{id}` and `POST /webhooks/:source` matches `POST /webhooks/jira`. */
const matches = (served: string, documentedOp: string) => {
  const re = new RegExp(`^${served.replace(/:\w+/g, '[^/]+')}$`);
  return re.test(documentedOp.replace(/\{[^}]+\}/g, 'x'));
};

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0');
    // swagger-parser checks 3.1 documents against the 3.1 meta-schema (openapi-backend only knows 3.0's).
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    const broken = structuredClone(doc) as unknown as {
      components: { securitySchemes: Record<string, { type: string }> };
    };
    broken.components.securitySchemes.adminToken!.type = 'magic';
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  it('documents every route the app serves, and nothing it does not serve', () => {
    const served = [...new Set(servedRoutes((app as unknown as { router: { stack: Layer[] } }).router.stack))];
    expect(served.length).toBeGreaterThan(25);
    const ops = documented();
    expect(served.filter((s) => !ops.some((o) => matches(s, o)))).toEqual([]);
    expect(ops.filter((o) => !served.some((s) => matches(s, o)))).toEqual([]);
    expect(ops.filter((o) => o.startsWith('POST /webhooks/'))).toEqual(SOURCES.map((s) => `POST /webhooks/${s}`));
  });

  it('names the role of every admin operation from the auth rule itself', () => {
    expect(doc.paths['/admin/major-incidents']!.get!['x-required-role']).toBe('viewer');
    expect(doc.paths['/admin/rules/simulate']!.post!['x-required-role']).toBe('viewer');
    expect(doc.paths['/admin/major-incidents/{id}/resolve']!.post!['x-required-role']).toBe('operator');
    expect(doc.paths['/admin/rules/apply']!.post!['x-required-role']).toBe('admin');
  });
});

describe('the request schemas in it reject what the routes reject', () => {
  let api: OpenAPIBackend;
  beforeAll(async () => {
    // quick: skip openapi-backend's own definition check (3.0 only); the request validator reads 3.1 schemas fine.
    api = new OpenAPIBackend({ definition: structuredClone(doc) as never, quick: true, validate: true });
    await api.init();
  });
  const docAccepts = (
    method: string,
    path: string,
    body?: unknown,
    query: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) =>
    api.validateRequest({
      method,
      path,
      body,
      query,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}`, ...headers },
    }).valid;
  const served = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    (
      await fetch(`${svc.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${OPERATOR}`, ...headers },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      })
    ).status;

  it.each([
    ['a declaration without a title or reason', 'POST', '/admin/major-incidents', { serviceId: 'payments' }],
    ['a misspelt role', 'PATCH', '/admin/major-incidents/mi-1/roles', { manager: 'alice' }],
    ['an update with no text', 'POST', '/admin/major-incidents/mi-1/updates', { text: '' }],
    ['a discard without a reason', 'POST', '/admin/dead-letters/x/discard', {}],
  ])('%s: 400 from the route, invalid in the document', async (_what, method, path, body) => {
    expect(await served(method, path, body)).toBe(400);
    expect(docAccepts(method, path, body)).toBe(false);
  });

  it('a list query out of range', async () => {
    expect(await served('GET', '/admin/major-incidents?limit=0')).toBe(400);
    expect(docAccepts('GET', '/admin/major-incidents', undefined, { limit: '0' })).toBe(false);
    expect(docAccepts('GET', '/admin/major-incidents', undefined, { limit: '10' })).toBe(true);
  });

  it('a signed Jira delivery without webhookEvent; and the document accepts a good one', async () => {
    const raw = JSON.stringify({ issue: { key: 'OPS-1' } });
    const signature = `sha256=${createHmac('sha256', SECRETS.jira).update(raw).digest('hex')}`;
    const res = await fetch(`${svc.url}/webhooks/jira`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature': signature },
      body: raw,
    });
    expect(res.status).toBe(400);
    expect(docAccepts('POST', '/webhooks/jira', JSON.parse(raw), {}, { 'x-hub-signature': signature })).toBe(false);
    expect(
      docAccepts(
        'POST',
        '/webhooks/jira',
        { webhookEvent: 'jira:issue_updated' },
        {},
        { 'x-hub-signature': signature },
      ),
    ).toBe(true);
  });

  it('a valid declaration passes both', () => {
    expect(
      docAccepts('POST', '/admin/major-incidents', {
        serviceId: 'payments',
        title: 'Payments down',
        reason: 'customers cannot pay',
      }),
    ).toBe(true);
  });
});
