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
 * The status message as kept in `links.slack`, under the channel as audiences.yaml writes it (a
 * `#name` or an id): `<channel id>/<ts>`. The id is the one Slack answered chat.postMessage with,
 * because chat.update takes channel ids only and answers `channel_not_found` to a name.
 * https://docs.slack.dev/reference/methods/chat.update
 */
export function statusRefValue(ref: ChatMessageRef): string {
  return `${ref.channel}/${ref.ts}`;
}

/** The reference kept by statusRefValue; undefined for nothing kept or a bare ts that names no channel. */
export function statusRefFrom(value: string | undefined): ChatMessageRef | undefined {
  const match = value === undefined ? null : /^(.+)\/(\d+\.\d+)$/.exec(value);
  return match?.[1] && match[2] ? { channel: match[1], ts: match[2] } : undefined;
}

/**
 * `notify` to one chat channel. The declaration posts the living status message (or edits it,
 * if an earlier attempt posted one: its channel id and `ts` are kept per channel); later messages edit the
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
    const kept = mi.links.slack?.[channel];
    const previous = statusRefFrom(kept);
    // Not the first try and nothing kept: an earlier attempt may have posted and died before storing it.
    // A kept ts without its channel id cannot be edited (chat.update takes ids): find the message instead.
    const recover = !previous && (!firstTry || kept !== undefined);
    const status = await deps.chat.publishStatus(channel, message, meta, previous, recover);
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
        ? { links: [{ system: 'slack', sub: channel, value: statusRefValue(status) }] }
        : {}),
      ...(followUps.length ? { followUps } : {}),
      detail: { channel, template, register, ...(status ? { ts: status.ts } : {}) },
    };
  };
}
