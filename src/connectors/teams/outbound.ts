import type { ChatConnector } from '../capabilities.ts';
import { classifyHttpStatus } from '../classify-http-error.ts';
import { ConnectorError, invalidInput } from '../connector-error.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { createHttpClient, send, type Boundary } from '../shared/axios-call.ts';
import { lookup } from '../shared/lookup.ts';
import { adaptiveCard, teamsEnvelope, type TeamsEnvelope } from './card.ts';
import { TeamsOutboundConfig } from './schema.ts';

/**
 * Microsoft Teams incoming webhooks and Workflows (Power Automate "When a Teams webhook request
 * is received"). Webhooks cannot edit or thread, so every call posts a new card. About 4
 * requests/s per webhook and 28 KB per message:
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#rate-limiting-for-connectors
 */

/** "The message size limit is 28 KB"; checked before sending, since Teams answers an opaque 413. */
export const TEAMS_MESSAGE_MAX_BYTES = 28 * 1024;

/**
 * Legacy Office 365 connector webhooks answered HTTP 200 with a text body naming the failure
 * ("… Microsoft Teams endpoint returned HTTP error 429 …"; secondary source).
 */
const EMBEDDED_STATUS = /returned HTTP error (\d{3})/;

export interface TeamsClient {
  post(webhook: string, envelope: TeamsEnvelope, meta: CallMeta): Promise<void>;
}

export function createTeamsClient(rawConfig: TeamsOutboundConfig, deps: ConnectorDeps): TeamsClient {
  const config = TeamsOutboundConfig.parse(rawConfig);
  const http = createHttpClient({ timeoutMs: config.timeoutMs, headers: { 'Content-Type': 'application/json' } });
  const boundary: Boundary = { vendor: 'teams', now: deps.now ?? Date.now };
  const call = instrumentFor(deps, 'teams');

  const warned = new Set<string>();
  /**
   * An audience's own webhook, else TEAMS_WEBHOOK_URL: a card in the default channel, with a
   * warning naming the unset variable, rather than a status message dead-lettered mid-incident.
   */
  const urlFor = (name: string): string => {
    const own = lookup(config.webhooks, name);
    if (own) return own;
    if (!config.defaultWebhook)
      throw invalidInput('teams', `no Teams webhook: ${name} is not set and neither is TEAMS_WEBHOOK_URL`);
    if (!warned.has(name)) {
      warned.add(name);
      deps.logger.warn(
        { vendor: 'teams', webhook: name },
        `${name} is not set; sending its cards to TEAMS_WEBHOOK_URL`,
      );
    }
    return config.defaultWebhook;
  };

  return {
    post: (webhook, envelope, meta) =>
      call('post', meta, async () => {
        const body = JSON.stringify(envelope);
        const bytes = Buffer.byteLength(body);
        if (bytes > TEAMS_MESSAGE_MAX_BYTES) {
          throw new ConnectorError({
            code: 'PAYLOAD_TOO_LARGE',
            vendor: 'teams',
            retryable: false,
            detail: `${bytes} bytes > ${TEAMS_MESSAGE_MAX_BYTES}`,
          });
        }
        const res = await send(http, boundary, {
          method: 'POST',
          url: urlFor(webhook),
          data: body,
          responseType: 'text',
        });
        const embedded = typeof res.data === 'string' ? EMBEDDED_STATUS.exec(res.data) : null;
        if (embedded)
          throw classifyHttpStatus({
            vendor: 'teams',
            status: Number(embedded[1]),
            headers: res.headers,
            body: res.data,
            now: boundary.now,
          });
      }),
  };
}

/** Teams as the chat capability: a new card per call, and no reference to keep. */
export function createTeamsChat(client: TeamsClient): ChatConnector {
  const postCard: ChatConnector['postUpdate'] = async (channel, message, meta) => {
    await client.post(channel, teamsEnvelope(adaptiveCard(message)), meta);
    return undefined;
  };
  return { kind: 'chat', vendor: 'teams', publishStatus: postCard, postUpdate: postCard };
}
