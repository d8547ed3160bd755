import type { ChatConnector, ChatMessageRef } from '../../connectors/capabilities.ts';
import type { ActionExecutor } from '../../queue/actions/action-worker.ts';
import { renderTemplate, type Register } from '../../templates/index.ts';
import { headline, messageVars, type MessageContext } from './message-vars.ts';

export interface ChatExecutorDeps extends MessageContext {
  readonly chat: ChatConnector;
}

/**
 * `notify` to one chat channel. The declaration posts the living status message (or edits it,
 * if an earlier attempt posted one: its `ts` is kept per channel); later messages edit the
 * status and go as replies in its thread, so a channel carries one message per incident.
 */
export function chatExecutor(deps: ChatExecutorDeps): ActionExecutor {
  return async (job, { jobId }) => {
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const channel = job.channel;
    if (!channel) return { detail: { skipped: 'no channel' } };
    const template = String(job.params.template ?? 'update');
    const register = (job.params.register === 'technical' ? 'technical' : 'business') as Register;
    const message = { title: headline(mi, template), text: renderTemplate(deps.templates(), template, register, messageVars(mi, deps.service(mi.serviceId))) };
    const meta = { incidentId: mi.id, jobId };
    const slackLinks = (mi.links.slack ?? {}) as Record<string, string>;
    const previous: ChatMessageRef | undefined = slackLinks[channel] ? { channel, ts: slackLinks[channel] } : undefined;
    const status = await deps.chat.publishStatus(channel, message, meta, previous);
    if (template !== 'declared' && status) await deps.chat.postUpdate(channel, message, meta, status);
    return {
      ...(status && deps.chat.vendor === 'slack' ? { links: [{ system: 'slack', sub: channel, value: status.ts }] } : {}),
      detail: { channel, template, register, ...(status ? { ts: status.ts } : {}) },
    };
  };
}
