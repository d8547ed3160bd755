import { api, explain } from '../api.js';
import { h, relative, time } from '../dom.js';
import { countdowns, poll } from '../live.js';
import {
  countdown,
  deadline,
  latestUpdate,
  priorityBadge,
  problems,
  exerciseBadge,
  reopenedBadge,
  serviceText,
  stateWithAge,
  vendorLinks,
} from './facts.js';
import { timelineSection } from './timeline.js';

const ROLE_LABELS = {
  majorIncidentManager: 'Major incident manager',
  commsLead: 'Comms lead',
  serviceOwner: 'Service owner',
  resolverGroup: 'Resolver group',
};

const STATE_TEXT = { sent: '✓ sent', skipped: '– skipped', failed: '✗ failed' };

/**
 * One major incident, live: the facts at a glance, the latest update and the box to post the next, roles with the
 * people the vendors named, the checklist with times, measures, deadlines, attached incidents, what was sent to whom,
 * and the timeline.
 */
export function detail({ main, status, role }, id) {
  const back = () => h('p', {}, h('a', { href: '#/board' }, '← Board'));
  main.append(back(), h('p', { class: 'muted' }, 'Loading…'));
  // One form for the life of the view: a refresh re-renders around it, so a half-typed update survives.
  let form;
  const content = h('div', { id: 'detail' });
  let shown = false;
  const stopPoll = poll(
    (signal) => api('GET', `/admin/major-incidents/${encodeURIComponent(id)}`, undefined, { signal }),
    (d) => {
      if (d.majorIncident.state === 'declared') form ??= updateForm(id, { status, role });
      content.replaceChildren(h('div', {}, render(d, d.majorIncident.state === 'declared' ? form : null)));
      if (!shown) main.replaceChildren(back(), content);
      shown = true;
    },
    (err) => status(err?.status === 404 ? `No major incident ${id}.` : explain(err), 'error'),
  );
  const stopCount = countdowns(content, (at) => countdown(at));
  return () => {
    stopPoll();
    stopCount();
  };
}

