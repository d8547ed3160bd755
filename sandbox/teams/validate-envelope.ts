/**
 * The envelope incoming webhooks and Workflows ("When a Teams webhook request is received")
 * take: `{type: 'message', attachments: [{contentType: 'application/vnd.microsoft.card.adaptive',
 * content: <Adaptive Card>}]}`. Workflows accept Adaptive Cards only.
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
 * https://adaptivecards.io/explorer/AdaptiveCard.html
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/**
 * "The message size limit is 28 KB."
 * https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#rate-limiting-for-connectors
 */
export const MESSAGE_MAX_BYTES = 28 * 1024;

export type CardCheck =
  | { readonly ok: true; readonly cards: readonly Record<string, unknown>[] }
  | { readonly ok: false; readonly message: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function cardProblem(card: unknown, at: string): string | undefined {
  if (!isRecord(card)) return `${at}.content must be an Adaptive Card object`;
  if (card.type !== 'AdaptiveCard') return `${at}.content.type must be 'AdaptiveCard'`;
  if (typeof card.version !== 'string' || !/^\d+\.\d+$/.test(card.version))
    return `${at}.content.version must be a version string such as '1.4'`;
  if (!Array.isArray(card.body)) return `${at}.content.body must be an array`;
  const bad = card.body.findIndex((e) => !isRecord(e) || typeof e.type !== 'string');
  if (bad >= 0) return `${at}.content.body[${bad}] must be an element with a type`;
  if (
    card.actions !== undefined &&
    (!Array.isArray(card.actions) || card.actions.some((a) => !isRecord(a) || typeof a.type !== 'string'))
  ) {
    return `${at}.content.actions must be an array of actions with a type`;
  }
  return undefined;
}

export function validateEnvelope(body: unknown): CardCheck {
  if (!isRecord(body)) return { ok: false, message: 'request body must be a JSON object' };
  if (body.type !== 'message') return { ok: false, message: "type must be 'message'" };
  if (!Array.isArray(body.attachments) || body.attachments.length === 0)
    return { ok: false, message: 'attachments must be a non-empty array' };
  const cards: Record<string, unknown>[] = [];
  for (const [i, attachment] of body.attachments.entries()) {
    const at = `attachments[${i}]`;
    if (!isRecord(attachment)) return { ok: false, message: `${at} must be an object` };
    if (attachment.contentType !== ADAPTIVE_CARD_CONTENT_TYPE)
      return { ok: false, message: `${at}.contentType must be '${ADAPTIVE_CARD_CONTENT_TYPE}'` };
    const problem = cardProblem(attachment.content, at);
    if (problem) return { ok: false, message: problem };
    cards.push(attachment.content as Record<string, unknown>);
  }
  return { ok: true, cards };
}
