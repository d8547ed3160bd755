import { get } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { configCopy } from '../../helpers/config-dir.ts';
import { startTestService, stopAndClean, type TestService } from '../../helpers/service.ts';

/**
 * The status feed's contract over HTTP: off (404) until a service opts in, only opted-in
 * services' declared major incidents, public and cacheable (Cache-Control, an ETag answered 304),
 * a strict CSP on the page, and the feeds' media types.
 */

const TOKEN = 'status-feed-contract-token-0123';
const PATHS = ['/status', '/status.json', '/status.atom'] as const;
const started: TestService[] = [];

async function serviceWith(edit: (services: string) => string): Promise<TestService> {
  const copy = configCopy();
  copy.edit('services.yaml', edit);
  const svc = await startTestService({
    MIM_CONFIG_DIR: copy.dir,
    MIM_ADMIN_TOKEN: TOKEN,
    PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:9',
  });
  started.push(svc);
  return svc;
}
const declare = async (svc: TestService, serviceId: string, title: string) => {
  const res = await fetch(`${svc.url}/admin/major-incidents`, {
    method: 'POST',
    body: JSON.stringify({ serviceId, title, reason: 'status feed test' }),
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { majorIncident: MajorIncident }).majorIncident;
};
/** Every service's statusPage line removed, then `statusPage: true` on those named. */
const optIn =
  (...ids: string[]) =>
  (text: string) =>
    ids.reduce(
      (t, id) => t.replace(new RegExp(`(- id: ${id}\\n)`), `$1    statusPage: true\n`),
      text.replace(/^\s+statusPage: .*\n/gm, ''),
    );

afterAll(async () => {
  for (const svc of started) await stopAndClean(svc);
});

describe('the status feed over HTTP', () => {
  it('is off (404, like any unknown path) while no service opts in', async () => {
    const svc = await serviceWith(optIn());
    await declare(svc, 'payroll', 'Payroll is down');
    for (const path of PATHS) {
      const res = await fetch(`${svc.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toEqual({ error: 'not_found' });
    }
  });

  it("shows only opted-in services' major incidents, cacheable, with the page's CSP and the feeds' types", async () => {
    const svc = await serviceWith(optIn('payroll'));
    await declare(svc, 'payroll', 'Payroll is down');
    await declare(svc, 'identity', 'Single sign-on is down');

    const page = await fetch(`${svc.url}/status`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('public, max-age=30');
    expect(page.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/,
    );
    const html = await page.text();
    expect(html).toContain('Payroll: Payroll is down');
    expect(html).not.toContain('Single sign-on is down');

    const json = await fetch(`${svc.url}/status.json`);
    expect(json.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const feed = (await json.json()) as { items: Array<{ title: string; _mim_status: { service: string } }> };
    expect(feed.items.map((i) => i.title)).toEqual(['Payroll: Payroll is down']);

    const atom = await fetch(`${svc.url}/status.atom`);
    expect(atom.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const etag = atom.headers.get('etag');
    expect(etag).toBeTruthy();
    // A reader that already has it gets 304 and no body. (node:http: fetch turns a conditional request into a
    // no-cache one, as the Fetch standard says, and the server then answers in full.)
    const again = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get(`${svc.url}/status.atom`, { headers: { 'if-none-match': etag! } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).on('error', reject);
    });
    expect(again).toEqual({ status: 304, body: '' });
  });
});
