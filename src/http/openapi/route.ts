import type { Request, Response } from 'express';
import { openApiDocument } from './document.ts';

/**
 * `GET /openapi.json`, public on purpose: it describes the endpoints and their schemas, and
 * exposes no data, no token and no configuration (which tokens or vendors are set up is not in it).
 * Built once, on first use: the operations are fixed at start-up.
 */
export function openApiRoute() {
  let body: string | undefined;
  return (_req: Request, res: Response): void => {
    body ??= JSON.stringify(openApiDocument());
    res.type('application/json').send(body);
  };
}
