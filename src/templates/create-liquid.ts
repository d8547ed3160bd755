import { Liquid, Tag, type TagToken, type TopLevelToken } from 'liquidjs';

/** Admins edit templates: bound what one may cost (characters parsed, milliseconds and memory rendering). */
export const PARSE_LIMIT_CHARS = 100_000;
export const RENDER_LIMIT_MS = 1_000;
export const MEMORY_LIMIT = 10_000_000;

/**
 * The tags that read other files. Templates arrive through the admin API (`POST
 * /admin/rules/apply`), and liquidjs's default file system is the process's working directory:
 * `{% include 'package.json' %}` would put a file of the host into a Slack message. They are
 * refused when a template is parsed, so the config is rejected naming the file and line.
 * https://liquidjs.com/tags/include.html · https://liquidjs.com/tags/render.html ·
 * https://liquidjs.com/tags/layout.html
 */
export const FILE_TAGS = ['include', 'render', 'layout'] as const;

class FileTagRefused extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    throw new Error(`{% ${token.name} %} is not available: templates cannot read files, each template stands alone`);
  }
  render(): void {}
}

/** Output escaping: applied by liquidjs to every `{{ }}` and `{% echo %}` unless its last filter is `raw`. */
export type OutputEscape = (text: string) => string;

/** What Liquid prints for a value (its own rule: nil → empty, arrays joined), before escaping. */
function printed(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(printed).join('');
  return String(value);
}

/**
 * Choices: a missing variable renders empty (a half-filled update beats none during an
 * incident), an unknown filter fails at load, so a typo is caught by `rules check`/start-up
 * rather than mid-incident. https://liquidjs.com/tutorials/options.html
 */
export function createLiquid(escapeOutput?: OutputEscape): Liquid {
  const liquid = new Liquid({
    strictVariables: false,
    strictFilters: true,
    ownPropertyOnly: true,
    // Dates render in UTC unless a template says otherwise; the host's zone must not leak in.
    timezoneOffset: 0,
    parseLimit: PARSE_LIMIT_CHARS,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    // An empty in-memory file system in place of the working directory, should a file tag ever be reached.
    templates: {},
    ...(escapeOutput ? { outputEscape: (value: unknown) => escapeOutput(printed(value)) } : {}),
  });
  for (const name of FILE_TAGS) liquid.registerTag(name, FileTagRefused);
  return liquid;
}
