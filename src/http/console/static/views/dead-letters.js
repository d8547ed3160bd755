import { api, explain } from '../api.js';
import { h, relative, table } from '../dom.js';
import { ensureStylesheet } from './stylesheet.js';
import { SYSTEM_NAMES } from './timeline-text.js';

/** Letters shown per group before "show all": one cause repeats once per update cycle. */
const FIRST_LETTERS = 5;

/**
 * Actions that failed for good, grouped by target and error code (viewer): count, first and last
 * seen, the likely fix, and the letters themselves. Replay or discard a whole group, or replay one
 * letter (operator; a viewer's click shows the API's 403).
 */
export function deadLetters({ main, status }) {
  ensureStylesheet('timeline.css');
  const body = h('div', { id: 'dead-letters' }, h('p', { class: 'muted' }, 'Loading…'));
  main.append(
    h('h1', {}, 'Dead letters'),
    h(
      'p',
      { class: 'muted' },
      'Actions that failed permanently or past the retry horizon, grouped by system and error. Fix the cause first, ' +
        'then replay (each letter is sent again under its own id) or discard with a reason (recorded on the major ' +
        "incident's timeline). Replaying and discarding need the operator role.",
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
      const [grouped, listed] = await Promise.all([
        api('GET', '/admin/dead-letters/groups'),
        api('GET', '/admin/dead-letters'),
      ]);
      const byId = new Map(listed.deadLetters.map((l) => [l.jobId, l]));
      body.replaceChildren(
        ...(grouped.groups.length
          ? [
              h(
                'p',
                { id: 'dead-letter-summary' },
                `${grouped.total} dead letter${grouped.total === 1 ? '' : 's'} in ${grouped.groups.length} group${
                  grouped.groups.length === 1 ? '' : 's'
                }`,
                grouped.scanned < grouped.total ? ` (the newest ${grouped.scanned} are grouped)` : '',
                '.',
              ),
              ...grouped.groups.map((g, i) => groupCard(g, i, byId)),
            ]
          : [h('p', { id: 'no-dead-letters' }, 'No dead letters.')]),
      );
    } catch (err) {
      status(explain(err), 'error');
    }
  }

  const name = (g) => `${SYSTEM_NAMES[g.target] ?? g.target} ${g.code}`;
  const when = (iso) => [
    h('time', { datetime: iso, title: iso }, new Date(iso).toLocaleString()),
    ` (${relative(iso)})`,
  ];

  function groupCard(g, i, byId) {
    const letters = g.jobIds.map((id) => byId.get(id)).filter(Boolean);
    const reason = h('input', { type: 'text', id: `dl-reason-${i}`, name: 'reason', required: true, maxlength: 2000 });
    const rows = letters.map(letterRow);
    const more = rows.length > FIRST_LETTERS;
    for (const r of rows.slice(FIRST_LETTERS)) r.hidden = true;
    return h(
      'section',
      { class: 'dl-group', 'data-group': `${g.target}/${g.code}`, 'aria-labelledby': `dl-group-${i}` },
      h('h2', { id: `dl-group-${i}` }, `${name(g)} — ${g.count} letter${g.count === 1 ? '' : 's'}`),
      h('p', { class: 'dl-fix' }, 'Likely fix: ', g.likelyFix),
      h(
        'dl',
        {},
        h('dt', {}, 'First seen'),
        h('dd', {}, when(g.firstSeen)),
        h('dt', {}, 'Last seen'),
        h('dd', {}, when(g.lastSeen)),
        g.channels.length ? [h('dt', {}, 'Channels'), h('dd', {}, g.channels.join(', '))] : null,
        h('dt', {}, 'Actions'),
        h('dd', {}, g.actions.join(', ') || '—'),
        h('dt', {}, 'Major incidents'),
        h(
          'dd',
          {},
          g.majorIncidents.length
            ? g.majorIncidents.map((id, n) => [n ? ', ' : '', h('a', { href: `#/mi/${encodeURIComponent(id)}` }, id)])
            : '—',
        ),
        g.detail ? [h('dt', {}, 'Vendor said'), h('dd', {}, h('code', {}, g.detail))] : null,
      ),
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          {
            type: 'button',
            'aria-label': `Replay all ${g.count} ${name(g)} letters`,
            onclick: (e) => void replayGroup(g, e.currentTarget),
          },
          `Replay all ${g.count}`,
        ),
      ),
      h(
        'form',
        {
          'aria-label': `Discard the ${name(g)} letters`,
          onsubmit: (e) => {
            e.preventDefault();
            void discardGroup(g, reason.value, e.currentTarget.querySelector('button'));
          },
        },
        h('div', {}, h('label', { for: `dl-reason-${i}` }, 'Reason to discard'), reason),
        h(
          'button',
          { type: 'submit', class: 'secondary', 'aria-label': `Discard all ${g.count} ${name(g)} letters` },
          `Discard all ${g.count}`,
        ),
      ),
      rows.length
        ? table(
            ['Action', 'Major incident', 'Detail', 'Attempts', 'Dead since', ''],
            rows,
            letters.length < g.count ? `The newest ${letters.length} of ${g.count} letters` : undefined,
          )
        : null,
      more
        ? h(
            'button',
            {
              type: 'button',
              class: 'secondary',
              onclick: (e) => {
                for (const r of rows) r.hidden = false;
                e.currentTarget.remove();
              },
            },
            `Show all ${rows.length} letters`,
          )
        : null,
    );
  }

  const letterRow = (l) =>
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

  /** What a refused group call means, in words. */
  const refused = (err, verb) =>
    err?.status === 403
      ? `${verb} needs the operator role (403 forbidden).`
      : err?.status === 409 && err.body?.error === 'no_queue'
        ? 'This mim-bridge process has no queue for that system (its credentials are not set here): nothing was replayed.'
        : err?.status === 404
          ? 'Those letters are gone already (replayed or discarded meanwhile).'
          : explain(err);

  async function replayGroup(g, button) {
    button.disabled = true;
    try {
      const r = await api('POST', '/admin/dead-letters/groups/replay', { target: g.target, code: g.code });
      status(
        `Replayed ${r.replayed.length} ${name(g)} letter${r.replayed.length === 1 ? '' : 's'}: queued again.`,
        'ok',
      );
      await load();
    } catch (err) {
      button.disabled = false;
      status(refused(err, 'Replaying'), 'error');
    }
  }

  async function discardGroup(g, reason, button) {
    if (!reason.trim()) return status('Say why these letters will never be sent.', 'error');
    if (button) button.disabled = true;
    try {
      const r = await api('POST', '/admin/dead-letters/groups/discard', { target: g.target, code: g.code, reason });
      status(`Discarded ${r.discarded.length} ${name(g)} letter${r.discarded.length === 1 ? '' : 's'}.`, 'ok');
      await load();
    } catch (err) {
      if (button) button.disabled = false;
      status(refused(err, 'Discarding'), 'error');
    }
  }

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
