import type { ChatConnector, ChatMessage, ChatMessageRef } from '../capabilities.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { createHttpClient, parseBody, send, type Boundary } from '../shared/axios-call.ts';
import { retryAfterMs } from '../shared/retry-after.ts';
import { slackBlocks, slackFallbackText, type SlackBlock } from './blocks.ts';
import { classifySlackError } from './errors.ts';
import { SlackAnswer, SlackChannelList, SlackHistory, SlackMessageAnswer, SlackOutboundConfig } from './schema.ts';

/**
 * Slack Web API over axios: `chat.postMessage` and `chat.update` with a bot token. About one
 * message per second per channel; 429 carries `Retry-After`. The living status
 * message is one `ts` per major incident and channel, which the caller stores.
 * https://docs.slack.dev/apis/web-api/rate-limits
 */

export interface SlackPost {
  readonly channel: string;
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
  readonly threadTs?: string;
  /** Message metadata: the status message carries its major incident, so a re-run can find it. */
  readonly metadata?: { readonly event_type: string; readonly event_payload: Readonly<Record<string, string>> };
}

/** The metadata event type on every status message (https://docs.slack.dev/messaging/message-metadata). */
export const STATUS_EVENT_TYPE = 'mim_bridge_status';
export interface SlackUpdate {
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
}

export interface SlackClient {
  postMessage(post: SlackPost, meta: CallMeta): Promise<ChatMessageRef>;
  updateMessage(update: SlackUpdate, meta: CallMeta): Promise<ChatMessageRef>;
  /**
   * The status message an earlier attempt posted for `meta.incidentId` in `channel` (a name or an
   * id), found by its metadata in the channel's recent history; undefined when there is none.
   * Needs the `channels:read` and `channels:history` scopes (`groups:*` for private channels).
   */
  findStatus(channel: string, meta: CallMeta): Promise<ChatMessageRef | undefined>;
}

export function createSlackClient(rawConfig: SlackOutboundConfig, deps: ConnectorDeps): SlackClient {
  const config = SlackOutboundConfig.parse(rawConfig);
  const http = createHttpClient({
    // The trailing slash keeps axios from dropping the `/api` path when joining method names.
    baseURL: config.apiUrl.endsWith('/') ? config.apiUrl : `${config.apiUrl}/`,
    timeoutMs: config.timeoutMs,
    // Slack warns (`missing_charset`) when JSON arrives without a charset.
    headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: `Bearer ${config.token}` },
  });
  const now = deps.now ?? Date.now;
  const boundary: Boundary = { vendor: 'slack', now };
  const call = instrumentFor(deps, 'slack');

  async function method(name: string, body: object): Promise<ChatMessageRef> {
    const res = await send(http, boundary, { method: 'POST', url: name, data: body });
    const answer = parseBody('slack', SlackAnswer, res.data, res.status);
    if (!answer.ok) throw classifySlackError(answer.error, retryAfterMs(res.headers, now));
    const { channel, ts } = parseBody('slack', SlackMessageAnswer, res.data, res.status);
    return { channel, ts };
  }

  async function raw(name: string, body: object): Promise<unknown> {
    const res = await send(http, boundary, { method: 'POST', url: name, data: body });
    const answer = parseBody('slack', SlackAnswer, res.data, res.status);
    if (!answer.ok) throw classifySlackError(answer.error, retryAfterMs(res.headers, now));
    return res.data;
  }

  const channelIds = new Map<string, string>();
  /** conversations.history wants a channel id; audiences.yaml may name channels. Looked up once. */
  async function channelId(ref: string): Promise<string | undefined> {
    if (/^[CGD][A-Z0-9]{6,}$/.test(ref)) return ref;
    const name = ref.replace(/^#/, '');
    if (channelIds.has(name)) return channelIds.get(name);
    let cursor = '';
    for (let page = 0; page < 20; page += 1) {
      const list = parseBody(
        'slack',
        SlackChannelList,
        await raw('conversations.list', {
          types: 'public_channel,private_channel',
          limit: 200,
          exclude_archived: true,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const c of list.channels) channelIds.set(c.name, c.id);
      cursor = list.response_metadata?.next_cursor ?? '';
      if (channelIds.has(name) || !cursor) break;
    }
    return channelIds.get(name);
  }

  return {
    findStatus: (channel, meta) =>
      call('findStatus', meta, async () => {
        const id = await channelId(channel);
        if (!id) return undefined;
        const history = parseBody(
          'slack',
          SlackHistory,
          await raw('conversations.history', { channel: id, limit: 200, include_all_metadata: true }),
        );
        const found = history.messages.find(
          (m) =>
            m.metadata?.event_type === STATUS_EVENT_TYPE &&
            m.metadata.event_payload?.major_incident_id === meta.incidentId,
        );
        return found ? { channel: id, ts: found.ts } : undefined;
      }),
    postMessage: (post, meta) =>
      call('postMessage', meta, () =>
        method('chat.postMessage', {
          channel: post.channel,
          text: post.text,
          ...(post.blocks ? { blocks: post.blocks } : {}),
          ...(post.threadTs ? { thread_ts: post.threadTs } : {}),
          ...(post.metadata ? { metadata: post.metadata } : {}),
        }),
      ),
    updateMessage: (update, meta) =>
      call('updateMessage', meta, () =>
        method('chat.update', {
          channel: update.channel,
          ts: update.ts,
          text: update.text,
          ...(update.blocks ? { blocks: update.blocks } : {}),
        }),
      ),
  };
}

const render = (message: ChatMessage) => ({ text: slackFallbackText(message), blocks: slackBlocks(message) });

/** Slack as the chat capability: the status message is edited in place, updates go in its thread. */
export function createSlackChat(client: SlackClient): ChatConnector {
  return {
    kind: 'chat',
    vendor: 'slack',
    publishStatus: async (channel, message, meta, previous, recover = false) => {
      // A re-run whose first attempt may have posted before dying (its ts never stored): find that one.
      const earlier = previous ?? (recover ? await client.findStatus(channel, meta) : undefined);
      if (earlier) return client.updateMessage({ channel: earlier.channel, ts: earlier.ts, ...render(message) }, meta);
      return client.postMessage(
        {
          channel,
          ...render(message),
          metadata: { event_type: STATUS_EVENT_TYPE, event_payload: { major_incident_id: meta.incidentId } },
        },
        meta,
      );
    },
    postUpdate: (channel, message, meta, thread) =>
      client.postMessage({ channel: thread?.channel ?? channel, threadTs: thread?.ts, ...render(message) }, meta),
  };
}
