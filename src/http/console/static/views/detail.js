import { api, explain } from '../api.js';
import { h, relative, stateBadge, time } from '../dom.js';
import { timelineSection } from './timeline.js';

const ROLE_LABELS = {
  majorIncidentManager: 'Major incident manager',
  commsLead: 'Comms lead',
  serviceOwner: 'Service owner',
  resolverGroup: 'Resolver group',
};

/** One major incident: links into every system, roles, checklist, measures, timers and the timeline (oldest first). */
export function detail({ main, status }, id) {
  main.append(h('p', {}, h('a', { href: '#/board' }, '← Board')), h('p', { class: 'muted' }, 'Loading…'));
  let alive = true;
  const load = async () => {
    try {
      const d = await api('GET', `/admin/major-incidents/${encodeURIComponent(id)}`);
      if (!alive) return;
      main.replaceChildren(
        h('p', {}, h('a', { href: '#/board' }, '← Board')),
        h('div', {}, render(d, { status, reload: load })),
      );
    } catch (err) {
      if (alive) status(err?.status === 404 ? `No major incident ${id}.` : explain(err), 'error');
    }
  };
  void load();
  return () => {
    alive = false;
  };
}

function render(d, ctx) {
  const mi = d.majorIncident;
  const timeline = [...d.timeline].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return [
    h(
      'h1',
      {},
      mi.title,
      ' ',
      mi.priority ? h('span', { class: 'badge', 'data-priority': mi.priority }, `P${mi.priority}`) : '',
      ' ',
      stateBadge(mi.state),
    ),
    h(
      'p',
      { class: 'muted' },
      `${mi.id} · service ${mi.serviceId} · created `,
      time(mi.createdAt),
      ` (${relative(mi.createdAt)})`,
    ),
    h(
      'div',
      { class: 'grid' },
      h(
        'section',
        { 'aria-labelledby': 'links-h' },
        h('h2', { id: 'links-h' }, 'Links'),
        links(mi, timeline, d.urls ?? {}),
      ),
      h('section', { 'aria-labelledby': 'roles-h' }, h('h2', { id: 'roles-h' }, 'Roles'), roles(mi.roles)),
      h(
        'section',
        { 'aria-labelledby': 'checklist-h' },
        h('h2', { id: 'checklist-h' }, `Checklist ${d.checklist.filter((c) => c.done).length}/${d.checklist.length}`),
        h(
          'ul',
          { class: 'checklist' },
          d.checklist.map((c) =>
            h(
              'li',
              { class: c.done ? 'done' : '' },
              c.label,
              c.done ? '' : h('span', { class: 'muted' }, ' (not yet)'),
            ),
          ),
        ),
      ),
      h(
        'section',
        { 'aria-labelledby': 'measures-h' },
        h('h2', { id: 'measures-h' }, 'Measures'),
        dl(Object.fromEntries(Object.entries(d.measuresText ?? {}).map(([k, v]) => [humanize(k), v])), 'none yet'),
      ),
      h(
        'section',
        { 'aria-labelledby': 'timers-h' },
        h('h2', { id: 'timers-h' }, 'Timers'),
        d.timers.length
          ? h(
              'ul',
              {},
              d.timers.map((t) => h('li', {}, `${t.kind} #${t.n} `, time(t.at), ` (${relative(t.at)})`)),
            )
          : h('p', { class: 'muted' }, 'none planned'),
      ),
    ),
    d.children.length
      ? [
          h('h2', {}, `Attached incidents (${d.children.length})`),
          h('p', {}, d.children.map((c) => `${c.source} ${c.number ?? c.recordId}`).join(' · ')),
        ]
      : null,
    mi.state === 'declared' ? updateForm(mi.id, ctx) : null,
    timelineSection(timeline),
  ];
}

function links(mi, timeline, urls) {
  // The detail's `urls` (from the vendor base URLs the service knows); else one the timeline recorded.
  const snUrl =
    urls.servicenow ?? timeline.map((e) => e.detail?.url).find((u) => typeof u === 'string' && u.includes('sys_id='));
  const sn =
    mi.origin.source === 'servicenow' ? { sysId: mi.origin.recordId, number: mi.origin.number } : mi.links.servicenow;
  const jira =
    mi.links.jira ?? (mi.origin.source === 'jira' ? { key: mi.origin.number ?? mi.origin.recordId } : undefined);
  const pd = mi.links.pagerduty;
  const item = (label, text, href) =>
    h(
      'li',
      {},
      `${label}: `,
      text
        ? href
          ? h('a', { href, rel: 'noreferrer', target: '_blank' }, text)
          : h('code', {}, text)
        : h('span', { class: 'muted' }, 'none yet'),
    );
  return h(
    'ul',
    { id: 'links' },
    item(
      'ServiceNow record',
      sn ? (sn.number ?? sn.sysId) : undefined,
      sn && snUrl?.includes(sn.sysId) ? snUrl : undefined,
    ),
    item('Jira issue', jira?.key, urls.jira),
    item('PagerDuty incident', pd ? (pd.incidentId ?? `dedup key ${pd.dedupKey}`) : undefined, urls.pagerduty),
    mi.links.pir ? item('Post-incident review', mi.links.pir.key, urls.pir) : null,
  );
}

/** "timeToDeclare" → "time to declare". */
const humanize = (key) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

const roles = (r) =>
  dl(
    Object.fromEntries(
      Object.entries(ROLE_LABELS)
        .map(([k, label]) => [label, r?.[k]])
        .filter(([, v]) => v),
    ),
    'none assigned',
  );

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
function updateForm(id, { status, reload }) {
  const text = h('textarea', { id: 'update-text', name: 'text', required: true, rows: 3, class: 'short' });
  return h(
    'form',
    {
      'aria-labelledby': 'update-h',
      onsubmit: async (e) => {
        e.preventDefault();
        try {
          const r = await api('POST', `/admin/major-incidents/${encodeURIComponent(id)}/updates`, { text: text.value });
          status(`Update posted: ${r.actions} action${r.actions === 1 ? '' : 's'} queued.`, 'ok');
          text.value = '';
          void reload();
        } catch (err) {
          status(err?.status === 403 ? 'Posting an update needs the operator role (403).' : explain(err), 'error');
        }
      },
    },
    h('h2', { id: 'update-h' }, 'Post an update'),
    h('label', { for: 'update-text' }, 'Update text, as the audiences should read it'),
    text,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Post update')),
  );
}
