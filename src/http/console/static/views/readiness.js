import { api, explain } from '../api.js';
import { h, relative, table } from '../dom.js';
import { checksPage } from './checks-page.js';

// Readiness (GET /admin/readiness, any role): is each service prepared for a major incident? Each check ✓ or ✗
// with its fixes, the tier's targets, and a button that starts a drill (POST /admin/drills, its own role).

const CHECKS = [
  ['roles', 'Roles'],
  ['audiences', 'Audiences'],
  ['escalation', 'Escalation'],
  ['runbook', 'Runbook'],
  ['drill', 'Last drill'],
];
const TARGETS = [
  ['ackMs', 'ack'],
  ['mobiliseMs', 'mobilise'],
  ['firstCommsMs', 'first comms'],
  ['cadenceMs', 'cadence'],
  ['pirDueMs', 'PIR due'],
];
const UNITS = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Milliseconds the way rules.yaml writes them: `15m`, `5d`. */
const duration = (ms) => {
  for (const [unit, size] of UNITS) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
};

export function readiness(ctx) {
  const { status, go } = ctx;
  const mark = (check) =>
    h(
      'td',
      { 'data-check': check.check, title: check.detail },
      h('span', { class: check.ok ? 'badge state-resolved' : 'badge state-declared' }, check.ok ? '✓' : '✗'),
    );

  const row = (s) => {
    const byId = Object.fromEntries(s.checks.map((c) => [c.check, c]));
    const fixes = s.checks.flatMap((c) => c.fixes.map((f) => h('li', {}, h('strong', {}, `${c.check}: `), f)));
    return h(
      'tr',
      { 'data-service': s.service },
      h(
        'td',
        {},
        h('strong', {}, s.name),
        h('div', { class: 'muted' }, h('code', {}, s.service), ` · tier ${s.tier}`),
        // In the service's own cell, so the table fits 1280 px and the button sits by the name it starts.
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'aria-label': `Start drill: ${s.name}`,
            onclick: (e) => void startDrill(s, e.currentTarget),
          },
          'Start drill',
        ),
      ),
      CHECKS.map(([id]) => (byId[id] ? mark(byId[id]) : h('td', {}, '—'))),
      // No-break spaces keep the five targets on one line, in the order the column head names them.
      h(
        'td',
        { class: 'muted', title: TARGETS.map(([k, label]) => `${label} ${duration(s.targets[k])}`).join(', ') },
        TARGETS.map(([k]) => duration(s.targets[k])).join('\u00a0/\u00a0'),
      ),
      h(
        'td',
        {},
        s.lastDrillAt
          ? h('time', { datetime: s.lastDrillAt, title: s.lastDrillAt }, relative(s.lastDrillAt))
          : h('span', { class: 'muted' }, 'never'),
      ),
      h('td', {}, fixes.length ? h('ul', { class: 'fixes' }, fixes) : h('span', { class: 'muted' }, 'ready')),
    );
  };

  async function startDrill(s, button) {
    button.disabled = true;
    try {
      const answer = await api('POST', '/admin/drills', { service: s.service });
      // 201 {majorIncident}: the exercise major incident, opened next.
      const id = answer?.majorIncident?.id;
      status(`Drill of ${s.name} started${id ? `: ${id}` : ''}.`, 'ok');
      if (id) go(`#/mi/${encodeURIComponent(id)}`);
    } catch (err) {
      status(explain(err), 'error');
    } finally {
      button.disabled = false;
    }
  }

  checksPage(ctx, {
    id: 'readiness',
    title: 'Readiness',
    intro: [
      'Is each service prepared for its next major incident: roles that reach someone, audiences with working ' +
        'channels, an escalation path, a runbook and a recent drill. The same report from a shell: ',
      h('code', {}, 'mim-bridge readiness'),
      '.',
    ],
    path: '/admin/readiness',
    render: (answer) => {
      const notReady = answer.services.filter((s) => !s.ready).length;
      return {
        summary:
          (notReady ? `: ${notReady} of ${answer.services.length} not ready.` : ': every service is ready.') +
          (answer.tier1Ready ? '' : ' A tier-1 service is not ready.'),
        extra: answer.offlineChecks.length
          ? [
              h(
                'div',
                { id: 'readiness-offline' },
                `Made from config and environment alone (offline): ${answer.offlineChecks.join(', ')}.`,
              ),
            ]
          : [],
        body: answer.services.length
          ? table(
              [
                'Service',
                ...CHECKS.map(([, label]) => label),
                `Targets (${TARGETS.map(([, label]) => label).join(' / ')})`,
                'Drilled',
                'Fix',
              ],
              answer.services.map(row),
            )
          : h('p', {}, 'No services in services.yaml.'),
      };
    },
  });
}
