import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailExecutor } from '../../../src/actions/email.ts';
import {
  createEmailClient,
  createEmailConnector,
  createSmtpTransport,
} from '../../../src/connectors/email/outbound.ts';
import type { ActionJob } from '../../../src/domain/action.ts';
import type { MajorIncident } from '../../../src/domain/major-incident.ts';
import { fireTimer } from '../../../src/process/timer-fire.ts';
import { plannedTimers, type TierTimers, type TimerKind } from '../../../src/process/timers-plan.ts';

import { loadTemplates, type TemplateSet } from '../../../src/templates/index.ts';
import { startSmtpSink, type SmtpSink } from '../../helpers/smtp-sink.ts';

/**
 * Each timer's email (escalation, mobilisation, update due, PIR overdue) says why it came in its own
 * subject, not the declaration's. The job is the one the timer fires; it runs through the email
 * executor, the shipped templates, nodemailer over SMTP, and arrives in a real SMTP sink. A title
 * with line breaks and a forged header stays one Subject line.
 */
const TIER: TierTimers = {
  ackTimeoutMs: 60_000,
  mobiliseMs: 15 * 60_000,
  cadenceMs: 600_000,
  pirDueMs: 5 * 24 * 3_600_000,
  maxEscalations: 2,
  autoPost: false,
};
const TEMPLATES_DIR = fileURLToPath(new URL('../../../config/templates/', import.meta.url));

let smtp: SmtpSink;
let templates: TemplateSet;

beforeAll(async () => {
  smtp = await startSmtpSink();
  templates = await loadTemplates(TEMPLATES_DIR);
});
afterAll(async () => {
  await smtp.close();
});

function mi(id: string, title: string, over: Partial<MajorIncident> = {}): MajorIncident {
  return {
    id,
    serviceId: 'payroll',
    state: 'declared',
    title,
    priority: 1,
    origin: { source: 'servicenow', recordId: 'a'.repeat(32), number: 'INC0010001' },
    configVersion: 'v1',
    roles: {
      majorIncidentManager: 'mim@example.edu',
      commsLead: 'comms@example.edu',
      serviceOwner: 'owner@example.edu',
    },
    links: {},
    detectedAt: '2026-03-02T09:00:00.000Z',
    createdAt: '2026-03-02T09:02:00.000Z',
    declaredAt: '2026-03-02T09:05:00.000Z',
    updatedAt: '2026-03-02T09:05:00.000Z',
    ...over,
  };
}

/** The email job the timer of `kind` fires for `m` (with an empty timeline: nothing acknowledged, nothing sent). */
function timerEmail(m: MajorIncident, kind: TimerKind): ActionJob {
  const timer = plannedTimers(m, [], TIER).find((t) => t.kind === kind);
  if (!timer) throw new Error(`no ${kind} timer planned`);
  const outcome = fireTimer(timer, { mi: m, timeline: [], tier: TIER, now: new Date(timer.at), updateJobs: () => [] });
  if (outcome.kind !== 'fired') throw new Error(`the ${kind} timer did not fire: ${outcome.kind}`);
  const job = outcome.jobs.find((j) => j.target === 'email');
  if (!job) throw new Error(`the ${kind} timer sent no email`);
  return job;
}

async function send(m: MajorIncident, kind: TimerKind) {
  const job = timerEmail(m, kind);
  const before = smtp.messages.length;
  const execute = emailExecutor({
    email: createEmailConnector(
      createEmailClient({ from: smtp.env.MAIL_FROM }, createSmtpTransport(smtp.env.SMTP_URL), {
        logger: pino({ level: 'silent' }),
      }),
    ),
    load: async (id) => (id === m.id ? m : undefined),
    service: () => ({ name: 'Payroll', tier: 1 }),
    templates: () => templates,
  });
  await execute(job, { jobId: `job-${kind}` } as never);
  expect(smtp.messages).toHaveLength(before + 1);
  const message = smtp.messages.at(-1)!;
  // Long headers are folded (RFC 5322 §2.2.3): a line break before white space continues the same header.
  const headers = message.raw.slice(0, message.raw.search(/\r?\n\r?\n/)).replace(/\r?\n(?=[ \t])/g, '');
  return { to: message.to, headers, subjects: headers.match(/^Subject:.*$/gim) ?? [] };
}

const resolved = (id: string, title: string) =>
  mi(id, title, {
    state: 'resolved',
    resolvedAt: '2026-03-02T11:00:00.000Z',
    links: { pir: { key: 'PAY-99', dueAt: '2026-03-07T11:00:00.000Z', owner: 'owner@example.edu' } },
  });

describe('timer email subjects', () => {
  it.each([
    ['ack', 'Escalation: page not acknowledged: Payroll portal down (P1)', 'mim@example.edu'],
    ['mobilise', 'Mobilisation incomplete: Payroll portal down (P1)', 'mim@example.edu'],
    ['cadence', 'Update due: Payroll portal down (P1)', 'comms@example.edu'],
  ] as const)('the %s timer mails "%s" to %s', async (kind, subject, to) => {
    const sent = await send(mi(`MI-SUBJ-${kind}`, 'Payroll portal down'), kind);
    expect(sent.to).toEqual([to]);
    expect(sent.subjects).toEqual([`Subject: ${subject}`]);
  });

  it('the PIR timer mails "Post-incident review overdue" to the PIR owner', async () => {
    const sent = await send(resolved('MI-SUBJ-pir', 'Payroll portal down'), 'pir');
    expect(sent.to).toEqual(['owner@example.edu']);
    expect(sent.subjects).toEqual(['Subject: Post-incident review overdue: Payroll portal down (P1)']);
  });

  it('no two timer subjects are alike, and none is the declaration subject', async () => {
    const title = 'Email down';
    const subjects = [
      ...(await send(mi('MI-SUBJ-u1', title), 'ack')).subjects,
      ...(await send(mi('MI-SUBJ-u2', title), 'mobilise')).subjects,
      ...(await send(mi('MI-SUBJ-u3', title), 'cadence')).subjects,
      ...(await send(resolved('MI-SUBJ-u4', title), 'pir')).subjects,
    ];
    expect(new Set(subjects).size).toBe(4);
    expect(subjects).not.toContain(`Subject: Major incident: ${title} (P1)`);
  });

  it.each(['ack', 'mobilise', 'cadence', 'pir'] as const)(
    'a hostile title cannot add a header to the %s email',
    async (kind) => {
      const hostile = 'Payroll down\r\nBcc: attacker@evil.example\r\n\r\nfake body\u2028end';
      const m = kind === 'pir' ? resolved(`MI-HOST-${kind}`, hostile) : mi(`MI-HOST-${kind}`, hostile);
      const sent = await send(m, kind);
      expect(sent.subjects).toHaveLength(1);
      expect(sent.subjects[0]).toContain('Payroll down Bcc: attacker@evil.example fake body end (P1)');
      expect(sent.headers).not.toMatch(/^bcc:/im);
      expect(sent.to).not.toContain('attacker@evil.example');
    },
  );
});
