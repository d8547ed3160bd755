import { pino, type Logger, type LoggerOptions } from 'pino';

/**
 * Paths pino blanks out wherever they appear. Webhook headers carry signatures, connector
 * options carry tokens and passwords; none of them may reach a log line.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-hub-signature"]',
  'req.headers["x-mim-signature"]',
  'req.headers["x-pagerduty-signature"]',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'apiToken',
  '*.apiToken',
  'secret',
  '*.secret',
  'secrets',
  '*.secrets',
  'routingKey',
  '*.routingKey',
  'routing_key',
  '*.routing_key',
  'redisUrl',
  '*.redisUrl',
];

export function createLogger(level = 'info', options: LoggerOptions = {}, stream?: pino.DestinationStream): Logger {
  const opts: LoggerOptions = {
    level,
    base: { service: 'mim-bridge' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    ...options,
  };
  return stream ? pino(opts, stream) : pino(opts);
}

export type { Logger };
