/** One problem in the config directory, located as an editor shows it. */
export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path inside the file: `rules.2.when`. */
  readonly path: string;
  readonly message: string;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    super(`invalid config:\n${issues.map(formatIssue).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export const formatIssue = (i: ConfigIssue) => `${i.file}:${i.line}:${i.column} ${i.path || '(root)'}: ${i.message}`;
