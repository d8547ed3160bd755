import { extractFromJson, extractFromXml } from '@extractus/feed-extractor';
import { describe, expect, it } from 'vitest';
import { renderAtom } from '../../../src/http/status/render-atom.ts';
import { renderHtml } from '../../../src/http/status/render-html.ts';
import { renderJsonFeed } from '../../../src/http/status/render-json.ts';
import type { PublicStatus } from '../../../src/orchestrator/public-status.ts';

const quiet: PublicStatus = { generatedAt: '2026-12-06T10:00:00.000Z', incidents: [] };
const one: PublicStatus = {
  generatedAt: '2026-12-06T10:00:00.000Z',
  incidents: [
    {
      id: '0123456789abcdef',
      title: 'Payroll \u0001down\u0008 & <b>out</b>',
      service: 'Payroll',
      startedAt: '2026-12-06T09:00:00.000Z',
      updatedAt: '2026-12-06T09:00:00.000Z',
      updates: [],
    },
  ],
};

describe('the status renderers', () => {
  it('with nothing open: the page says so, both feeds parse with no entry', () => {
    expect(renderHtml(quiet, 'Service status')).toContain(
      '<p class="ok" id="all-clear">No major incidents right now.</p>',
    );
    // An Atom feed may have no entry (RFC 4287 4.1.1); feed-extractor recognises Atom only by its entries.
    const atom = renderAtom(quiet, 'Service status');
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom">');
    expect(atom).toContain('<updated>2026-12-06T10:00:00.000Z</updated>');
    expect(atom).not.toContain('<entry');
    expect(extractFromJson(JSON.parse(renderJsonFeed(quiet, 'Service status'))).entries).toEqual([]);
  });

  it('an incident without updates yet says work is under way; characters XML cannot hold are replaced, not sent', () => {
    expect(renderHtml(one, 'Service status')).toContain('We are working on it. Updates will follow here.');
    const atom = renderAtom(one, 'Service status');
    // No C0 control character may reach an XML 1.0 document.
    expect([...atom].some((c) => c.charCodeAt(0) < 0x20 && !'\t\n\r'.includes(c))).toBe(false);
    expect(extractFromXml(atom).entries?.[0]?.title).toBe('Payroll: Payroll \ufffddown\ufffd & <b>out</b>');
    expect(JSON.parse(renderJsonFeed(one, 'Service status')).items[0].content_text).toBe(
      'We are working on it. Updates will follow here.',
    );
  });
});
