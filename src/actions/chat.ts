import type { ChatConnector, ChatMessageRef } from '../connectors/capabilities.ts';
import type { ActionExecutor } from '../domain/action.ts';
import { renderTemplate, type Register } from '../templates/index.ts';
import { headline, messageVars, type MessageContext } from './message-vars.ts';
import { writeBack } from './write-back.ts';

export interface ChatExecutorDeps extends MessageContext {
  readonly chat: ChatConnector;
  readonly now?: () => Date;
}

/**
 * `notify` to one chat channel. The declaration posts the living status message (or edits it,
 * if an earlier attempt posted one: its `ts` is kept per channel); later messages edit the
 * status and go as replies in its thread, so a channel carries one message per incident.
 * Once sent, a note in the source ticket says what was sent where (write-back.ts).
 */
export function chatExecutor(deps: ChatExecutorDeps): ActionExecutor {
  return async (job, { jobId, firstTry = true }) => {
    if (job.do !== 'notify') return { detail: { skipped: `${job.do} is not a chat action` } };
    const mi = await deps.load(job.majorIncidentId);
    if (!mi) return { orphaned: true };
    const channel = job.channel;
    if (!channel) return { detail: { skipped: 'no channel' } };
    const template = job.params.template ?? 'update';
    const register: Register = job.params.register ?? 'business';
    const update = await deps.latestUpdate?.(mi.id);
    const message = {
      title: headline(mi, template),
      text: renderTemplate(
        deps.templates(),
        template,
        register,
        messageVars(mi, deps.service(mi.serviceId), update),
        deps.chat.vendor,
      ),
    };
    const meta = { incidentId: mi.id, jobId };
    const slackLinks = (mi.links.slack ?? {}) as Record<string, string>;
    const previous: ChatMessageRef | undefined = slackLinks[channel] ? { channel, ts: slackLinks[channel] } : undefined;
    // Not the first try and no ts kept: an earlier attempt may have posted and died before storing it.
    const status = await deps.chat.publishStatus(channel, message, meta, previous, !previous && !firstTry);
    if (template !== 'declared' && status) await deps.chat.postUpdate(channel, message, meta, status);
    const followUps = writeBack(
      mi,
      job,
      message.title,
      job.audience ? deps.audienceName?.(job.audience) : undefined,
      deps.now?.() ?? new Date(),
    );
    return {
      ...(status && deps.chat.vendor === 'slack'
        ? { links: [{ system: 'slack', sub: channel, value: status.ts }] }
        : {}),
      ...(followUps.length ? { followUps } : {}),
      detail: { channel, template, register, ...(status ? { ts: status.ts } : {}) },
    };
  };
}
