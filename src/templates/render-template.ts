import { templateKey, type Register, type TemplateSet } from './compile-templates.ts';
import type { OutputTarget } from './output-targets.ts';
import { TemplateError } from './template-error.ts';

/**
 * Renders a loaded template for where it lands: pure but for the clock a template may read
 * through `"now" | date`. Every value printed is escaped for `target` (output-targets.ts), so the
 * result is that target's markup: plain text for `text`, mrkdwn for `slack`, Adaptive Card
 * Markdown for `teams`. Runs of blank lines that tags leave behind are collapsed.
 */
export function renderTemplate(
  set: TemplateSet,
  name: string,
  register: Register,
  vars: Readonly<Record<string, unknown>>,
  target: OutputTarget,
): string {
  const entry = set.templates.get(templateKey(register, name));
  if (!entry) throw new TemplateError('TEMPLATE_MISSING', `no template ${register}/${name}`);
  let text: string;
  try {
    text = set.engines[target].renderSync(entry.byTarget[target], vars) as string;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TemplateError('TEMPLATE_RENDER', `${entry.file}: ${reason}`, { file: entry.file }, err);
  }
  return text
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function hasTemplate(set: TemplateSet, name: string, register: Register): boolean {
  return set.templates.has(templateKey(register, name));
}
