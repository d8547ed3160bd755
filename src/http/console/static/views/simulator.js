import { api, explain } from '../api.js';
import { compact, h, table } from '../dom.js';

const EXAMPLE_EVENT = {
  source: 'servicenow',
  deliveryId: 'console-sim-1',
  kind: 'incident.created',
  vendorEvent: 'insert',
  recordId: 'r-console-sim',
  number: 'INC0010001',
  title: 'Payroll portal down for all staff',
  priority: 1,
  serviceName: 'Payroll',
  updatedAt: '2026-11-20T09:00:00Z',
  receivedAt: '2026-11-20T09:00:01Z',
  changedFields: [],
};

/** A dry run of POST /admin/rules/simulate against the active config or a draft: nothing is stored or sent. */
export function simulator({ main, status }) {
  const input = h('textarea', { id: 'sim-input', name: 'input', spellcheck: 'false', 'aria-describedby': 'sim-help' });
  const draft = h('textarea', {
    id: 'sim-draft',
    name: 'draft',
    spellcheck: 'false',
    'aria-describedby': 'sim-draft-help',
    placeholder: 'empty: the active rules.yaml',
  });
  const recent = h(
    'select',
    { id: 'sim-recent', name: 'recent', 'aria-describedby': 'sim-recent-help' },
    h('option', { value: '' }, 'Loading recent events…'),
  );
  const failing = failingRules();
  const events = [];
  void api('GET', '/admin/events?limit=50').then(
    (answer) => {
      events.push(...answer.events);
      recent.replaceChildren(
        h('option', { value: '' }, events.length ? `Pick one of ${events.length} recent events…` : 'No recent events'),
        ...events.map((r, i) =>
          h(
            'option',
            { value: String(i) },
            `${new Date(r.at).toLocaleTimeString()} · ${r.event.source} ${r.event.number ?? r.event.recordId} · ` +
              `${r.event.kind} · ${(r.event.title ?? '').slice(0, 60)}`,
          ),
        ),
      );
    },
    (err) => recent.replaceChildren(h('option', { value: '' }, `Recent events unavailable: ${explain(err)}`)),
  );
  recent.addEventListener('change', () => {
    const picked = events[Number(recent.value)];
    if (!picked || recent.value === '') return;
    input.value = JSON.stringify(picked.event, null, 2);
    form.querySelector('input[value=event]').checked = true;
    source.disabled = true;
  });
  const source = h(
    'select',
    { id: 'sim-source', name: 'source', disabled: true },
    ['servicenow', 'jira', 'pagerduty'].map((s) => h('option', { value: s }, s)),
  );
  const kindRadio = (value, label, checked) =>
    h(
      'label',
      {},
      h('input', {
        type: 'radio',
        name: 'kind',
        value,
        checked,
        onchange: () => {
          source.disabled = value !== 'payload';
        },
      }),
      ` ${label}`,
    );
  const result = h('div', { id: 'sim-result', 'aria-live': 'polite' });

  const form = h(
    'form',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        let parsed;
        try {
          parsed = JSON.parse(input.value);
        } catch (err) {
          return void status(`The pasted text is not JSON: ${err.message}`, 'error');
        }
        const kind = form.querySelector('input[name=kind]:checked')?.value ?? 'event';
        const body = kind === 'payload' ? { source: source.value, payload: parsed } : { event: parsed };
        if (draft.value.trim()) body.draft = { 'rules.yaml': draft.value };
        status('Simulating…');
        try {
          const answer = await api('POST', '/admin/rules/simulate', body);
          result.replaceChildren(
            h(
              'div',
              {},
              answer.draft
                ? h(
                    'p',
                    { class: 'note', id: 'sim-draft-used' },
                    'Simulated against the draft rules.yaml (not applied).',
                  )
                : null,
              render(answer),
            ),
          );
          const by = answer.evaluation.decidedBy ? ` by ${answer.evaluation.decidedBy}` : '';
          status(`Decision: ${answer.evaluation.decision}${by}.`, 'ok');
        } catch (err) {
          result.replaceChildren();
          const issues =
            err?.status === 422 && err.body?.error === 'invalid_config'
              ? err.body.issues.map((i) => `${i.file}:${i.line ?? '?'} ${i.path ?? ''} ${i.message}`).join('; ')
              : '';
          status(
            err?.status === 422 && err.body.error === 'ignored'
              ? `The payload is ignored by the webhook: ${err.body.reason}`
              : issues
                ? `The draft is invalid: ${issues}`
                : explain(err),
            'error',
          );
        }
      },
    },
    h(
      'fieldset',
      {},
      h('legend', {}, 'What you paste'),
      kindRadio('event', 'an IncidentEvent (normalized)', true),
      kindRadio('payload', 'a raw vendor webhook body', false),
    ),
    h('label', { for: 'sim-recent' }, 'A recent event (from the event log)'),
    recent,
    h(
      'p',
      { id: 'sim-recent-help', class: 'muted' },
      'Picking one fills in the event below; you can edit it before simulating.',
    ),
    h('label', { for: 'sim-source' }, 'Vendor of the raw payload'),
    source,
    h('label', { for: 'sim-input' }, 'Event JSON'),
    input,
    h('label', { for: 'sim-draft' }, 'Draft rules.yaml (optional)'),
    draft,
    h(
      'p',
      { id: 'sim-draft-help', class: 'muted' },
      'Paste a whole rules.yaml to simulate against it instead of the active one; it is validated, never applied.',
    ),
    h('p', { id: 'sim-help', class: 'muted' }, 'Nothing is stored, no rule fires and no vendor is called.'),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit' }, 'Simulate'),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            input.value = JSON.stringify(EXAMPLE_EVENT, null, 2);
            form.querySelector('input[value=event]').checked = true;
            source.disabled = true;
          },
        },
        'Load an example event',
      ),
    ),
  );

  main.append(h('h1', {}, 'Rule simulator'), failing, form, result);
}

