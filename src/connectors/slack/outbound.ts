import type { ChatConnector, ChatMessage, ChatMessageRef } from '../capabilities.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { createHttpClient, parseBody, send, type Boundary } from '../shared/axios-call.ts';
import { retryAfterMs } from '../shared/retry-after.ts';
import { slackBlocks, slackFallbackText, type SlackBlock } from './blocks.ts';
import { classifySlackError } from './errors.ts';
import { SlackAnswer, SlackMessageAnswer, SlackOutboundConfig } from './schema.ts';

/**
 * Slack Web API over axios: `chat.postMessage` and `chat.update` with a bot token. About one
 * message per second per channel; 429 carries `Retry-After` (VENDOR-NOTES). The living status
 * message is one `ts` per major incident and channel, which the caller stores.
 * https://docs.slack.dev/apis/web-api/rate-limits
 */

export interface SlackPost {
  readonly channel: string;
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
  readonly threadTs?: string;
}
export interface SlackUpdate {
  readonly channel: string;
  readonly ts: string;
  readonly text: string;
  readonly blocks?: readonly SlackBlock[];
}

export interface SlackClient {
  postMessage(post: SlackPost, meta: CallMeta): Promise<ChatMessageRef>;
  updateMessage(update: SlackUpdate, meta: CallMeta): Promise<ChatMessageRef>;
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

  return {
    postMessage: (post, meta) =>
      call('postMessage', meta, () =>
        method('chat.postMessage', {
          channel: post.channel,
          text: post.text,
          ...(post.blocks ? { blocks: post.blocks } : {}),
          ...(post.threadTs ? { thread_ts: post.threadTs } : {}),
        })),
    updateMessage: (update, meta) =>
      call('updateMessage', meta, () =>
        method('chat.update', {
          channel: update.channel,
          ts: update.ts,
          text: update.text,
          ...(update.blocks ? { blocks: update.blocks } : {}),
        })),
  };
}

const render = (message: ChatMessage) => ({ text: slackFallbackText(message), blocks: slackBlocks(message) });

/** Slack as the chat capability: the status message is edited in place, updates go in its thread. */
export function createSlackChat(client: SlackClient): ChatConnector {
  return {
    kind: 'chat',
    vendor: 'slack',
    publishStatus: (channel, message, meta, previous) =>
      previous
        ? client.updateMessage({ channel: previous.channel, ts: previous.ts, ...render(message) }, meta)
        : client.postMessage({ channel, ...render(message) }, meta),
    postUpdate: (channel, message, meta, thread) =>
      client.postMessage({ channel: thread?.channel ?? channel, threadTs: thread?.ts, ...render(message) }, meta),
  };
}
