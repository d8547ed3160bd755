import path from 'node:path';

/** One problem in the config directory, located as an editor shows it. */
export interface ConfigIssue {
  /** Relative to the config directory: `rules.yaml`, `templates/business/declared.liquid`. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  /** Dotted path inside the file, `rules.2.when`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
}

/** `config/rules.yaml:12:9 rules.2.when: <reason>`: the form compilers use, so editors and CI link to it. */
export function formatIssue(issue: ConfigIssue, dir = ''): string {
  return (
    `${dir ? path.join(dir, issue.file) : issue.file}:${issue.line}:${issue.column} ${issue.path || '(file)'}: ` +
    `${issue.message}`
  );
}

const byPosition = (a: ConfigIssue, b: ConfigIssue) =>
  a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column;

/** An invalid config directory: every problem at once, sorted by file and position. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly dir: string;
  readonly issues: readonly ConfigIssue[];

  constructor(dir: string, issues: readonly ConfigIssue[]) {
    const sorted = [...issues].sort(byPosition);
    super(
      `invalid config in ${dir} (${sorted.length} ` +
        `problem${sorted.length === 1 ? '' : 's'}):\n${sorted.map((i) => formatIssue(i, dir)).join('\n')}`,
    );
    this.name = 'ConfigError';
    this.dir = dir;
    this.issues = sorted;
  }

  /** One line per problem, `file:line:col path: reason`. */
  lines(): string[] {
    return this.issues.map((i) => formatIssue(i, this.dir));
  }
}
