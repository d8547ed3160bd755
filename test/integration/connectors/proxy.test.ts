import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createProxy } from 'proxy';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJiraSim, type JiraSim } from '../../../sandbox/jira/index.ts';
import { createPagerdutySim, type PagerdutySim } from '../../../sandbox/pagerduty/index.ts';
import { createServicenowSim, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import { createSlackSim, type SlackSim } from '../../../sandbox/slack/index.ts';
import { createTeamsChat, createTeamsClient } from '../../../src/connectors/teams/outbound.ts';
import { createJiraClient } from '../../../src/connectors/jira/outbound.ts';
import { createPagerdutyClient } from '../../../src/connectors/pagerduty/outbound.ts';
import { createServicenowClient } from '../../../src/connectors/servicenow/outbound.ts';
import { createSlackClient } from '../../../src/connectors/slack/outbound.ts';
import { createTeamsSim, type TeamsSim } from '../../../sandbox/teams/index.ts';
import { deps, META, rejectionOf } from './helpers.ts';

/**
 * Every vendor call through a real forward proxy (the `proxy` package of the proxy-agents
 * monorepo, which answers CONNECT and absolute-URI requests and demands Basic credentials here),
 * against the sandbox simulators through their real outbound modules. The proxy records what it
 * saw: a call that went around it fails these tests.
 */

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TLS = (name: string) => fileURLToPath(new URL(`../../fixtures/tls/${name}`, import.meta.url));
const PROXY_USER = 'mim-egress';
const PROXY_PASSWORD = 'proxy-pass-7f3a9c';
const PROXY_VARS = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;
const JIRA = { email: 'mim-bridge@example.com', apiToken: 'sandbox-token' };
const SN = { username: 'mim-bridge', password: 'sandbox-password' };
const SLACK_TOKEN = 'xoxb-sandbox-token';
const PD_KEY = 'a'.repeat(32);

interface Seen {
  readonly method: string;
  /** `host:port` for CONNECT, the absolute URL otherwise. */
  readonly target: string;
}

const listen = (server: Server, host = '127.0.0.1') =>
  new Promise<string>((resolve) =>
    server.listen(0, host, () => resolve(`${host}:${(server.address() as AddressInfo).port}`)),
  );
const close = (server: Server) =>
  new Promise<void>((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });

let proxy: Server;
let proxyAddress: string;
let seen: Seen[] = [];
let sims: { servicenow: ServicenowSim; jira: JiraSim; pagerduty: PagerdutySim; slack: SlackSim; teams: TeamsSim };
const savedEnv: Partial<Record<(typeof PROXY_VARS)[number], string>> = {};

function proxyUrl(password = PROXY_PASSWORD, address = proxyAddress): string {
  return `http://${PROXY_USER}:${encodeURIComponent(password)}@${address}`;
}

/** Sets the proxy variables for the clients made next (each reads them where it is created). */
function useProxyEnv(vars: Partial<Record<(typeof PROXY_VARS)[number], string>>): void {
  for (const name of PROXY_VARS) delete process.env[name];
  Object.assign(process.env, vars);
}

beforeAll(async () => {
  for (const name of PROXY_VARS) if (process.env[name] !== undefined) savedEnv[name] = process.env[name];
  const server = createProxy(createHttpServer());
  const expected = `Basic ${Buffer.from(`${PROXY_USER}:${PROXY_PASSWORD}`).toString('base64')}`;
  server.authenticate = (req: IncomingMessage) => req.headers['proxy-authorization'] === expected;
  // What the proxy was asked, refused (407) or not: a call that went around it leaves nothing here.
  server.on('connect', (req: IncomingMessage) => seen.push({ method: 'CONNECT', target: req.url ?? '' }));
  server.on('request', (req: IncomingMessage) => seen.push({ method: req.method ?? '', target: req.url ?? '' }));
  proxy = server;
  proxyAddress = await listen(proxy);

  sims = {
    servicenow: createServicenowSim({ users: { [SN.username]: SN.password } }),
    jira: createJiraSim({ integration: JIRA }),
    pagerduty: createPagerdutySim(),
    slack: createSlackSim({ token: SLACK_TOKEN, channels: ['major-incidents'] }),
    teams: createTeamsSim({ webhooks: ['ops'] }),
  };
  for (const sim of Object.values(sims)) await sim.listen();
});

afterAll(async () => {
  useProxyEnv(savedEnv);
  await Promise.all(Object.values(sims ?? {}).map((sim) => sim.close()));
  if (proxy) await close(proxy);
});

afterEach(() => {
  seen = [];
});

const sawRequest = (base: string) => seen.some((s) => s.method !== 'CONNECT' && s.target.startsWith(base));

describe('outbound calls through a forward proxy', () => {
  it('every vendor call goes through HTTP_PROXY, with the credentials of its URL', async () => {
    useProxyEnv({ HTTP_PROXY: proxyUrl(), HTTPS_PROXY: proxyUrl() });
    const { servicenow, jira, pagerduty, slack, teams } = sims;

    const sn = createServicenowClient({ baseUrl: servicenow.url(), ...SN }, deps());
    expect(await sn.findByCorrelationId('MI-2025-0042', META)).toBeUndefined();
    const jc = createJiraClient({ baseUrl: jira.url(), ...JIRA }, deps());
    expect(await jc.findByMarker('mim-MI-2025-0042', META)).toBeUndefined();
    const pd = createPagerdutyClient({ eventsUrl: pagerduty.url() }, deps());
    await pd.trigger(
      {
        routingKey: PD_KEY,
        dedupKey: 'MI-2025-0042',
        summary: 'Payroll down',
        source: 'mim-bridge',
        severity: 'critical',
      },
      META,
    );
    const sc = createSlackClient({ apiUrl: `${slack.url()}/api`, token: SLACK_TOKEN }, deps());
    await sc.postMessage({ channel: 'major-incidents', text: 'Payroll is down' }, META);
    const tc = createTeamsChat(createTeamsClient({ webhooks: { ops: teams.webhookUrl('ops') } }, deps()));
    await tc.postUpdate('ops', { title: 'Major incident: Payroll down', text: 'We are on it.' }, META);

    for (const sim of [servicenow, jira, pagerduty, slack, teams]) {
      expect(sawRequest(sim.url()), `${sim.name} through the proxy`).toBe(true);
      expect(sim.requests.at(-1)?.status, `${sim.name} answered`).toBeLessThan(300);
    }
    // The proxy answers 407 without valid credentials: every call above carried them.
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it('a NO_PROXY host goes direct while the others still use the proxy', async () => {
    const { slack, servicenow } = sims;
    const slackPort = new URL(slack.url()).port;
    // curl's conventions: `localhost` and its subdomains, and one port of an address.
    useProxyEnv({ http_proxy: proxyUrl(), no_proxy: `localhost, 127.0.0.1:${slackPort}` });

    const sc = createSlackClient({ apiUrl: `${slack.url()}/api`, token: SLACK_TOKEN }, deps());
    await sc.postMessage({ channel: 'major-incidents', text: 'direct' }, META);
    const sn = createServicenowClient({ baseUrl: servicenow.url(), ...SN }, deps());
    await sn.findByCorrelationId('MI-2025-0043', META);

    expect(slack.requests.at(-1)).toMatchObject({ path: '/api/chat.postMessage', status: 200 });
    expect(seen.some((s) => s.target.includes(`:${slackPort}`))).toBe(false);
    expect(sawRequest(servicenow.url())).toBe(true);
  });

  it('wrong proxy credentials: a permanent error that carries neither the password nor the proxy URL', async () => {
    useProxyEnv({ HTTP_PROXY: proxyUrl('not-the-password-91b2') });
    const sn = createServicenowClient({ baseUrl: sims.servicenow.url(), ...SN }, deps());
    const err = await rejectionOf(() => sn.findByCorrelationId('MI-2025-0044', META));
    expect(err).toMatchObject({ code: 'CLIENT_ERROR', status: 407, retryable: false });
    const text = [String(err), JSON.stringify(err), String((err as { cause?: unknown }).cause), String(err.detail)];
    for (const t of text) {
      expect(t).not.toContain('not-the-password-91b2');
      expect(t).not.toContain(PROXY_USER);
    }
  });

  it('wrong credentials on a CONNECT: the same permanent 407', async () => {
    useProxyEnv({ HTTPS_PROXY: proxyUrl('not-the-password-91b2') });
    const sn = createServicenowClient({ baseUrl: 'https://127.0.0.1:9', ...SN }, deps());
    const err = await rejectionOf(() => sn.findByCorrelationId('MI-2025-0046', META));
    expect(err).toMatchObject({ code: 'CLIENT_ERROR', status: 407, retryable: false });
    expect(JSON.stringify(err)).not.toContain('not-the-password-91b2');
    expect(seen).toEqual([{ method: 'CONNECT', target: '127.0.0.1:9' }]);
  });

  it('a proxy that accepts the connection and never answers CONNECT times out within timeoutMs', async () => {
    const silent = createTcpServer(() => undefined);
    const address = await new Promise<string>((resolve) =>
      silent.listen(0, '127.0.0.1', () => resolve(`127.0.0.1:${(silent.address() as AddressInfo).port}`)),
    );
    try {
      useProxyEnv({ HTTPS_PROXY: `http://${address}` });
      const sn = createServicenowClient({ baseUrl: 'https://127.0.0.1:9', ...SN, timeoutMs: 300 }, deps());
      const started = Date.now();
      const err = await rejectionOf(() => sn.findByCorrelationId('MI-2025-0045', META));
      expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      silent.close();
    }
  });
});

/** A child process, because NODE_EXTRA_CA_CERTS is read once when Node starts. */
const CHILD = `
import { pino } from 'pino';
import { createJiraClient } from './src/connectors/jira/outbound.ts';
const [baseUrl, email, apiToken] = process.argv.slice(1);
const client = createJiraClient({ baseUrl, email, apiToken, timeoutMs: 5000 }, { logger: pino({ level: 'silent' }) });
try {
  const found = await client.findByMarker('mim-MI-2025-0042', { incidentId: 'MI-2025-0042', jobId: 'job-1' });
  console.log(JSON.stringify({ ok: true, found: found ?? null }));
} catch (err) {
  console.log(JSON.stringify({ ok: false, code: err.code, detail: err.detail }));
}
`;

describe('an https vendor through a CONNECT tunnel', () => {
  let https: Server;
  let httpsAddress: string;
  beforeAll(async () => {
    // The Jira simulator served over TLS by a certificate of a private CA (test/fixtures/tls/).
    const tls = { key: readFileSync(TLS('server-key.pem')), cert: readFileSync(TLS('server.pem')) };
    https = createHttpsServer(tls, sims.jira.app);
    httpsAddress = await listen(https);
  });
  afterAll(async () => {
    if (https) await close(https);
  });

  async function runChild(env: Record<string, string>): Promise<{ ok: boolean; code?: string; found?: unknown }> {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', CHILD, `https://${httpsAddress}`, JIRA.email, JIRA.apiToken],
      { cwd: REPO, env: { PATH: process.env.PATH ?? '', ...env }, timeout: 15_000 },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}');
  }

  it('tunnels with CONNECT and checks the vendor certificate against NODE_EXTRA_CA_CERTS', async () => {
    const result = await runChild({ HTTPS_PROXY: proxyUrl(), NODE_EXTRA_CA_CERTS: TLS('ca.pem') });
    expect(result).toEqual({ ok: true, found: null });
    expect(seen).toContainEqual({ method: 'CONNECT', target: httpsAddress });
    // Only the tunnel: the proxy never saw the request itself (TLS runs end to end with the vendor).
    expect(seen.filter((s) => s.method !== 'CONNECT')).toEqual([]);
    expect(sims.jira.requests.at(-1)).toMatchObject({ path: '/rest/api/3/search/jql', status: 200 });
  });

  it('without the private CA the vendor certificate is refused, though the tunnel was made', async () => {
    const result = await runChild({ HTTPS_PROXY: proxyUrl() });
    // The detail names the certificate problem, so a dead letter says what to fix.
    expect(result).toMatchObject({ ok: false, code: 'NETWORK', detail: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    expect(seen).toContainEqual({ method: 'CONNECT', target: httpsAddress });
  });
});
