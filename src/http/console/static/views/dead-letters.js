import { api, explain } from '../api.js';
import { h, relative, table } from '../dom.js';

/** Actions that failed for good: list (viewer) and replay under their own ids (operator). */
export function deadLetters({ main, status }) {
  const body = h('div', { id: 'dead-letters' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(
    h('h1', {}, 'Dead letters'),
    h(
      'p',
      { class: 'muted' },
      'Actions that failed permanently or past the retry horizon. Replaying sends one again under its own id ' +
        '(needs the operator role).',
    ),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: () => void load() }, 'Refresh'),
    ),
    body,
  );

  async function load() {
    try {
      const { deadLetters: letters } = await api('GET', '/admin/dead-letters');
      body.replaceChildren(
        letters.length
          ? table(['Action', 'Major incident', 'Error', 'Attempts', 'Dead since', ''], letters.map(row))
          : h('p', { id: 'no-dead-letters' }, 'No dead letters.'),
      );
    } catch (err) {
      status(explain(err), 'error');
    }
  }

  const row = (l) =>
    h(
      'tr',
      { 'data-job': l.jobId },
      h(
        'td',
        {},
        h('code', {}, `${l.job?.target ?? '?'} · ${l.job?.do ?? '?'}`),
        l.job?.channel ? h('div', { class: 'muted' }, l.job.channel) : null,
        h('div', { class: 'muted' }, h('small', {}, l.jobId)),
      ),
      h(
        'td',
        {},
        l.job?.majorIncidentId
          ? h('a', { href: `#/mi/${encodeURIComponent(l.job.majorIncidentId)}` }, l.job.majorIncidentId)
          : '—',
      ),
      h('td', {}, h('code', {}, l.code), l.detail ? h('div', {}, l.detail) : null),
      h('td', {}, String(l.attempts)),
      h('td', {}, h('time', { datetime: l.deadAt, title: l.deadAt }, relative(l.deadAt))),
      h(
        'td',
        {},
        h(
          'button',
          { type: 'button', 'aria-label': `Replay ${l.jobId}`, onclick: (e) => void replay(l.jobId, e.currentTarget) },
          'Replay',
        ),
      ),
    );

  async function replay(jobId, button) {
    button.disabled = true;
    try {
      await api('POST', `/admin/dead-letters/${encodeURIComponent(jobId)}/replay`, {});
      status(`Replayed ${jobId}: it is queued again.`, 'ok');
      await load();
    } catch (err) {
      button.disabled = false;
      status(err?.status === 403 ? 'Replaying needs the operator role (403 forbidden).' : explain(err), 'error');
    }
  }
  void load();
}
