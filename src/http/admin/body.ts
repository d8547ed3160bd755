import express, { type NextFunction, type Request, type Response } from 'express';

/** Admin bodies are small JSON documents; a simulated vendor payload is the largest. */
export const ADMIN_MAX_BODY_BYTES = 256 * 1024;

const hasBody = (req: Request) =>
  req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;

/** 415 for a POST body that is not JSON (an empty POST is fine), then parse it with the admin limit. */
export function jsonBody() {
  const parse = express.json({ limit: ADMIN_MAX_BODY_BYTES });
  return (req: Request, res: Response, next: NextFunction): void => {
    if (req.method === 'POST' && hasBody(req) && !req.is('application/json')) {
      res.status(415).json({ error: 'unsupported_media_type', expected: 'application/json' });
      return;
    }
    parse(req, res, next);
  };
}

interface BodyError { type?: string }

/** body-parser's errors answered here, with the admin limit, before the app's generic handler. */
export function bodyErrors(err: BodyError, _req: Request, res: Response, next: NextFunction): void {
  switch (err.type) {
    case 'entity.too.large':
      return void res.status(413).json({ error: 'payload_too_large', limitBytes: ADMIN_MAX_BODY_BYTES });
    case 'entity.parse.failed':
      return void res.status(400).json({ error: 'invalid_json', message: 'body is not valid JSON' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return void res.status(415).json({ error: 'unsupported_media_type', expected: 'application/json; charset=utf-8' });
    default:
      next(err);
  }
}
