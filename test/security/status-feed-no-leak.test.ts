import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { timelineEntry, type MajorIncident } from '../../src/domain/major-incident.ts';
import { LATEST_UPDATE_FIELD } from '../../src/orchestrator/latest-update.ts';
import { configCopy } from '../helpers/config-dir.ts';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';

/**
 * The public status feed shows nothing internal: a declared payroll major incident that holds a
 * work note, its roles' emails, a ServiceNow sys_id and number, a Jira key and a PagerDuty id is
 * fetched unauthenticated as HTML, JSON Feed and Atom, and none of them appears in any of the
 * three; a hostile title and update (`<script>`, `]]>`, `&`, line breaks) are inert text in each.
 */

const TOKEN = 'status-feed-admin-token-0123456789';
const HOSTILE_TITLE = 'Payroll <script>alert(1)</script> ]]> & "down"\nsecond line';
const HOSTILE_UPDATE = 'Fix in progress <img src=x onerror=alert(2)> ]]]]><![CDATA[ & more\r\nsoon';
const WORK_NOTE = 'internal-only: restart payroll-db01 with the break-glass password';
const SYS_ID = 'f00d0000000000000000000000000042';
const NUMBER = 'INC0099042';
const JIRA_KEY = 'PAY-4242';
const PD_ID = 'PQX12AB';
const COMMENTER = 'beth.anglin@example.edu';
const EMAILS = ['mim-oncall@example.edu', 'it-comms@example.edu', 'head-of-payroll@example.edu', COMMENTER];

let svc: TestService;
let mi: MajorIncident;
// The shipped config: payroll has `statusPage: true`.
const copy = configCopy();
const bodies: Record<'html' | 'json' | 'atom', string> = { html: '', json: '', atom: '' };

beforeAll(async () => {
  svc = await startTestService({
    MIM_CONFIG_DIR: copy.dir,
    MIM_ADMIN_TOKEN: TOKEN,
    // Paging has nowhere to go: the actions are not what this test is about.
    PAGERDUTY_EVENTS_URL: 'http://127.0.0.1:9',
  });
  const admin = (path: string, body: unknown) =>
    fetch(`${svc.url}${path}`, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    });
  const declared = await admin('/admin/major-incidents', {
    serviceId: 'payroll',
    title: HOSTILE_TITLE,
    reason: 'status feed leak test',
    actor: 'mim-oncall@example.edu',
    origin: { source: 'servicenow', recordId: SYS_ID, number: NUMBER },
  });
  expect(declared.status).toBe(201);
  mi = ((await declared.json()) as { majorIncident: MajorIncident }).majorIncident;
  // What the other systems gave it, and an internal note on its timeline.
  await svc.majorIncidents.setLink(mi.id, 'jira', { key: JIRA_KEY, id: '10042' });
  await svc.majorIncidents.setLink(mi.id, 'pagerduty', { dedupKey: mi.id, incidentId: PD_ID });
  await svc.majorIncidents.appendTimeline(mi.id, [
    timelineEntry({
      at: new Date(),
      kind: 'comment.synced',
      actor: { type: 'source', id: 'servicenow' },
      detail: { text: WORK_NOTE, visibility: 'internal', record: NUMBER },
      configVersion: undefined,
    }),
  ]);
  expect((await admin(`/admin/major-incidents/${mi.id}/updates`, { text: HOSTILE_UPDATE })).status).toBe(202);
  // A later public comment on the ServiceNow record (latest-update.ts): its text is public, its author and record are not.
  await svc.majorIncidents.setSynced(mi.id, LATEST_UPDATE_FIELD, {
    text: 'Public comment: payslips are being re-sent.',
    author: COMMENTER,
    at: new Date(Date.now() + 1_000).toISOString(),
    source: 'servicenow',
    record: NUMBER,
  });
  // The feed is read through a 10 s cache: read it once everything above is written.
  for (const [kind, path] of [
    ['html', '/status'],
    ['json', '/status.json'],
    ['atom', '/status.atom'],
  ] as const) {
    const res = await fetch(`${svc.url}${path}`);
    expect(res.status).toBe(200);
    bodies[kind] = await res.text();
  }
}, 30_000);

afterAll(async () => {
  await stopAndClean(svc);
});

describe('the public status feed leaks nothing internal', () => {
  it.each(['html', 'json', 'atom'] as const)('%s holds no work note, role email, vendor id or internal id', (kind) => {
    const body = bodies[kind];
    // It does show the incident and its public update.
    expect(body).toContain('Payroll');
    expect(body).toContain('Fix in progress');
    expect(body).toContain('payslips are being re-sent');
    for (const secret of [WORK_NOTE, 'break-glass', SYS_ID, NUMBER, JIRA_KEY, '10042', PD_ID, mi.id, ...EMAILS])
      expect(body, `${kind} shows ${secret}`).not.toContain(secret);
  });

  it('the HTML page escapes the hostile title and update, and runs nothing', () => {
    const html = bodies.html;
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain('Payroll &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; &#34;down&#34;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
  });

  it('the JSON Feed parses (a real feed parser) and carries the title as text', () => {
    const parsed = JSON.parse(bodies.json) as { items: Array<{ title: string; content_text: string }> };
    expect(parsed.items[0]?.title).toBe(`Payroll: ${HOSTILE_TITLE}`);
    expect(parsed.items[0]?.content_text).toBe('Public comment: payslips are being re-sent.');
    expect(JSON.stringify(parsed)).toContain(JSON.stringify(HOSTILE_UPDATE));
    const feed = extractFromJson(parsed);
    expect(feed.entries).toHaveLength(1);
    expect(feed.entries?.[0]?.title).toBe(`Payroll: ${HOSTILE_TITLE}`);
  });

  it('the Atom feed is well-formed XML (a real feed parser) with the title as plain text', () => {
    expect(bodies.atom).not.toMatch(/<script|<img/i);
    expect(bodies.atom).not.toContain('<![CDATA[');
    const feed = extractFromXml(bodies.atom, { descriptionMaxLen: 0 });
    expect(feed.entries).toHaveLength(1);
    // Line breaks in a title become spaces (an entry title is one line); the rest arrives as typed.
    expect(feed.entries?.[0]?.title).toBe('Payroll: Payroll <script>alert(1)</script> ]]> & "down" second line');
    expect(bodies.atom).toContain('<title type="text">');
  });
});
