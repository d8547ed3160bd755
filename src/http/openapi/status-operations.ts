import { error } from './common.ts';
import { operation, type Operation } from './registry.ts';

/** The public status feed (http/status/status-routes.ts): unauthenticated, read-only, 404 until a service opts in. */
const COMMON = {
  404: error('no service has `statusPage: true` in services.yaml: the feed is off'),
  429: error('more than 120 requests a minute from this address'),
  503: error('Redis did not answer within 2 s (`Retry-After: 5`)'),
} as const;

export const statusOperations: readonly Operation[] = [
  operation({
    method: 'get',
    path: '/status',
    tag: 'status',
    access: 'public',
    summary:
      'The status page: open major incidents of the services that opted in, with their public updates (HTML, no script)',
    responses: { 200: { description: 'the page', contentType: 'text/html' }, ...COMMON },
  }),
  operation({
    method: 'get',
    path: '/status.json',
    tag: 'status',
    access: 'public',
    summary: 'The same as a JSON Feed 1.1 (every update under `_mim_status`)',
    responses: { 200: { description: 'JSON Feed 1.1', contentType: 'application/feed+json' }, ...COMMON },
  }),
  operation({
    method: 'get',
    path: '/status.atom',
    tag: 'status',
    access: 'public',
    summary: 'The same as an Atom feed: one entry per open major incident',
    responses: { 200: { description: 'Atom (RFC 4287)', contentType: 'application/atom+xml' }, ...COMMON },
  }),
];
