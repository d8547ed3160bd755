import { api, explain } from '../api.js';
import { h, relative, table, time } from '../dom.js';

/** Config versions (who applied each, when, why), a version's diff against the active one, and rollback (admin). */
export function configHistory({ main, status, role }) {
  const list = h('div', { id: 'versions' }, h('p', { class: 'muted' }, 'Loading…'));
  const panel = h('div', { id: 'version-panel', 'aria-live': 'polite' });
  const isAdmin = role === 'admin';
  main.append(
    h(
      'div',
      {},
      h('h1', {}, 'Config history'),
      h(
        'p',
        { class: 'muted' },
        'Every config version applied through the API, a reload or at start-up, newest first. Rolling back makes ' +
          'an earlier version active again in every process and needs the admin role.',
      ),
      isAdmin
        ? null
        : h(
            'p',
            { class: 'note', id: 'rollback-role' },
            `Rollback needs the admin role; you are logged in as ${role ?? 'unknown'}.`,
          ),
      list,
      panel,
    ),
  );

  let versions = [];
  async function load() {
    try {
      const answer = await api('GET', '/admin/rules/versions');
      versions = answer.versions;
      list.replaceChildren(versions.length ? render(answer) : h('p', {}, 'No versions recorded yet.'));
    } catch (err) {
      list.replaceChildren();
      status(explain(err), 'error');
    }
  }

  // A version with the running one's files (what a rollback went back to) has nothing to diff or roll back to.
  const render = ({ running }) =>
    h(
      'div',
      {},
      h('p', {}, 'Running now: ', h('code', { id: 'running-version' }, running)),
      table(
        ['Version', 'Applied', 'By', 'How', 'Comment', ''],
        versions.map((v) =>
          h(
            'tr',
            { 'data-version': v.id },
            h(
              'td',
              {},
              h('code', {}, v.id),
              v.active ? [' ', h('span', { class: 'badge state-resolved' }, 'active')] : null,
            ),
            h('td', {}, time(v.appliedAt), h('div', { class: 'muted' }, relative(v.appliedAt))),
            h('td', {}, v.appliedBy),
            h('td', {}, v.source, v.rollbackOf ? h('div', { class: 'muted' }, `rollback to ${v.rollbackOf}`) : null),
            h('td', {}, v.comment ?? ''),
            h(
              'td',
              {},
              v.active || v.id === running
                ? null
                : h(
                    'div',
                    { class: 'actions' },
                    h(
                      'button',
                      {
                        type: 'button',
                        class: 'secondary',
                        'aria-label': `Diff ${v.id} against the active version`,
                        onclick: () => void diff(v.id),
                      },
                      'Diff',
                    ),
                    h(
                      'button',
                      {
                        type: 'button',
                        'aria-label': `Roll back to ${v.id}`,
                        disabled: !isAdmin,
                        'aria-describedby': isAdmin ? undefined : 'rollback-role',
                        onclick: () => void confirmRollback(v.id),
                      },
                      'Roll back…',
                    ),
                  ),
            ),
          ),
        ),
      ),
    );

  async function diff(id) {
    try {
      const d = await api('GET', `/admin/rules/versions/${encodeURIComponent(id)}/diff`);
      panel.replaceChildren(
        h('h2', {}, `Changes from the active version to ${id}`),
        h(
          'div',
          {},
          d.files.length
            ? d.files.map((f) =>
                h('section', { class: 'rule' }, h('h3', {}, `${f.file} (${f.status})`), patch(f.patch)),
              )
            : h('p', {}, 'No differences.'),
        ),
      );
    } catch (err) {
      status(explain(err), 'error');
    }
  }

  function confirmRollback(id) {
    const comment = h('input', { type: 'text', id: 'rollback-comment', name: 'comment', maxlength: 500 });
    panel.replaceChildren(
      h(
        'form',
        {
          'aria-labelledby': 'rollback-h',
          onsubmit: async (e) => {
            e.preventDefault();
            try {
              const r = await api('POST', '/admin/rules/rollback', {
                to: id,
                ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
              });
              status(`Rolled back: ${r.version} is active (was ${r.previous}).`, 'ok');
              panel.replaceChildren();
              await load();
            } catch (err) {
              status(err?.status === 403 ? 'Rollback needs the admin role (403 forbidden).' : explain(err), 'error');
            }
          },
        },
        h('h2', { id: 'rollback-h' }, `Roll back to ${id}?`),
        h(
          'p',
          {},
          'Its files become the active config in every process; the rollback is recorded as a new entry here and ' +
            'in the audit log.',
        ),
        h('label', { for: 'rollback-comment' }, 'Why (optional)'),
        comment,
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit' }, 'Confirm rollback'),
          h('button', { type: 'button', class: 'secondary', onclick: () => panel.replaceChildren() }, 'Cancel'),
        ),
      ),
    );
    comment.focus();
  }

  void load();
}

/** A unified diff with added, removed and hunk lines told apart (by class and by their +/- prefix). */
const patch = (text) =>
  h(
    'pre',
    { class: 'diff' },
    text.split('\n').map((line) =>
      h(
        'span',
        {
          class: line.startsWith('@@')
            ? 'hunk'
            : line.startsWith('+') && !line.startsWith('+++')
              ? 'add'
              : line.startsWith('-') && !line.startsWith('---')
                ? 'del'
                : undefined,
        },
        `${line}\n`,
      ),
    ),
  );
