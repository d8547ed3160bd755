import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Jira, PagerDuty and Slack as one small HTTP server on 127.0.0.1, for tests where nock cannot
 * help (the service runs in a child process) or where state matters (Jira's label search must
 * find the issues created so far). It behaves like the vendors for what mim-bridge uses:
 * - Jira: `POST /rest/api/3/search/jql` with `labels = "<label>"` → the issues carrying that label,
 *   oldest first; `POST /rest/api/3/issue` → 201 `{id,key,self}`, labels stored;
 *   `POST /rest/api/3/issue/<key>/remotelink` → 201, one link per globalId (a repeat updates it).
 * - PagerDuty Events v2: `POST /v2/enqueue` → 202 `{status, message, dedup_key}`.
 * - Slack: `POST /api/chat.postMessage` and `/api/chat.update` → `{ok, channel, ts}`.
 * Hooks decide failures and timing: `before` may answer instead (a 503 outage), `after` may
 * replace the answer once the vendor's state changed (a 504 from a gateway after Jira committed),
 * `beforeAnswer` runs just before the answer is written (kill the caller there).
 */

export type Vendor = 'jira' | 'pagerduty' | 'slack' | 'unknown';

export interface VendorCall {
  readonly vendor: Vendor;
  readonly method: string;
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly at: number;
  /** The status we answered (or were about to answer, if the caller was gone). */
  status?: number;
}

export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface FakeIssue {
  readonly id: string;
  readonly key: string;
  readonly fields: Record<string, unknown>;
  readonly labels: readonly string[];
}

export interface FakeHooks {
  /** Answer this instead of the vendor (an outage, a throttle); undefined lets the vendor answer. */
  before?: (call: VendorCall) => Answer | undefined;
  /** Replaces the vendor's answer after its state changed (the change stays). */
  after?: (call: VendorCall, answer: Answer) => Answer | undefined;
  /** Awaited after the vendor's state changed, before the answer is written. */
  beforeAnswer?: (call: VendorCall, answer: Answer) => Promise<void> | void;
}

export interface FakeVendors {
  readonly url: string;
  readonly calls: VendorCall[];
  readonly jira: { readonly issues: FakeIssue[]; readonly remoteLinks: Map<string, Record<string, unknown>[]> };
  readonly pagerduty: { readonly events: Record<string, unknown>[] };
  readonly slack: { readonly messages: Record<string, unknown>[] };
  hooks: FakeHooks;
  /** Calls to one vendor (and path pattern) that got the vendor's own 2xx answer. */
  answered(vendor: Vendor, path?: RegExp): VendorCall[];
  close(): Promise<void>;
}

const vendorOf = (path: string): Vendor =>
  path.startsWith('/rest/api/3/')
    ? 'jira'
    : path === '/v2/enqueue'
      ? 'pagerduty'
      : path.startsWith('/api/chat.')
        ? 'slack'
        : 'unknown';

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return {};
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { unparsable: text };
  }
}

