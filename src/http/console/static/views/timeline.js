import { compact, h, table, time } from '../dom.js';

/** A major incident's timeline (oldest first), as the detail view shows it below the facts. */
export function timelineSection(timeline) {
  return [
    h('h2', { id: 'timeline-h' }, `Timeline (${timeline.length} entries, newest last)`),
    table(
      ['Time', 'Kind', 'Actor', 'Detail'],
      timeline.map((e) =>
        h(
          'tr',
          {},
          h('td', {}, time(e.at)),
          h('td', {}, h('code', {}, e.kind)),
          h('td', {}, `${e.actor.type}: ${e.actor.id}`),
          h(
            'td',
            {},
            Object.entries(e.detail).map(([k, v]) => detailValue(k, compact(v))),
          ),
        ),
      ),
    ),
  ];
}

const LONG = 160;
/** A detail field; long ones (rule explanations, planned actions) fold away. */
const detailValue = (key, text) =>
  text.length > LONG
    ? h(
        'details',
        {},
        h('summary', {}, h('span', { class: 'muted' }, `${key}: `), `${text.slice(0, 80)}…`),
        h('pre', {}, text),
      )
    : h('div', {}, h('span', { class: 'muted' }, `${key}: `), text);
