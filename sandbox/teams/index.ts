import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { createSimServer, type SimServer } from '../shared/sim-server.ts';
import { MESSAGE_MAX_BYTES, validateEnvelope } from './validate-envelope.ts';

/**
 * Teams Workflow webhooks ("When a Teams webhook request is received", the successor of
 * Office 365 connectors), one URL per configured name:
 * `<url>/workflows/<name>/triggers/manual/paths/invoke?api-version=2016-06-01&sig=<secret>`.
 * A Workflow answers 202 with an empty body once it accepted the request; `mode: 'connector'`
 * answers as the classic incoming webhook did, 200 with the text `1`.
 * https://learn.microsoft.com/en-us/power-automate/teams/create-flows-from-teams#create-a-flow-from-a-webhook
 */

export interface TeamsSimOptions {
  /** Webhook names (mim-bridge's audience channel names); default `['default']`. */
  readonly webhooks?: readonly string[];
  /** `workflow` (default): 202, empty body. `connector`: 200 `1`, errors as text. */
  readonly mode?: 'workflow' | 'connector';
}

export interface ReceivedCard {
  readonly at: string;
  readonly webhook: string;
  readonly card: Readonly<Record<string, unknown>>;
  readonly envelope: unknown;
}

export interface TeamsSim extends SimServer {
  /** The URL to configure for a webhook name (it carries its `sig`, so it is a secret as a real one). */
  webhookUrl(name: string): string;
  /** Name → URL for every webhook, for mim-bridge's `teams.webhooks` config. */
  webhookUrls(): Record<string, string>;
  /** Cards received by one webhook, oldest first. */
  cards(name: string): readonly ReceivedCard[];
  readonly received: readonly ReceivedCard[];
}

const PATH = '/workflows/:name/triggers/manual/paths/invoke';

export function createTeamsSim(opts: TeamsSimOptions = {}): TeamsSim {
  const server = createSimServer('teams');
  const mode = opts.mode ?? 'workflow';
  const sigs = new Map((opts.webhooks ?? ['default']).map((name) => [name, randomBytes(16).toString('base64url')]));
  const received: ReceivedCard[] = [];

  function refuse(res: Response, status: number, code: string, message: string): void {
    if (mode === 'connector') return void res.status(status).type('text/plain').send(message);
    res.status(status).json({ error: { code, message } });
  }

  server.app.post(PATH, (req: Request, res: Response) => {
    const name = String(req.params.name);
    const sig = sigs.get(name);
    if (!sig) return refuse(res, 404, 'WorkflowNotFound', `The workflow '${name}' could not be found.`);
    if (req.query.sig !== sig)
      return refuse(
        res,
        401,
        'DirectApiAuthorizationRequired',
        'The request must be authenticated with a valid signature (sig).',
      );
    // The raw size is not kept by the JSON parser; the re-serialised body is the same for compact JSON.
    const bytes = Buffer.byteLength(JSON.stringify(req.body ?? null));
    if (bytes > MESSAGE_MAX_BYTES)
      return refuse(res, 413, 'MessageTooLarge', `The message is ${bytes} bytes; the limit is ${MESSAGE_MAX_BYTES}.`);
    const checked = validateEnvelope(req.body);
    if (!checked.ok) return refuse(res, 400, 'InvalidRequestContent', checked.message);
    const at = new Date().toISOString();
    for (const card of checked.cards) received.push({ at, webhook: name, card, envelope: req.body });
    if (mode === 'connector') return void res.status(200).type('text/plain').send('1');
    res.status(202).end();
  });

  // A body that is not JSON is refused in the webhook's own shape, not express's HTML page.
  server.app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    refuse(res, 400, 'InvalidRequestContent', 'the request body is not valid JSON');
  });

  const webhookUrl = (name: string): string => {
    const sig = sigs.get(name);
    if (!sig) throw new Error(`no Teams webhook named ${name} in the simulator`);
    return `${server.url()}/workflows/${encodeURIComponent(name)}/triggers/manual/paths/invoke?api-version=2016-06-01&sig=${sig}`;
  };

  return Object.assign(server, {
    webhookUrl,
    webhookUrls: () => Object.fromEntries([...sigs.keys()].map((n) => [n, webhookUrl(n)])),
    cards: (name: string) => received.filter((c) => c.webhook === name),
    received,
  });
}
