import type { EmailConnector } from '../connectors/capabilities.ts';
import type { ActionExecutor } from '../domain/action.ts';
import { renderTemplate, type Register } from '../templates/index.ts';
import { headline, messageVars, type MessageContext } from './message-vars.ts';
import { writeBack } from './write-back.ts';

export interface EmailExecutorDeps extends MessageContext {
  readonly email: EmailConnector;
  readonly now?: () => Date;
}

/**
 * `notify` to an email list. The Message-ID derives from the incident and the template, so a
 * resend after a lost answer carries the same id, and later messages thread under the first.
 * Once sent, a note in the source ticket says what was sent to which list (write-back.ts).
 */
export function emailExecutor(deps: EmailExecutorDeps): ActionExecutor {
  return async (job, { jobId }) => {
    if (job.do !== 'notify') return { detail: { skipped: `${job.do} is not an email action` } };
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const to = (job.channel ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const template = job.params.template ?? 'update';
    const register: Register = job.params.register ?? 'business';
    const update = await deps.latestUpdate?.(mi.id);
    const text = renderTemplate(
      deps.templates(),
      template,
      register,
      messageVars(mi, deps.service(mi.serviceId), update),
      'text',
    );
    const subject = headline(mi, template);
    // One "declared" message per incident heads the thread; every later message replies to it.
    const marker = template === 'declared' ? 'declared' : `${template}-${job.effect}-${job.round}`;
    const { messageId } = await deps.email.send(
      {
        to,
        subject,
        text,
        marker,
        ...(template === 'declared' ? {} : { threadMarker: 'declared' }),
      },
      { incidentId: mi.id, jobId },
    );
    const followUps = writeBack(
      mi,
      job,
      subject,
      job.audience ? deps.audienceName?.(job.audience) : undefined,
      deps.now?.() ?? new Date(),
    );
    return { ...(followUps.length ? { followUps } : {}), detail: { to: to.length, template, messageId } };
  };
}
