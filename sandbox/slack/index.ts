import type { Request, Response } from 'express';
import { createSimServer, type SimServer } from '../shared/sim-server.ts';
import { BOT_ID, BOT_USER, createChannels, createTsClock, type SlackChannel, type SlackMessage } from './channels.ts';
import { createChannelLimiter, type RateLimitOptions } from './rate-limit.ts';
import { messageArgs, tokenOf } from './validate.ts';

/** The bot scopes the sandbox's token holds: those of the app manifest in docs/setup-slack.md. */
const BOT_SCOPES = ['chat:write', 'channels:read', 'groups:read', 'channels:history', 'groups:history'];

export type { SlackChannel, SlackEdit, SlackMessage } from './channels.ts';

/**
 * Slack Web API `chat.postMessage` and `chat.update` on `<url>/api/…`. Failures are HTTP 200
 * `{ok: false, error}` as Slack answers; the per-channel post limit is HTTP 429 + `Retry-After`.
 * Give mim-bridge `SLACK_API_URL=<url>/api` and the token.
 */

export interface SlackSimOptions {
  /** The bot token mim-bridge must send; default `xoxb-sandbox-token`. */
  readonly token?: string;
  /** Channel names that exist (ids are generated); default `['major-incidents']`. */
  readonly channels?: readonly string[];
  /** The chat.postMessage limit per channel; `false` turns it off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Milliseconds since the epoch: `ts` values and the rate limit read it. */
  readonly now?: () => number;
}

export interface SlackSim extends SimServer {
  readonly token: string;
  /** `<url>/api`, for `SLACK_API_URL`. */
  apiUrl(): string;
  readonly channels: readonly SlackChannel[];
  /** A channel by id, name or `#name`. */
  channel(ref: string): SlackChannel | undefined;
  /** Top-level messages of a channel, oldest first (replies are in each message's `replies`). */
  messages(ref: string): readonly SlackMessage[];
}

/** "Messages longer than 40,000 characters are truncated." https://docs.slack.dev/reference/methods/chat.postMessage#truncating */
const TEXT_MAX_LENGTH = 40_000;
const TEAM = 'T0MIMSANDBX';

