import { templateKey, type Register, type TemplateSet } from './compile-templates.ts';
import { TemplateError } from './template-error.ts';

/**
 * Renders a loaded template: pure but for the clock a template may read through `"now" | date`.
 * The output is plain text; runs of blank lines that tags leave behind are collapsed.
 */
export function renderTemplate(set: TemplateSet, name: string, register: Register, vars: Readonly<Record<string, unknown>>): string {
  const entry = set.templates.get(templateKey(register, name));
  if (!entry) throw new TemplateError('TEMPLATE_MISSING', `no template ${register}/${name}`);
  let text: string;
  try {
    text = set.liquid.renderSync(entry.template, vars) as string;
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new TemplateError('TEMPLATE_RENDER', `${entry.file}: ${reason}`, { file: entry.file }, err);
  }
  return text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
}

export function hasTemplate(set: TemplateSet, name: string, register: Register): boolean {
  return set.templates.has(templateKey(register, name));
}
