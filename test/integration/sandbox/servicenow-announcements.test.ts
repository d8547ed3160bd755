import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ANNOUNCEMENT_FIELDS } from '../../../sandbox/servicenow/announcements.ts';
import { createServicenowAnnouncements } from '../../../src/connectors/servicenow/outbound-announcement.ts';
import { createServicenowSim, SIM_PORTALS, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import { deps, META } from '../connectors/helpers.ts';

const USER = 'mim.integration';
const PASSWORD = 'sn-sandbox-password';
const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

let sim: ServicenowSim;
afterEach(async () => {
  await sim?.close();
});

async function start() {
  sim = createServicenowSim({ users: { [USER]: PASSWORD } });
  await sim.listen();
}
const post = (table: string, body: unknown) =>
  fetch(`${sim.url()}/api/now/table/${table}`, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', authorization: auth },
  });

describe('servicenow simulator: the announcement tables', () => {
  it("takes exactly the announcement columns ServiceNow's documentation names (test/fixtures/servicenow)", () => {
    const columns = JSON.parse(readFileSync('test/fixtures/servicenow/announcement.columns.json', 'utf8')) as {
      announcement: string[];
    };
    expect([...ANNOUNCEMENT_FIELDS].sort()).toEqual([...columns.announcement].sort());
  });

  it('refuses a column the announcement table does not have, naming it, and bad values', async () => {
    await start();
    const unknown = await post('announcement', { name: 'n', title: 't', message: 'no such column' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: { message: 'Invalid column', detail: "'message' is not a column of announcement" },
      status: 'failure',
    });
    expect((await post('announcement', { name: 'n', to: '2026-12-06T10:00:00Z' })).status).toBe(400);
    expect((await post('announcement', { name: 'n', display_style: 'Loud' })).status).toBe(400);
    expect((await post('m2m_announcement_portal', { announcement: 'x', sp_portal: 'y' })).status).toBe(400);
    expect((await post('announcement_style', { name: 'Loud' })).status).toBe(400);
    expect(sim.announcements()).toHaveLength(0);
  });

  it('takes what the connector writes: one record found again by its marker, its portals linked once', async () => {
    await start();
    const client = createServicenowAnnouncements({ baseUrl: sim.url(), username: USER, password: PASSWORD }, deps());
    const marker = client.markerFor(META.incidentId, 'all-staff');
    const a = {
      title: 'Major incident',
      summary: 'text',
      from: new Date('2026-12-06T09:00:00Z'),
      portals: ['sp', 'esc'],
    };
    const first = await client.publish(marker, { ...a, displayStyle: 'Urgent' }, META);
    const again = await client.publish(marker, { ...a, summary: 'newer text' }, META);
    expect(again).toEqual({ sysId: first.sysId, created: false });
    expect(sim.announcements()).toHaveLength(1);
    expect(sim.announcements()[0]).toMatchObject({ name: marker, summary: 'newer text', from: '2026-12-06 09:00:00' });
    expect([...sim.announcementPortals(first.sysId)].sort()).toEqual(Object.keys(SIM_PORTALS).sort());
    expect(await client.find(marker, META)).toBe(first.sysId);
    await client.retire(
      first.sysId,
      { title: 'Resolved', summary: 'done', to: new Date('2026-12-06T12:00:00Z') },
      META,
    );
    expect(sim.announcements()[0]).toMatchObject({ title: 'Resolved', summary: 'done', to: '2026-12-06 12:00:00' });
  });
});
