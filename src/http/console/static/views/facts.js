import { h, relative, stateBadge } from '../dom.js';

// The facts of a major incident as the board row and the detail header show them (GET /admin/board and the
// detail's `facts`). Every signal is words first: a colour or a symbol only repeats what the text says.

/** "P1": the priority as text; the class only adds emphasis. */
export const priorityBadge = (p) =>
  p ? h('span', { class: `badge prio prio-${p}`, 'data-priority': p }, `P${p}`) : h('span', { class: 'muted' }, '—');

/** A drill reads EXERCISE in words, not by colour alone. */
export const exerciseBadge = (f) =>
  f.exercise
    ? h('span', { class: 'badge exercise', title: 'an exercise (drill): counts in no measure' }, 'exercise')
    : null;

export const reopenedBadge = (f) =>
  f.reopened
    ? h(
        'span',
        { class: 'badge reopened', title: `re-opened ${new Date(f.reopened.at).toLocaleString()}` },
        f.reopened.count > 1 ? `re-opened ×${f.reopened.count}` : 're-opened',
      )
    : null;

/** "3 min" from an ISO time in the past. */
export const since = (iso, now = Date.now()) => relative(iso, now).replace(/ ago$/, '');

export const stateWithAge = (f, now) => [
  stateBadge(f.state),
  ' ',
  h('span', { class: 'muted' }, 'for '),
  h('time', { datetime: f.stateSince, title: f.stateSince }, since(f.stateSince, now)),
];

/** "in 4 min" or "now, overdue by 2 min": what the countdown element shows; kept ticking by live.js. */
export function countdown(iso, now = Date.now()) {
  const ms = Date.parse(iso) - now;
  return ms >= 0 ? relative(iso, now) : `now, overdue by ${since(iso, now)}`;
}

export const deadline = (d, now) =>
  d
    ? h(
        'span',
        { class: Date.parse(d.at) < (now ?? Date.now()) ? 'deadline overdue' : 'deadline' },
        `${d.label} `,
        h('time', { datetime: d.at, title: d.at, 'data-countdown': '' }, countdown(d.at, now)),
      )
    : h('span', { class: 'muted' }, 'none planned');

export const people = (f) => [
  h('div', {}, h('span', { class: 'muted' }, 'Lead: '), f.lead ?? h('span', { class: 'muted' }, 'none named')),
  h(
    'div',
    {},
    h('span', { class: 'muted' }, 'Acknowledged: '),
    f.acknowledgedBy ? f.acknowledgedBy.name : h('span', { class: 'warn-text' }, 'not yet'),
  ),
];

const SHORT = 140;
export const latestUpdate = (f, now, full = false) =>
  f.latestUpdate
    ? [
        h(
          'q',
          { class: 'update-text' },
          full || f.latestUpdate.text.length <= SHORT ? f.latestUpdate.text : `${f.latestUpdate.text.slice(0, SHORT)}…`,
        ),
        h(
          'div',
          { class: 'muted' },
          `${f.latestUpdate.author || 'someone'}, `,
          h('time', { datetime: f.latestUpdate.at, title: f.latestUpdate.at }, relative(f.latestUpdate.at, now)),
        ),
      ]
    : h('span', { class: 'muted' }, 'no update yet');

export const problems = (f) => {
  const out = [];
  // Text, not a link: the nav's "Dead letters" is the one way there, so it stays the one link of that name.
  if (f.deadLetters)
    out.push(h('span', { class: 'problem' }, `${f.deadLetters} dead letter${f.deadLetters === 1 ? '' : 's'}`));
  if (f.conflicts) out.push(h('span', { class: 'problem' }, `${f.conflicts} conflict${f.conflicts === 1 ? '' : 's'}`));
  return out.length ? out.flatMap((x, i) => (i ? [h('br'), x] : [x])) : h('span', { class: 'muted' }, 'none');
};

const out = (text, url, label) =>
  url ? h('a', { href: url, rel: 'noreferrer', target: '_blank', 'aria-label': label }, text) : h('code', {}, text);

/** The vendor links: ServiceNow record, Jira issue, PagerDuty incident, Slack channels, PIR. */
export function vendorLinks(f) {
  const l = f.links ?? {};
  const items = [
    l.servicenow && ['ServiceNow', l.servicenow],
    l.jira && ['Jira', l.jira],
    l.pagerduty && ['PagerDuty', l.pagerduty],
    l.pir && ['PIR', l.pir],
  ].filter(Boolean);
  const slack = l.slack ?? [];
  if (!items.length && !slack.length) return h('span', { class: 'muted' }, 'none yet');
  return h(
    'ul',
    { class: 'links' },
    items.map(([system, link]) =>
      h('li', {}, `${system} `, out(link.text, link.url, `${system} ${link.text} (opens in a new tab)`)),
    ),
    slack.map((s) => h('li', {}, 'Slack ', out(s.channel, s.url, `Slack channel ${s.channel} (opens in a new tab)`))),
  );
}

export const serviceText = (f) =>
  `${f.service.name ?? f.service.id}${f.service.tier ? ` · tier ${f.service.tier}` : ''}`;
