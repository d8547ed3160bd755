import express, { type NextFunction, type Request, type Response } from 'express';

/** Admin bodies are small JSON documents; a simulated vendor payload is the largest. */
export const ADMIN_MAX_BODY_BYTES = 256 * 1024;

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);
const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/**
 * 415 for a body that is not JSON (an empty one is fine), then parse it with the admin limit.
 * Bodies are not decompressed (`inflate: false`): admin documents are small, and a compressed
 * one is refused 415 before a byte is inflated, rather than a malformed stream failing mid-parse.
 */
export function jsonBody() {
  const parse = express.json({ limit: ADMIN_MAX_BODY_BYTES, inflate: false });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (WITH_BODY.has(req.method) && hasBody(req) && !req.is('application/json')) {
      res.status(415).json({ error: 'unsupported_media_type', expected: 'application/json' });
      return;
    }
    parse(req, res, next);
  };
}

interface BodyError {
  type?: string;
  status?: number;
  encoding?: string;
}

/**
 * body-parser's errors answered here, before the app's generic handler: each a 4xx naming what is
 * wrong, never a 500. Anything body-parser marks as the client's fault (a 4xx status) and that is
 * not named below still gets its own status.
 */
export function bodyErrors(err: BodyError, _req: Request, res: Response, next: NextFunction): void {
  switch (err.type) {
    case 'entity.too.large':
      return void res.status(413).json({ error: 'payload_too_large', limitBytes: ADMIN_MAX_BODY_BYTES });
    case 'entity.parse.failed':
      return void res.status(400).json({ error: 'invalid_json', message: 'body is not valid JSON' });
    case 'encoding.unsupported':
      return void res.status(415).json({
        error: 'unsupported_content_encoding',
        encoding: err.encoding ?? 'unknown',
        expected: 'identity (send admin bodies uncompressed)',
      });
    case 'charset.unsupported':
      return void res
        .status(415)
        .json({ error: 'unsupported_media_type', expected: 'application/json; charset=utf-8' });
    case 'request.aborted':
    case 'request.size.invalid':
      return void res.status(400).json({ error: 'bad_request', message: err.type });
    default:
      if (err.status !== undefined && err.status >= 400 && err.status < 500)
        return void res.status(err.status).json({ error: 'bad_request', message: err.type ?? 'unreadable body' });
      next(err);
  }
}
