/**
 * Loads one of the console's own stylesheets once, if index.html does not link it already. A
 * `<link>` to the same origin is what the strict CSP (`style-src 'self'`) allows; no inline style.
 */
export function ensureStylesheet(href) {
  if (document.querySelector(`link[rel="stylesheet"][href="${href}"]`)) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = href;
  document.head.append(link);
}
