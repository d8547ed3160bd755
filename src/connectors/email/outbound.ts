import nodemailer, { type Transporter } from 'nodemailer';
import type { EmailConnector, EmailMessage } from '../capabilities.ts';
import { invalidInput } from '../connector-error.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { assertMarker } from '../shared/markers.ts';
import { singleLine } from '../shared/single-line.ts';
import { classifySmtpError } from './classify-smtp-error.ts';

/**
 * Email through nodemailer. The Message-ID is derived from the major incident and the message's
 * marker, so a resend after a lost answer carries the same id (receivers and archives can spot
 * it) and updates thread under the first message through In-Reply-To/References.
 * https://nodemailer.com/message/#common-fields · RFC 5322 §3.6.4
 */

export interface EmailConfig {
  /** `MAIL_FROM`. */
  readonly from: string;
  /** Right-hand side of our Message-IDs; defaults to the domain of `from`. */
  readonly messageIdDomain?: string;
}

/** SMTP transport from `SMTP_URL` (`smtp://user:pass@host:587`, `smtps://…`); the URL is a secret. */
export function createSmtpTransport(smtpUrl: string, timeoutMs = 10_000): Transporter {
  const options = new URL(smtpUrl);
  for (const [key, value] of [
    ['connectionTimeout', timeoutMs],
    ['greetingTimeout', timeoutMs],
    ['socketTimeout', timeoutMs],
  ] as const) {
    if (!options.searchParams.has(key)) options.searchParams.set(key, String(value));
  }
  return nodemailer.createTransport(options.toString());
}

/** RFC 5322 msg-id: `<mim.<incident>.<marker>@<domain>>`; `:` is not allowed left of `@`. */
export function messageIdFor(incidentId: string, marker: string, domain: string): string {
  const part = (s: string) =>
    assertMarker('email', s)
      .replace(/:/g, '_')
      .replace(/\.{2,}/g, '.');
  return `<mim.${part(incidentId)}.${part(marker)}@${domain}>`;
}

function domainOf(from: string): string {
  const match = /@([A-Za-z0-9.-]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'mim-bridge.invalid';
}

export interface EmailClient {
  send(message: EmailMessage, meta: CallMeta): Promise<{ readonly messageId: string }>;
}

export function createEmailClient(config: EmailConfig, transport: Transporter, deps: ConnectorDeps): EmailClient {
  const call = instrumentFor(deps, 'email');
  const domain = config.messageIdDomain ?? domainOf(config.from);
  return {
    send: (message, meta) =>
      call('send', meta, async () => {
        if (message.to.length === 0) throw invalidInput('email', 'no recipients');
        const messageId = messageIdFor(meta.incidentId, message.marker, domain);
        const thread = message.threadMarker ? messageIdFor(meta.incidentId, message.threadMarker, domain) : undefined;
        try {
          await transport.sendMail({
            from: config.from,
            to: [...message.to],
            // nodemailer folds line breaks in headers too; one line here whatever the transport does.
            subject: singleLine(message.subject),
            text: message.text,
            // No caller builds HTML: messages are rendered for the `text` target. An HTML part would
            // need a template target of its own that HTML-escapes every value (templates/output-targets.ts).
            ...(message.html ? { html: message.html } : {}),
            messageId,
            ...(thread && thread !== messageId ? { inReplyTo: thread, references: [thread] } : {}),
            headers: { 'X-MIM-Id': meta.incidentId },
          });
        } catch (err) {
          throw classifySmtpError(err);
        }
        return { messageId };
      }),
  };
}

export function createEmailConnector(client: EmailClient): EmailConnector {
  return { kind: 'email', vendor: 'email', send: (message, meta) => client.send(message, meta) };
}