export async function startFakeVendors(opts: { jiraProject?: string } = {}): Promise<FakeVendors> {
  const project = opts.jiraProject ?? 'PAY';
  const calls: VendorCall[] = [];
  const issues: FakeIssue[] = [];
  const remoteLinks = new Map<string, Record<string, unknown>[]>();
  const events: Record<string, unknown>[] = [];
  const messages: Record<string, unknown>[] = [];
  let url = '';
  let nextTs = 1;

  const jira = (call: VendorCall): Answer => {
    // The project lookup the Jira client makes to tell a JSM service project (a software project here).
    const projectKey = /^\/rest\/api\/3\/project\/([A-Za-z0-9_]+)$/.exec(call.path)?.[1];
    if (call.method === 'GET' && projectKey)
      return { status: 200, body: { key: projectKey, projectTypeKey: 'software' } };
    if (call.method !== 'POST') return { status: 404, body: { errorMessages: ['not faked'] } };
    if (call.path === '/rest/api/3/search/jql') {
      // Only the shape mim-bridge sends: `labels = "mim-MI-…" ORDER BY created ASC`.
      const label = /labels = "((?:[^"\\]|\\.)*)"/.exec(String(call.body.jql ?? ''))?.[1]?.replace(/\\(.)/g, '$1');
      if (!label) return { status: 400, body: { errorMessages: ['unsupported JQL in the fake'] } };
      const max = typeof call.body.maxResults === 'number' ? call.body.maxResults : 50;
      const found = issues.filter((i) => i.labels.includes(label)).slice(0, max);
      return {
        status: 200,
        body: {
          issues: found.map((i) => ({ id: i.id, key: i.key, fields: { status: { statusCategory: { key: 'new' } } } })),
          isLast: true,
        },
      };
    }
    if (call.path === '/rest/api/3/issue') {
      const fields = (call.body.fields ?? {}) as Record<string, unknown>;
      const id = String(10_000 + issues.length + 1);
      const key = `${(fields.project as { key?: string } | undefined)?.key ?? project}-${issues.length + 1}`;
      issues.push({ id, key, fields, labels: Array.isArray(fields.labels) ? fields.labels.map(String) : [] });
      return { status: 201, body: { id, key, self: `${url}/rest/api/3/issue/${id}` } };
    }
    const link = /^\/rest\/api\/3\/issue\/([A-Z][A-Z0-9]*-\d+|\d+)\/remotelink$/.exec(call.path);
    if (link?.[1]) {
      const key = link[1];
      if (!issues.some((i) => i.key === key || i.id === key))
        return { status: 404, body: { errorMessages: ['Issue does not exist'] } };
      const list = remoteLinks.get(key) ?? [];
      const same = list.findIndex((l) => l.globalId === call.body.globalId);
      if (same >= 0) list[same] = call.body;
      else list.push(call.body);
      remoteLinks.set(key, list);
      return {
        status: same >= 0 ? 200 : 201,
        body: { id: same >= 0 ? same + 1 : list.length, self: `${url}${call.path}/${list.length}` },
      };
    }
    return { status: 404, body: { errorMessages: ['not faked'] } };
  };

  const pagerduty = (call: VendorCall): Answer => {
    events.push(call.body);
    return { status: 202, body: { status: 'success', message: 'Event processed', dedup_key: call.body.dedup_key } };
  };

  const slack = (call: VendorCall): Answer => {
    messages.push({ method: call.path.slice('/api/'.length), ...call.body });
    const ts = typeof call.body.ts === 'string' ? call.body.ts : `1763800000.${String(nextTs++).padStart(6, '0')}`;
    return { status: 200, body: { ok: true, channel: call.body.channel, ts } };
  };

  const handlers: Record<Vendor, (call: VendorCall) => Answer> = {
    jira,
    pagerduty,
    slack,
    unknown: () => ({ status: 404, body: { error: 'not faked' } }),
  };

  const fake: FakeVendors = {
    url: '',
    calls,
    jira: { issues, remoteLinks },
    pagerduty: { events },
    slack: { messages },
    hooks: {},
    answered: (vendor, path) =>
      calls.filter(
        (c) => c.vendor === vendor && (c.status ?? 0) < 300 && (c.status ?? 0) >= 200 && (!path || path.test(c.path)),
      ),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const call: VendorCall = {
      vendor: vendorOf(path),
      method: req.method ?? 'GET',
      path,
      body: await readJson(req),
      at: Date.now(),
    };
    calls.push(call);
    const early = fake.hooks.before?.(call);
    const vendorAnswer = early ?? handlers[call.vendor](call);
    const answer = (early ? undefined : fake.hooks.after?.(call, vendorAnswer)) ?? vendorAnswer;
    call.status = answer.status;
    await fake.hooks.beforeAnswer?.(call, answer);
    if (res.destroyed || req.socket.destroyed) return;
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, { url });
}
