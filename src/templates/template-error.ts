/** One error type for templates, with a stable code; `file` and `line` point an admin at the fault. */
export type TemplateErrorCode = 'TEMPLATE_PARSE' | 'TEMPLATE_MISSING' | 'TEMPLATE_RENDER';

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
  readonly code: TemplateErrorCode;
  readonly file?: string;
  readonly line?: number;

  constructor(code: TemplateErrorCode, message: string, where: { file?: string; line?: number } = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    if (where.file !== undefined) this.file = where.file;
    if (where.line !== undefined) this.line = where.line;
  }
}
