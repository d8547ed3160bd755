import { createHash } from 'node:crypto';
import { Liquid } from 'liquidjs';
import type { PublicStatus } from '../../orchestrator/public-status.ts';

/**
 * The status page: static HTML, no script, one inline stylesheet allowed by its hash in the CSP.
 * Rendered by liquidjs with every printed value HTML-escaped (`outputEscape: 'escape'`), so a
 * title such as `<script>` shows as text. The template is ours, never an admin's.
 */

const CSS = `body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:48rem;padding:1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin:0}article{border-left:4px solid #c62828;padding:.5rem 1rem;margin:1rem 0;background:#fafafa}
.meta{color:#555;font-size:.9rem}li{white-space:pre-line;margin:.5rem 0}time{font-weight:600}.ok{border-left:4px solid #2e7d32;padding:.5rem 1rem}`;

export const STATUS_CSS_HASH = `sha256-${createHash('sha256').update(CSS).digest('base64')}`;

const TEMPLATE = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }}</title>
<link rel="alternate" type="application/atom+xml" href="/status.atom" title="{{ title }} (Atom)">
<link rel="alternate" type="application/feed+json" href="/status.json" title="{{ title }} (JSON Feed)">
<style>{{ css | raw }}</style>
</head>
<body>
<h1>{{ title }}</h1>
<p class="meta">As of <time datetime="{{ generatedAt }}">{{ generatedAt | date: "%Y-%m-%d %H:%M UTC" }}</time>. Feeds: <a href="/status.atom">Atom</a>, <a href="/status.json">JSON</a>.</p>
{%- if incidents.size == 0 %}
<p class="ok" id="all-clear">No major incidents right now.</p>
{%- endif %}
{%- for i in incidents %}
<article id="mi-{{ i.id }}">
<h2>{{ i.service }}: {{ i.title }}</h2>
<p class="meta">Started <time datetime="{{ i.startedAt }}">{{ i.startedAt | date: "%Y-%m-%d %H:%M UTC" }}</time></p>
{%- if i.updates.size == 0 %}
<p>We are working on it. Updates will follow here.</p>
{%- else %}
<ol reversed>
{%- for u in i.updates %}
<li><time datetime="{{ u.at }}">{{ u.at | date: "%Y-%m-%d %H:%M UTC" }}</time>: {{ u.text }}</li>
{%- endfor %}
</ol>
{%- endif %}
</article>
{%- endfor %}
</body>
</html>
`;

const liquid = new Liquid({
  outputEscape: 'escape',
  strictFilters: true,
  ownPropertyOnly: true,
  timezoneOffset: 0,
  templates: {},
});
const compiled = liquid.parse(TEMPLATE);

export function renderHtml(status: PublicStatus, title: string): string {
  return liquid.renderSync(compiled, { ...status, title, css: CSS }) as string;
}