function render(d, form) {
  const mi = d.majorIncident;
  const f = d.facts;
  const now = Date.now();
  const timeline = [...d.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return [
    h('h1', {}, mi.title, ' ', priorityBadge(mi.priority), ' ', exerciseBadge(f), ' ', reopenedBadge(f)),
    f.reopened
      ? h(
          'p',
          { class: 'note', id: 'reopened-note' },
          'Re-opened ',
          time(f.reopened.at),
          ` by ${f.reopened.by}: acknowledgement, mobilisation and first communication count again from then.`,
        )
      : null,
    h(
      'dl',
      { class: 'facts', id: 'facts' },
      fact('Service', serviceText(f)),
      fact('State', stateWithAge(f, now)),
      fact('Lead', f.lead ?? h('span', { class: 'muted' }, 'none named')),
      fact(
        'Acknowledged by',
        f.acknowledgedBy
          ? [f.acknowledgedBy.name, ' ', h('span', { class: 'muted' }, `(PagerDuty, ${relative(f.acknowledgedBy.at)})`)]
          : h('span', { class: 'warn-text' }, 'not yet'),
      ),
      fact('Next deadline', deadline(f.nextDeadline, now)),
      fact('Checklist', `${f.checklist.done}/${f.checklist.total}`),
      fact('Problems', problems(f)),
      fact('Opened', [time(mi.createdAt), ` (${relative(mi.createdAt)}) · `, h('code', {}, mi.id)]),
    ),
    section('update-h', 'Latest public update', h('div', { id: 'latest-update' }, latestUpdate(f, now, true)), form),
    h(
      'div',
      { class: 'grid' },
      section('links-h', 'Links', h('div', { id: 'links' }, vendorLinks(f))),
      section('roles-h', 'Roles', roles(mi.roles, f.people)),
      section(
        'checklist-h',
        `Checklist ${f.checklist.done}/${f.checklist.total}`,
        h(
          'ul',
          { class: 'checklist', id: 'checklist' },
          d.checklist.map((c) =>
            h(
              'li',
              { class: c.done ? 'done' : '' },
              h('span', { class: 'sr-only' }, c.done ? 'done: ' : 'not done: '),
              c.label,
              c.done && c.at ? [' ', h('span', { class: 'muted' }, '· '), time(c.at)] : '',
              c.done ? '' : h('span', { class: 'muted' }, ' (not yet)'),
            ),
          ),
        ),
      ),
      section(
        'measures-h',
        'Measures',
        h(
          'div',
          { id: 'measures' },
          dl(Object.fromEntries(Object.entries(d.measuresText ?? {}).map(([k, v]) => [humanize(k), v])), 'none yet'),
        ),
      ),
      section(
        'timers-h',
        'Deadlines',
        d.timers.length
          ? h(
              'ul',
              { id: 'deadlines' },
              d.timers.map((t) =>
                h(
                  'li',
                  {},
                  `${t.label ?? t.kind}${t.n > 1 ? ` (#${t.n})` : ''} `,
                  h('time', { datetime: t.at, title: t.at, 'data-countdown': '' }, countdown(t.at, now)),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'none planned'),
      ),
    ),
    section(
      'attached-h',
      `Attached incidents (${f.attached.length})`,
      f.attached.length
        ? h(
            'ul',
            { id: 'attached', class: 'inline-list' },
            f.attached.map((c) => {
              const text = `${c.source === 'servicenow' ? 'ServiceNow' : c.source} ${c.number ?? c.recordId}`;
              return h(
                'li',
                {},
                c.url ? h('a', { href: c.url, rel: 'noreferrer', target: '_blank' }, text) : text,
                c.attachedAt ? [' ', h('span', { class: 'muted' }, `attached ${relative(c.attachedAt)}`)] : '',
              );
            }),
          )
        : h('p', { class: 'muted' }, 'none'),
    ),
    section('sent-h', 'What was sent to whom', sentTable(d.communications ?? [])),
    timelineSection(timeline, { urls: d.urls ?? {}, majorIncident: mi }),
  ];
}

const fact = (term, value) => [h('dt', {}, term), h('dd', {}, value)];
const section = (id, title, ...body) =>
  h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...body.filter(Boolean));

function sentTable(groups) {
  if (!groups.length) return h('p', { class: 'muted' }, 'nothing sent yet');
  return h(
    'table',
    { id: 'sent', class: 'sent' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Audience', 'Channel', 'Messages (oldest first)'].map((t) => h('th', { scope: 'col' }, t)),
      ),
    ),
    h(
      'tbody',
      {},
      groups.map((g) =>
        h(
          'tr',
          { 'data-channel': `${g.target} ${g.channel}` },
          h('td', { 'data-label': 'Audience' }, g.audience),
          h('td', { 'data-label': 'Channel' }, `${g.target} `, h('code', {}, g.channel)),
          h(
            'td',
            { 'data-label': 'Messages' },
            h(
              'ul',
              { class: 'messages' },
              g.messages.map((m) =>
                h(
                  'li',
                  { class: `msg-${m.state}` },
                  h('span', { class: 'msg-state' }, STATE_TEXT[m.state] ?? m.state),
                  ` ${m.template} `,
                  time(m.at),
                  m.code ? [' ', h('code', {}, m.code), m.detail ? ` ${m.detail}` : ''] : '',
                  m.url
                    ? [
                        ' ',
                        h(
                          'a',
                          { href: m.url, rel: 'noreferrer', target: '_blank' },
                          'open',
                          h('span', { class: 'sr-only' }, ` ${g.channel}`),
                        ),
                      ]
                    : '',
                  m.state === 'failed' ? [' ', h('a', { href: '#/dead-letters' }, 'replay or discard')] : '',
                ),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

/** "timeToDeclare" → "time to declare". */
const humanize = (key) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/** The roles the record holds, then the people a vendor named (who acknowledged the page, the assignment group). */
function roles(r, vendorPeople) {
  const entries = Object.entries(ROLE_LABELS)
    .map(([k, label]) => [label, r?.[k]])
    .filter(([, v]) => v);
  for (const p of vendorPeople ?? [])
    entries.push([`${p.role[0].toUpperCase()}${p.role.slice(1)}`, `${p.name} (${p.source})`]);
  return entries.length
    ? h(
        'dl',
        { id: 'roles' },
        entries.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      )
    : h('p', { class: 'muted' }, 'none assigned');
}

function dl(record, empty) {
  const entries = Object.entries(record);
  return entries.length
    ? h(
        'dl',
        {},
        entries.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, String(v))]),
      )
    : h('p', { class: 'muted' }, empty);
}

/** The comms lead's update (operator role): sent to every audience by the update playbook. */
function updateForm(id, { status, role }) {
  const text = h('textarea', { id: 'update-text', name: 'text', required: true, rows: 3, class: 'short' });
  const viewer = role === 'viewer';
  return h(
    'form',
    {
      'aria-labelledby': 'post-h',
      class: 'post-update',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const r = await api('POST', `/admin/major-incidents/${encodeURIComponent(id)}/updates`, { text: text.value });
          status(`Update posted: ${r.actions} action${r.actions === 1 ? '' : 's'} queued.`, 'ok');
          text.value = '';
        } catch (err) {
          status(err?.status === 403 ? 'Posting an update needs the operator role (403).' : explain(err), 'error');
        }
      },
    },
    h('h3', { id: 'post-h' }, 'Post the next update'),
    h('label', { for: 'update-text' }, 'Update text, as the audiences should read it'),
    text,
    viewer ? h('p', { class: 'muted' }, 'Posting needs the operator role; a viewer is refused (403).') : null,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Post update')),
  );
}
