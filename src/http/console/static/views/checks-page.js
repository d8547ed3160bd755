import { api, explain } from '../api.js';
import { h, relative } from '../dom.js';

/**
 * A page of checks the server runs (connections, readiness): its heading and intro, a Refresh
 * button, a "Checked … ago" line and the results. `render(answer)` turns the API's answer into
 * `{ summary, extra?, body }`: the words after "Checked <when>", nodes under that line, and the results.
 */
export function checksPage({ main, status }, { id, title, intro, path, render }) {
  const body = h('div', { id }, h('p', { class: 'muted' }, 'Checking…'));
  const when = h('p', { class: 'muted', id: `${id}-checked` });
  async function load() {
    try {
      const answer = await api('GET', path);
      const { summary, extra = [], body: results } = render(answer);
      when.replaceChildren(
        answer.checkedAt
          ? h(
              'span',
              {},
              'Checked ',
              h('time', { datetime: answer.checkedAt, title: answer.checkedAt }, relative(answer.checkedAt)),
              summary,
            )
          : summary,
        ...extra,
      );
      body.replaceChildren(results);
    } catch (err) {
      status(explain(err), 'error');
    }
  }
  main.append(
    h('h1', {}, title),
    h('p', { class: 'muted' }, ...intro),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh'),
    ),
    when,
    body,
  );
  void load();
}
