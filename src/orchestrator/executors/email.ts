import type { EmailConnector } from '../../connectors/capabilities.ts';
import type { ActionExecutor } from '../../queue/actions/action-worker.ts';
import { renderTemplate, type Register } from '../../templates/index.ts';
import { headline, messageVars, type MessageContext } from './message-vars.ts';

export interface EmailExecutorDeps extends MessageContext {
  readonly email: EmailConnector;
}

/**
 * `notify` to an email list. The Message-ID derives from the incident and the template, so a
 * resend after a lost answer carries the same id, and later messages thread under the first.
 */
export function emailExecutor(deps: EmailExecutorDeps): ActionExecutor {
  return async (job, { jobId }) => {
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const to = (job.channel ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const template = String(job.params.template ?? 'update');
    const register = (job.params.register === 'technical' ? 'technical' : 'business') as Register;
    const text = renderTemplate(deps.templates(), template, register, messageVars(mi, deps.service(mi.serviceId)));
    // One "declared" message per incident heads the thread; every later message replies to it.
    const marker = template === 'declared' ? 'declared' : `${template}-${job.effect}-${job.round}`;
    const { messageId } = await deps.email.send({
      to, subject: headline(mi, template), text, marker, ...(template === 'declared' ? {} : { threadMarker: 'declared' }),
    }, { incidentId: mi.id, jobId });
    return { detail: { to: to.length, template, messageId } };
  };
}