export function createSlackSim(opts: SlackSimOptions = {}): SlackSim {
  const server = createSimServer('slack');
  const token = opts.token ?? 'xoxb-sandbox-token';
  const now = opts.now ?? Date.now;
  const state = createChannels(opts.channels ?? ['major-incidents']);
  const nextTs = createTsClock(now);
  const admit =
    opts.rateLimit === false ? () => ({ ok: true as const }) : createChannelLimiter(opts.rateLimit ?? {}, now);

  const fail = (res: Response, error: string) => void res.json({ ok: false, error });
  const bodyOf = (req: Request): Record<string, unknown> =>
    typeof req.body === 'object' && req.body !== null ? req.body : {};

  /** Auth first, as Slack checks the token before the arguments. */
  function authorized(req: Request, res: Response): boolean {
    const given = tokenOf(req.get('authorization'), bodyOf(req));
    const error = !given ? 'not_authed' : given !== token ? 'invalid_auth' : undefined;
    if (error === undefined) return true;
    fail(res, error);
    return false;
  }

  server.app.post('/api/chat.postMessage', (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    const args = messageArgs(bodyOf(req));
    if (!args.ok) return fail(res, args.error);
    const channel = state.find(args.value.channel);
    if (!channel) return fail(res, 'channel_not_found');
    const parent = args.value.threadTs ? channel.messages.find((m) => m.ts === args.value.threadTs) : undefined;
    // Unverified: chat.postMessage's error list names no thread error; `thread_not_found` is the conversations.replies one.
    if (args.value.threadTs && !parent) return fail(res, 'thread_not_found');
    const admission = admit(channel.id);
    if (!admission.ok)
      return void res
        .status(429)
        .set('Retry-After', String(admission.retryAfterSeconds))
        .json({ ok: false, error: 'ratelimited' });
    const message: SlackMessage = {
      type: 'message',
      ts: nextTs(),
      ...(parent ? { thread_ts: parent.ts } : {}),
      user: BOT_USER,
      bot_id: BOT_ID,
      text: args.value.text.slice(0, TEXT_MAX_LENGTH),
      ...(args.value.blocks ? { blocks: args.value.blocks } : {}),
      ...(isMetadata(bodyOf(req).metadata) ? { metadata: bodyOf(req).metadata } : {}),
      edits: [],
      replies: [],
    };
    (parent ? parent.replies : channel.messages).push(message);
    res.json({ ok: true, channel: channel.id, ts: message.ts, message: wire(message) });
  });

  // chat.update takes the channel's id only ("Channel containing the message to be updated"); a
  // `#name` that chat.postMessage accepts is channel_not_found here, as on Slack.
  // https://docs.slack.dev/reference/methods/chat.update
  server.app.post('/api/chat.update', (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    const args = messageArgs(bodyOf(req));
    if (!args.ok) return fail(res, args.error);
    const channel = state.byId(args.value.channel);
    if (!channel) return fail(res, 'channel_not_found');
    const message = args.value.ts ? state.findMessage(channel, args.value.ts) : undefined;
    if (!message) return fail(res, 'message_not_found');
    message.edits.push({
      at: new Date(now()).toISOString(),
      text: message.text,
      ...(message.blocks ? { blocks: message.blocks } : {}),
    });
    message.text = args.value.text.slice(0, TEXT_MAX_LENGTH);
    if (args.value.blocks) message.blocks = args.value.blocks;
    message.edited = { user: BOT_USER, ts: nextTs() };
    res.json({ ok: true, channel: channel.id, ts: message.ts, text: message.text, message: wire(message) });
  });

  // auth.test: whose token this is; Slack lists the token's scopes in the x-oauth-scopes header,
  // which `mim-bridge doctor` compares with the app manifest (docs/setup-slack.md).
  server.app.post('/api/auth.test', (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    res.set('x-oauth-scopes', BOT_SCOPES.join(','));
    res.json({
      ok: true,
      url: 'https://sandbox.slack.com/',
      team: 'Sandbox',
      user: 'mim-bridge',
      team_id: TEAM,
      user_id: BOT_USER,
      bot_id: BOT_ID,
    });
  });

  // conversations.list: the workspace's channels (ids and names), as a bot with channels:read sees them.
  server.app.post('/api/conversations.list', (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    res.json({
      ok: true,
      channels: state.channels.map((c) => ({ id: c.id, name: c.name, is_channel: true, is_member: true })),
      response_metadata: { next_cursor: '' },
    });
  });

  // conversations.history: top-level messages newest first; like Slack it wants the channel id, not a name.
  server.app.post('/api/conversations.history', (req: Request, res: Response) => {
    if (!authorized(req, res)) return;
    const body = bodyOf(req);
    const channel = typeof body.channel === 'string' ? state.byId(body.channel) : undefined;
    if (!channel) return fail(res, 'channel_not_found');
    const limit = Math.min(Math.max(Number(body.limit ?? 100) || 100, 1), 999);
    const withMetadata = body.include_all_metadata === true || body.include_all_metadata === 'true';
    const messages = [...channel.messages]
      .reverse()
      .slice(0, limit)
      .map((m) => {
        const { metadata, ...rest } = wire(m) as ReturnType<typeof wire> & { metadata?: unknown };
        return withMetadata && metadata ? { ...rest, metadata } : rest;
      });
    res.json({ ok: true, messages, has_more: channel.messages.length > limit });
  });

  return Object.assign(server, {
    token,
    apiUrl: () => `${server.url()}/api`,
    channels: state.channels,
    channel: state.find,
    messages: (ref: string) => state.find(ref)?.messages ?? [],
  });
}

/** Slack's message metadata shape: an event type and a payload object. */
const isMetadata = (v: unknown): boolean =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { event_type?: unknown }).event_type === 'string' &&
  typeof (v as { event_payload?: unknown }).event_payload === 'object';

/** The message as Slack returns it: our bookkeeping (edits, replies) left out. */
function wire(m: SlackMessage) {
  const { edits: _edits, replies: _replies, ...message } = m;
  return { ...message, team: TEAM, ...(m.replies.length ? { reply_count: m.replies.length } : {}) };
}
