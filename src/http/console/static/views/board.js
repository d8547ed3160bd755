import { api } from '../api.js';
import { h } from '../dom.js';
import { countdowns, poll, REFRESH_MS } from '../live.js';
import {
  countdown,
  deadline,
  latestUpdate,
  people,
  priorityBadge,
  problems,
  exerciseBadge,
  reopenedBadge,
  serviceText,
  stateWithAge,
  vendorLinks,
} from './facts.js';

const COLUMNS = [
  'Priority',
  'Major incident',
  'State',
  'Lead and acknowledged',
  'Latest update',
  'Next deadline',
  'Checklist',
  'Problems',
  'Links',
];

/** Open major incidents, highest priority then oldest first, live (GET /admin/board every few seconds). */
export function board({ main, status, go }) {
  const body = h('div', { id: 'board' }, h('p', { class: 'muted' }, 'Loading…'));
  const updated = h('span', { class: 'muted', id: 'board-updated' });
  main.append(h('h1', {}, 'Open major incidents'), h('div', { class: 'actions' }, updated), body);

  let lastCount;
  const stopPoll = poll(
    (signal) => api('GET', '/admin/board', undefined, { signal }),
    ({ majorIncidents }) => {
      body.replaceChildren(majorIncidents.length ? render(majorIncidents, go) : h('p', {}, 'No open major incidents.'));
      // Announced when the count changes, not on every refresh.
      if (lastCount !== majorIncidents.length)
        status(`${majorIncidents.length} open major incident${majorIncidents.length === 1 ? '' : 's'}.`, 'ok');
      lastCount = majorIncidents.length;
    },
  );
  // The line says the data is live; the stale banner (live.js) says when it is not.
  updated.textContent = `Live: refreshed every ${REFRESH_MS / 1000} s; deadlines count down.`;
  const stopCount = countdowns(body, (at) => countdown(at));
  return () => {
    stopPoll();
    stopCount();
  };
}

function render(rows, go) {
  const now = Date.now();
  const cell = (label, attrs, ...content) => h('td', { 'data-label': label, ...attrs }, ...content);
  return h(
    'table',
    { class: 'board' },
    h('caption', { class: 'sr-only' }, 'Open major incidents, highest priority first, then the oldest'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        COLUMNS.map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((f) => {
        const href = `#/mi/${encodeURIComponent(f.id)}`;
        return h(
          'tr',
          {
            'data-mi': f.id,
            class: f.reopened ? 'reopened-row' : '',
            onclick: (e) => {
              if (!e.target.closest('a')) go(href);
            },
          },
          cell('Priority', { 'data-col': 'priority' }, priorityBadge(f.priority)),
          cell(
            'Major incident',
            { 'data-col': 'title' },
            h('a', { href, class: 'mi-title' }, f.title),
            ' ',
            exerciseBadge(f),
            reopenedBadge(f),
            h('div', { class: 'muted' }, serviceText(f)),
            h('small', { class: 'muted' }, f.id),
          ),
          cell('State', { 'data-col': 'state' }, stateWithAge(f, now)),
          cell('Lead and acknowledged', { 'data-col': 'people' }, people(f)),
          cell('Latest update', { 'data-col': 'update' }, latestUpdate(f, now)),
          cell('Next deadline', { 'data-col': 'deadline' }, deadline(f.nextDeadline, now)),
          cell('Checklist', { 'data-col': 'checklist' }, `${f.checklist.done}/${f.checklist.total}`),
          cell('Problems', { 'data-col': 'problems' }, problems(f)),
          cell('Links', { 'data-col': 'links' }, vendorLinks(f)),
        );
      }),
    ),
  );
}
