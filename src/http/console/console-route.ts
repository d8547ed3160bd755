import express, { type Router } from 'express';
import { fileURLToPath } from 'node:url';
import { EXACT_ROUTING } from '../admin/require-role.ts';

const STATIC_DIR = fileURLToPath(new URL('./static/', import.meta.url));

/**
 * The web console at /admin/ui: public static files only (HTML, ES modules, CSS), no data in
 * them. Every data call the page makes goes to the admin API with the operator's token, so the
 * console needs no authentication of its own and must be mounted before the admin router
 * (whose token check covers every other /admin path).
 */
export function consoleRouter(): Router {
  const router = express.Router(EXACT_ROUTING);
  router.use(
    '/admin/ui',
    (_req, res, next) => {
      // Only our own scripts and styles, and calls back to this origin: a pasted payload can never run.
      res.set({
        'content-security-policy':
          "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      });
      next();
    },
    express.static(STATIC_DIR, { index: 'index.html', redirect: true, dotfiles: 'ignore', fallthrough: true }),
  );
  return router;
}