/**
 * The live rules that could not be evaluated lately, from the readiness warning (/readyz): such a rule does not
 * match, so it is as good as off until its condition is fixed. Simulating one of the incidents shows why.
 */
function failingRules() {
  const box = h('section', { id: 'sim-failing', hidden: true });
  const show = (answer) => {
    const rules = (answer?.warnings ?? []).find((w) => w.check === 'rules')?.rules ?? [];
    if (!rules.length) return;
    box.replaceChildren(
      h('h2', {}, 'Rules failing at run time'),
      h('p', { class: 'error' }, 'These rules could not be evaluated for recent events, so they did not match.'),
      table(
        ['Rule', 'Reason', 'Last', 'Config version'],
        rules.map((r) =>
          h(
            'tr',
            {},
            h('td', {}, h('code', {}, r.rule)),
            h('td', {}, r.error),
            h('td', {}, new Date(r.at).toLocaleString()),
            h('td', {}, h('code', {}, r.configVersion)),
          ),
        ),
      ),
    );
    box.hidden = false;
  };
  // /readyz answers 503 with the same body when a check fails; the warnings are in it either way.
  void api('GET', '/readyz').then(show, (err) => show(err?.body));
  return box;
}

function render(a) {
  const ev = a.evaluation;
  return [
    h('h2', {}, 'Outcome'),
    h(
      'dl',
      {},
      h('dt', {}, 'Decision'),
      h('dd', { id: 'sim-decision' }, ev.decision, ev.decidedBy ? ` (rule ${ev.decidedBy})` : ''),
      h('dt', {}, 'Service'),
      h(
        'dd',
        {},
        a.service
          ? `${a.service.name} (${a.service.id}, tier ${a.service.tier})`
          : 'not in the catalogue: never declared automatically',
      ),
      h('dt', {}, 'Evaluation'),
      h('dd', {}, `${ev.evaluation} · config ${a.configVersion}`),
      h('dt', {}, 'Would do now'),
      h('dd', { id: 'sim-would-do' }, wouldDo(a.wouldDo)),
      a.normalizedFrom ? [h('dt', {}, 'Normalized from'), h('dd', {}, a.normalizedFrom)] : null,
    ),
    h('h2', {}, 'Rules'),
    ev.results.map((r) =>
      h(
        'section',
        { class: 'rule', 'data-rule': r.ruleId },
        h(
          'h3',
          {},
          h('span', { class: r.matched ? 'match-yes' : 'match-no' }, r.matched ? '✓ matched' : '✗ no match'),
          ` ${r.ruleId} → ${r.then}`,
        ),
        r.error ? h('p', { class: 'error' }, r.error) : null,
        r.explanation?.length
          ? table(
              ['Part of the condition', 'Value'],
              r.explanation.map((l) => h('tr', {}, h('td', {}, h('code', {}, l.expr)), h('td', {}, partValue(l, r)))),
            )
          : null,
      ),
    ),
    a.notEvaluated?.length
      ? h('p', { class: 'muted' }, `Not evaluated (first match stopped earlier): ${a.notEvaluated.join(', ')}`)
      : null,
    a.disabled?.length ? h('p', { class: 'muted' }, `Disabled: ${a.disabled.join(', ')}`) : null,
    h('h2', {}, `Actions (${actionsWhen(a.actionsWhen)})`),
    a.actions.length
      ? table(
          ['Action', 'Parameters'],
          a.actions.map(({ do: name, majorIncidentId: _id, effect: _e, ...params }) =>
            h(
              'tr',
              {},
              h('td', {}, h('code', {}, name)),
              h(
                'td',
                {},
                Object.entries(params)
                  .map(([k, v]) => `${k}=${compact(v)}`)
                  .join(', ') || '—',
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No actions.'),
  ];
}

/**
 * A part CEL never reached (a has() guard, the other side of && or || decided, the ?: branch not taken) is shown
 * as such, not as an error; an error is red only when it is why the rule failed, else CEL forgave it.
 */
function partValue(l, rule) {
  if (l.notEvaluated) return h('span', { class: 'muted' }, 'not evaluated');
  if (l.error === undefined) return h('code', {}, compact(l.value));
  if (rule.error) return h('span', { class: 'error' }, l.error);
  return h('span', { class: 'muted' }, `${l.error} (did not decide: the other side did)`);
}

function actionsWhen(when) {
  if (when === 'now') return 'would run now';
  if (when === 'on-acceptance') return 'would run once the candidate is accepted';
  if (when === 'on-move') return "the moved major incident's own playbook runs; not listed here";
  return 'none';
}

function wouldDo(d) {
  if (!d) return '—';
  switch (d.kind) {
    case 'nothing':
      return `nothing: ${d.reason}`;
    case 'create':
      return `create a major incident (${d.trigger})${d.relatedTo ? `, related to ${d.relatedTo}` : ''}`;
    case 'attach':
      return `attach to ${d.miId}${d.then ? ` then ${d.then}` : ''}`;
    case 'transition':
      return `move ${d.miId} (${d.trigger})${d.attach ? ' and attach' : ''}`;
    default:
      return compact(d);
  }
}
