import type { TimelineEntry } from '../../domain/major-incident.ts';
import type { DeadLetter } from '../../queue/actions/dead-letters.ts';
import { PERSONAL_TEMPLATES } from '../../process/checklist.ts';
import { slackChannelUrl } from './vendor-urls.ts';

/** The audiences of audiences.yaml as the lookup needs them. */
export interface AudienceChannels {
  readonly name: string;
  readonly channels: {
    readonly slack?: readonly string[];
    readonly teamsWebhookEnv?: string;
    readonly email?: readonly string[];
  };
}

export interface SentMessage {
  readonly at: string;
  /** The message template (`declared`, `update`, `resolved`, `escalation` …). */
  readonly template: string;
  readonly state: 'sent' | 'skipped' | 'failed';
  /** A failed one's error code, from its dead letter. */
  readonly code?: string;
  readonly detail?: string;
  /** The dead letter's job id, to replay it. */
  readonly jobId?: string;
  /** Where a person sees it (Slack: the channel); absent where the vendor gives no address. */
  readonly url?: string;
}

export interface AudienceChannel {
  /** The audiences.yaml names the channel serves, or who a timer's message was for. */
  readonly audience: string;
  readonly target: string;
  /** As audiences.yaml names it: a Slack channel, an email address, a Teams webhook's env var name. */
  readonly channel: string;
  readonly messages: readonly SentMessage[];
}

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
const failed = (g: { readonly messages: readonly SentMessage[] }) => g.messages.some((m) => m.state === 'failed');

function audienceIndex(audiences: readonly AudienceChannels[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  const add = (key: string, name: string) => index.set(key, [...(index.get(key) ?? []), name]);
  for (const a of audiences) {
    for (const c of a.channels.slack ?? []) add(`slack ${c}`, a.name);
    for (const c of a.channels.email ?? []) add(`email ${c}`, a.name);
    if (a.channels.teamsWebhookEnv) add(`teams ${a.channels.teamsWebhookEnv}`, a.name);
  }
  return index;
}

/**
 * What was sent to whom: every message of the major incident (each `notify` that completed on the timeline, and
 * each one in the dead letters), grouped by audience and channel (a channel with a failure first), oldest message
 * first. Pure.
 */
export function communications(
  timeline: readonly TimelineEntry[],
  letters: readonly DeadLetter[],
  audiences: readonly AudienceChannels[],
  slackLinks: Readonly<Record<string, string>> = {},
): AudienceChannel[] {
  const index = audienceIndex(audiences);
  const groups = new Map<string, { target: string; channel: string; template: string; messages: SentMessage[] }>();
  const add = (target: string, channel: string, message: SentMessage) => {
    const key = `${target} ${channel}`;
    const group = groups.get(key) ?? { target, channel, template: message.template, messages: [] };
    group.messages.push(message);
    groups.set(key, group);
  };
  for (const e of timeline) {
    if (e.kind !== 'action.completed' || e.detail.do !== 'notify') continue;
    const channel = str(e.detail.channel) ?? '';
    const target = e.actor.id;
    const link = target === 'slack' ? slackLinks[channel] : undefined;
    const url = link ? slackChannelUrl(link) : undefined;
    add(target, channel, {
      at: e.at,
      template: str(e.detail.template) ?? 'message',
      state: e.detail.skipped ? 'skipped' : 'sent',
      ...(url ? { url } : {}),
    });
  }
  for (const l of letters) {
    if (l.job?.do !== 'notify') continue;
    const job = l.job as { target?: string; channel?: string; params?: { template?: unknown } };
    add(job.target ?? 'unknown', job.channel ?? '', {
      at: l.deadAt,
      template: str(job.params?.template) ?? 'message',
      state: 'failed',
      code: l.code,
      jobId: l.jobId,
      ...(l.detail ? { detail: l.detail } : {}),
    });
  }
  return (
    [...groups.values()]
      .map((g) => ({
        audience:
          index.get(`${g.target} ${g.channel}`)?.join(', ') ??
          (PERSONAL_TEMPLATES.has(g.template) ? `one person (${g.template} timer)` : 'not in audiences.yaml'),
        target: g.target,
        channel: g.channel,
        messages: g.messages.sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
      }))
      // A channel with a failed message first: that is the one to fix.
      .sort(
        (a, b) =>
          Number(failed(b)) - Number(failed(a)) ||
          a.audience.localeCompare(b.audience) ||
          a.channel.localeCompare(b.channel),
      )
  );
}
