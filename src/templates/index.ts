export {
  compileTemplates,
  REGISTERS,
  REQUIRED_TEMPLATES,
  type Register,
  type TemplateSet,
  type TemplateSource,
} from './compile-templates.ts';
export { loadTemplates } from './load-templates.ts';
export { OUTPUT_TARGETS, type OutputTarget } from './output-targets.ts';
export { hasTemplate, renderTemplate } from './render-template.ts';
export { TemplateError, type TemplateErrorCode } from './template-error.ts';
