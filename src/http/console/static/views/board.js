import { api, explain } from '../api.js';
import { h, relative, stateBadge, table } from '../dom.js';

const OPEN = new Set(['candidate', 'declared']);
const REFRESH_MS = 5_000;

const TIMER_LABELS = {
  escalation: 'ack escalation',
  mobilisation: 'mobilisation check',
  'update-due': 'next update due',
  'pir-overdue': 'PIR overdue',
};

/** Open major incidents, each with its checklist progress and next timer (from its detail). */
export function board({ main, status, go }) {
  const body = h('div', { id: 'board' }, h('p', { class: 'muted' }, 'Loading…'));
  const updated = h('span', { class: 'muted', id: 'board-updated' });
  main.append(
    h('h1', {}, 'Open major incidents'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => void load(true) }, 'Refresh'),
      updated,
    ),
    body,
  );

  let alive = true;
  let lastCount;
  async function load(announce = false) {
    try {
      const { majorIncidents } = await api('GET', '/admin/major-incidents?limit=200');
      const open = majorIncidents.filter((m) => OPEN.has(m.state));
      const details = await Promise.all(
        open.map((m) => api('GET', `/admin/major-incidents/${encodeURIComponent(m.id)}`).catch(() => undefined)),
      );
      if (!alive) return;
      body.replaceChildren(open.length ? render(open, details, go) : h('p', {}, 'No open major incidents.'));
      updated.textContent = `Updated ${new Date().toLocaleTimeString()} · refreshes every ${REFRESH_MS / 1000} s`;
      // Announced on request and when the count changes, not on every silent refresh.
      if (announce || (lastCount !== undefined && lastCount !== open.length))
        status(`${open.length} open major incident${open.length === 1 ? '' : 's'}.`, 'ok');
      lastCount = open.length;
    } catch (err) {
      if (alive) status(explain(err), 'error');
    }
  }
  void load(true);
  const timer = setInterval(() => void load(), REFRESH_MS);
  return () => {
    alive = false;
    clearInterval(timer);
  };
}

function render(open, details, go) {
  const now = Date.now();
  const rows = open.map((mi, i) => {
    const d = details[i];
    const done = d?.checklist ? d.checklist.filter((c) => c.done).length : undefined;
    const total = d?.checklist?.length ?? 5;
    const next = d?.timers?.slice().sort((a, b) => Date.parse(a.at) - Date.parse(b.at))[0];
    const href = `#/mi/${encodeURIComponent(mi.id)}`;
    return h(
      'tr',
      {
        'data-mi': mi.id,
        onclick: (e) => {
          if (e.target.tagName !== 'A') go(href);
        },
      },
      h('td', {}, h('a', { href }, mi.title), h('br'), h('small', { class: 'muted' }, mi.id)),
      h('td', {}, stateBadge(mi.state)),
      h('td', { 'data-col': 'priority' }, mi.priority ? `P${mi.priority}` : '—'),
      h('td', {}, mi.serviceId),
      h(
        'td',
        {},
        h('time', { datetime: mi.createdAt, title: mi.createdAt }, relative(mi.createdAt, now).replace(' ago', '')),
      ),
      h('td', { 'data-col': 'checklist' }, done === undefined ? '—' : `${done}/${total}`),
      h(
        'td',
        {},
        next
          ? [
              TIMER_LABELS[next.kind] ?? next.kind,
              ' ',
              h('time', { datetime: next.at, title: next.at }, relative(next.at, now)),
            ]
          : h('span', { class: 'muted' }, 'none'),
      ),
    );
  });
  return table(['Major incident', 'State', 'Priority', 'Service', 'Age', 'Checklist', 'Next timer'], rows);
}
