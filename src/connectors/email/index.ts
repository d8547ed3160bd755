export { classifySmtpError } from './classify-smtp-error.ts';
export {
  createEmailClient,
  createEmailConnector,
  createSmtpTransport,
  messageIdFor,
  type EmailClient,
  type EmailConfig,
} from './outbound.ts';
