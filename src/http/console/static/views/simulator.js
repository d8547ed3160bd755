import { api, explain } from '../api.js';
import { compact, h, table } from '../dom.js';

const EXAMPLE_EVENT = {
  source: 'servicenow', deliveryId: 'console-sim-1', kind: 'incident.created', vendorEvent: 'insert', recordId: 'r-console-sim', number: 'INC0010001',
  title: 'Payroll portal down for all staff', priority: 1, serviceName: 'Payroll', updatedAt: '2026-11-20T09:00:00Z', receivedAt: '2026-11-20T09:00:01Z', changedFields: [],
};

/** A dry run of POST /admin/rules/simulate against the active config: nothing is stored or sent. */
export function simulator({ main, status }) {
  const input = h('textarea', { id: 'sim-input', name: 'input', spellcheck: 'false', 'aria-describedby': 'sim-help' });
  const source = h('select', { id: 'sim-source', name: 'source', disabled: true },
    ['servicenow', 'jira', 'pagerduty'].map((s) => h('option', { value: s }, s)));
  const kindRadio = (value, label, checked) => h('label', {},
    h('input', { type: 'radio', name: 'kind', value, checked, onchange: () => { source.disabled = value !== 'payload'; } }), ` ${label}`);
  const result = h('div', { id: 'sim-result', 'aria-live': 'polite' });

  const form = h('form', {
    onsubmit: async (e) => {
      e.preventDefault();
      let parsed;
      try { parsed = JSON.parse(input.value); } catch (err) {
        return void status(`The pasted text is not JSON: ${err.message}`, 'error');
      }
      const kind = form.querySelector('input[name=kind]:checked')?.value ?? 'event';
      const body = kind === 'payload' ? { source: source.value, payload: parsed } : { event: parsed };
      status('Simulating…');
      try {
        const answer = await api('POST', '/admin/rules/simulate', body);
        result.replaceChildren(h('div', {}, render(answer)));
        status(`Decision: ${answer.evaluation.decision}${answer.evaluation.decidedBy ? ` by ${answer.evaluation.decidedBy}` : ''}.`, 'ok');
      } catch (err) {
        result.replaceChildren();
        status(err?.status === 422 && err.body.error === 'ignored' ? `The payload is ignored by the webhook: ${err.body.reason}` : explain(err), 'error');
      }
    },
  },
  h('fieldset', {}, h('legend', {}, 'What you paste'), kindRadio('event', 'an IncidentEvent (normalized)', true), kindRadio('payload', 'a raw vendor webhook body', false)),
  h('label', { for: 'sim-source' }, 'Vendor of the raw payload'), source,
  h('label', { for: 'sim-input' }, 'Event JSON'), input,
  h('p', { id: 'sim-help', class: 'muted' }, 'Runs against the active config version. Nothing is stored, no rule fires and no vendor is called.'),
  h('div', { class: 'actions' },
    h('button', { type: 'submit' }, 'Simulate'),
    h('button', { type: 'button', class: 'secondary', onclick: () => { input.value = JSON.stringify(EXAMPLE_EVENT, null, 2); form.querySelector('input[value=event]').checked = true; source.disabled = true; } }, 'Load an example event')));

  main.append(
    h('h1', {}, 'Rule simulator'),
    h('p', { class: 'note' }, 'Paste only: the admin API has no endpoint listing recent events yet, so an event cannot be picked from the event log here. Only the active config can be simulated (no drafts).'),
    form, result);
}

function render(a) {
  const ev = a.evaluation;
  return [
    h('h2', {}, 'Outcome'),
    h('dl', {},
      h('dt', {}, 'Decision'), h('dd', { id: 'sim-decision' }, ev.decision, ev.decidedBy ? ` (rule ${ev.decidedBy})` : ''),
      h('dt', {}, 'Service'), h('dd', {}, a.service ? `${a.service.name} (${a.service.id}, tier ${a.service.tier})` : 'not in the catalogue: never declared automatically'),
      h('dt', {}, 'Evaluation'), h('dd', {}, `${ev.evaluation} · config ${a.configVersion}`),
      h('dt', {}, 'Would do now'), h('dd', { id: 'sim-would-do' }, wouldDo(a.wouldDo)),
      a.normalizedFrom ? [h('dt', {}, 'Normalized from'), h('dd', {}, a.normalizedFrom)] : null),
    h('h2', {}, 'Rules'),
    ev.results.map((r) => h('section', { class: 'rule', 'data-rule': r.ruleId },
      h('h3', {}, h('span', { class: r.matched ? 'match-yes' : 'match-no' }, r.matched ? '✓ matched' : '✗ no match'), ` ${r.ruleId} → ${r.then}`),
      r.error ? h('p', { class: 'error' }, r.error) : null,
      r.explanation?.length ? table(['Part of the condition', 'Value'], r.explanation.map((l) => h('tr', {},
        h('td', {}, h('code', {}, l.expr)), h('td', {}, l.error ? h('span', { class: 'error' }, l.error) : h('code', {}, compact(l.value)))))) : null)),
    a.notEvaluated?.length ? h('p', { class: 'muted' }, `Not evaluated (first match stopped earlier): ${a.notEvaluated.join(', ')}`) : null,
    a.disabled?.length ? h('p', { class: 'muted' }, `Disabled: ${a.disabled.join(', ')}`) : null,
    h('h2', {}, `Actions (${a.actionsWhen === 'now' ? 'would run now' : a.actionsWhen === 'on-acceptance' ? 'would run once the candidate is accepted' : 'none'})`),
    a.actions.length ? table(['Action', 'Parameters'], a.actions.map(({ do: name, majorIncidentId: _id, effect: _e, ...params }) => h('tr', {},
      h('td', {}, h('code', {}, name)), h('td', {}, Object.entries(params).map(([k, v]) => `${k}=${compact(v)}`).join(', ') || '—')))) : h('p', { class: 'muted' }, 'No actions.'),
  ];
}

function wouldDo(d) {
  if (!d) return '—';
  switch (d.kind) {
    case 'nothing': return `nothing: ${d.reason}`;
    case 'create': return `create a major incident (${d.trigger})${d.relatedTo ? `, related to ${d.relatedTo}` : ''}`;
    case 'attach': return `attach to ${d.miId}${d.then ? ` then ${d.then}` : ''}`;
    case 'transition': return `move ${d.miId} (${d.trigger})${d.attach ? ' and attach' : ''}`;
    default: return compact(d);
  }
}
