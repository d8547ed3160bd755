import { h, table } from '../dom.js';
import { checksPage } from './checks-page.js';

// The badge colours of the major-incident states: green for a connection that works, red for one that fails.
const BADGE = {
  ok: ['ok', 'badge state-resolved'],
  failed: ['failed', 'badge state-declared'],
  not_configured: ['not configured', 'muted'],
};

/** The connection checks of `mim-bridge doctor` (GET /admin/connections, any role): result and fix per vendor. */
export function connections(ctx) {
  const row = (c) => {
    const [label, cls] = BADGE[c.status] ?? [c.status, 'muted'];
    return h(
      'tr',
      { 'data-vendor': c.vendor },
      h('td', {}, h('code', {}, c.vendor)),
      h('td', {}, h('span', { class: cls }, label)),
      h(
        'td',
        {},
        c.status === 'not_configured' ? '—' : c.detail,
        c.code && c.status === 'failed' ? h('div', { class: 'muted' }, h('code', {}, c.code)) : null,
      ),
      h('td', {}, c.fix ?? ''),
    );
  };

  checksPage(ctx, {
    id: 'connections',
    title: 'Connections',
    intro: [
      'A harmless call to each configured system: nothing is posted, paged or written. The checks run at most ' +
        'once a minute, whoever asks; the same checks run from a shell with ',
      h('code', {}, 'mim-bridge doctor'),
      '.',
    ],
    path: '/admin/connections',
    render: (answer) => ({
      summary: answer.checkedAt
        ? answer.ok
          ? ': every configured connection works.'
          : ': a configured connection fails.'
        : 'This process runs no connection checks.',
      body: answer.connections.length
        ? table(['System', 'Result', 'What was checked', 'Fix'], answer.connections.map(row))
        : h('p', {}, 'No connections to show.'),
    }),
  });
}
