import { api, explain } from '../api.js';
import { h, relative, table } from '../dom.js';

// The badge colours of the major-incident states: green for a connection that works, red for one that fails.
const BADGE = {
  ok: ['ok', 'badge state-resolved'],
  failed: ['failed', 'badge state-declared'],
  not_configured: ['not configured', 'muted'],
};

/** The connection checks of `mim-bridge doctor` (GET /admin/connections, any role): result and fix per vendor. */
export function connections({ main, status }) {
  const body = h('div', { id: 'connections' }, h('p', { class: 'muted' }, 'Checking…'));
  const when = h('p', { class: 'muted', id: 'connections-checked' });
  main.append(
    h('h1', {}, 'Connections'),
    h(
      'p',
      { class: 'muted' },
      'A harmless call to each configured system: nothing is posted, paged or written. The checks run at most ' +
        'once a minute, whoever asks; the same checks run from a shell with ',
      h('code', {}, 'mim-bridge doctor'),
      '.',
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh'),
    ),
    when,
    body,
  );

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

  async function load() {
    try {
      const answer = await api('GET', '/admin/connections');
      when.replaceChildren(
        answer.checkedAt
          ? h(
              'span',
              {},
              'Checked ',
              h('time', { datetime: answer.checkedAt, title: answer.checkedAt }, relative(answer.checkedAt)),
              answer.ok ? ': every configured connection works.' : ': a configured connection fails.',
            )
          : 'This process runs no connection checks.',
      );
      body.replaceChildren(
        answer.connections.length
          ? table(['System', 'Result', 'What was checked', 'Fix'], answer.connections.map(row))
          : h('p', {}, 'No connections to show.'),
      );
    } catch (err) {
      status(explain(err), 'error');
    }
  }
  void load();
}
