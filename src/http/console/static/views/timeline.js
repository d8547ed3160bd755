import { h, time } from '../dom.js';
import { ensureStylesheet } from './stylesheet.js';
import { describeEntry, SYSTEM_NAMES, vendorLinks } from './timeline-text.js';

// The filters outlive a re-render (the detail reloads itself), so a reader's choice stays put.
const filters = { kind: '', system: '', errorsOnly: false, showMachine: false };

/**
 * A major incident's timeline (oldest first): the milestones on their own, then every entry as a
 * sentence with filters by kind, by system and "errors only"; machine events (action results,
 * planned actions, rule evaluations, measures) folded into one line until asked for; the raw entry
 * behind each "details" toggle. `opts.urls` and `opts.majorIncident` (the detail's) turn vendor ids
 * into links. Returns DOM nodes; every value goes in as text.
 */
export function timelineSection(timeline, opts = {}) {
  ensureStylesheet('timeline.css');
  const rows = timeline.map((e) => ({ e, ...describeEntry(e), links: vendorLinks(e, opts) }));
  const tbody = h('tbody', { id: 'timeline-rows' });
  const shown = h('span', { id: 'timeline-shown', class: 'muted', 'aria-live': 'polite' });
  const machineButton = h('button', {
    type: 'button',
    class: 'secondary',
    id: 'timeline-machine',
    onclick: () => {
      filters.showMachine = !filters.showMachine;
      render();
    },
  });

  function render() {
    const passes = (r) =>
      (!filters.kind || r.e.kind === filters.kind) &&
      (!filters.system || r.system === filters.system) &&
      (!filters.errorsOnly || r.error);
    const matching = rows.filter(passes);
    // Asking for a machine kind by name shows it: the fold is for skimming, not for hiding.
    const unfold = filters.showMachine || (filters.kind !== '' && matching.some((r) => r.machine));
    const visible = matching.filter((r) => unfold || !r.machine);
    const folded = matching.length - visible.length;
    const machines = matching.filter((r) => r.machine).length;
    machineButton.textContent = unfold
      ? `Hide the ${machines} machine event${machines === 1 ? '' : 's'}`
      : `${folded} machine event${folded === 1 ? '' : 's'} — show`;
    machineButton.setAttribute('aria-expanded', String(unfold));
    machineButton.disabled = machines === 0 || (!filters.showMachine && unfold);
    // The button stays where it is (never re-inserted), so keyboard focus stays on it.
    machineButton.hidden = machines === 0;
    tbody.replaceChildren(...visible.map(row));
    shown.textContent = `Showing ${visible.length} of ${rows.length} entries${
      folded ? ` (${folded} machine events folded)` : ''
    }.`;
  }

  const select = (id, label, key, options) =>
    h(
      'div',
      { class: 'tl-filter' },
      h('label', { for: id }, label),
      h(
        'select',
        {
          id,
          onchange: (ev) => {
            filters[key] = ev.currentTarget.value;
            render();
          },
        },
        options.map(([value, text]) => h('option', { value, selected: filters[key] === value }, text)),
      ),
    );
  const counted = (values) => [...count(values)].sort(([a], [b]) => a.localeCompare(b));
  const errors = rows.filter((r) => r.error).length;

  render();
  return [
    h('h2', { id: 'timeline-h' }, `Timeline (${timeline.length} entries, newest last)`),
    milestonesList(rows),
    h(
      'div',
      { class: 'tl-filters', role: 'group', 'aria-label': 'Filter the timeline' },
      select('timeline-kind', 'Kind', 'kind', [
        ['', `All kinds (${rows.length})`],
        ...counted(rows.map((r) => r.e.kind)).map(([k, n]) => [k, `${k} (${n})`]),
      ]),
      select('timeline-system', 'System', 'system', [
        ['', 'All systems'],
        ...counted(rows.map((r) => r.system)).map(([s, n]) => [s, `${SYSTEM_NAMES[s] ?? s} (${n})`]),
      ]),
      h(
        'div',
        { class: 'tl-filter tl-check' },
        h('input', {
          type: 'checkbox',
          id: 'timeline-errors',
          checked: filters.errorsOnly,
          onchange: (ev) => {
            filters.errorsOnly = ev.currentTarget.checked;
            render();
          },
        }),
        h('label', { for: 'timeline-errors' }, `Errors only (${errors})`),
      ),
    ),
    h('div', { class: 'actions tl-fold' }, shown, machineButton),
    h(
      'table',
      { id: 'timeline', class: 'tl-table' },
      h('caption', { class: 'muted' }, 'Every entry, oldest first'),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Time', 'What happened', 'Who', 'Raw'].map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      tbody,
    ),
  ];
}

function count(values) {
  const out = new Map();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}

/** The milestones in order: what a reader looks for first, apart from everything else. */
function milestonesList(rows) {
  const milestones = rows.filter((r) => r.milestone);
  return h(
    'section',
    { 'aria-labelledby': 'milestones-h', class: 'tl-milestones' },
    h('h3', { id: 'milestones-h' }, 'Milestones'),
    milestones.length
      ? h(
          'ol',
          { id: 'milestones' },
          milestones.map((r) =>
            h(
              'li',
              { 'data-milestone': r.milestone },
              time(r.e.at),
              ' ',
              h('span', { class: 'badge tl-milestone' }, r.milestone),
              ' ',
              r.text,
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'none yet'),
  );
}

const row = (r) =>
  h(
    'tr',
    {
      'data-kind': r.e.kind,
      'data-system': r.system,
      class: [r.error ? 'tl-error' : '', r.milestone ? 'tl-is-milestone' : '', r.machine ? 'tl-machine' : '']
        .filter(Boolean)
        .join(' '),
    },
    h('td', {}, time(r.e.at)),
    h(
      'td',
      {},
      // Words, not only colour: a failure and a milestone say so.
      r.error ? [h('span', { class: 'badge tl-error-badge' }, 'Error'), ' '] : null,
      r.milestone ? [h('span', { class: 'badge tl-milestone' }, r.milestone), ' '] : null,
      h('span', { class: 'tl-text' }, r.text),
      r.links.length
        ? h(
            'div',
            { class: 'tl-links' },
            r.links.map((l) => [h('a', { href: l.href, rel: 'noreferrer', target: '_blank' }, l.label), ' ']),
          )
        : null,
      h('div', { class: 'muted' }, h('code', {}, r.e.kind), ` · ${SYSTEM_NAMES[r.system] ?? r.system}`),
    ),
    h('td', {}, `${r.e.actor?.type ?? '?'}: ${r.e.actor?.id ?? '?'}`),
    h(
      'td',
      {},
      h(
        'details',
        { class: 'tl-raw' },
        h('summary', { 'aria-label': `details of this ${r.e.kind} entry` }, 'details'),
        h('pre', {}, JSON.stringify(r.e, null, 2)),
      ),
    ),
  );
