import type { z } from 'zod';
import type { ConfigIssue } from './config-error.ts';
import { positionOf, positionOfKey, type ParsedYaml } from './yaml-positions.ts';

type Path = Array<string | number>;

function reason(issue: z.core.$ZodIssue, yaml: ParsedYaml, path: Path): string {
  if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message))
    return `missing: expected ${issue.expected}`;
  const options = (issue as { options?: unknown }).options;
  if (issue.code === 'invalid_union' && 'discriminator' in issue && Array.isArray(options)) {
    const value = yaml.doc.getIn(path);
    return (
      `unknown ${issue.discriminator === 'do' ? 'action' : issue.discriminator} ${JSON.stringify(value)}; expected ` +
      `one of: ${options.join(', ')}`
    );
  }
  return issue.message;
}

/**
 * zod issues → located config issues. `file` names the file the paths are in; without it, each path starts with the
 * file name.
 */
export function locateZodIssues(
  issues: readonly z.core.$ZodIssue[],
  yamlOf: (file: string) => ParsedYaml | undefined,
  file?: string,
): ConfigIssue[] {
  return issues.flatMap((issue): ConfigIssue[] => {
    const full = issue.path as Path;
    const name = file ?? String(full[0]);
    const path = file ? full : full.slice(1);
    const yaml = yamlOf(name);
    if (!yaml) return [{ file: name, line: 1, column: 1, path: path.join('.'), message: issue.message }];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        file: name,
        ...positionOfKey(yaml, path, key),
        path: [...path, key].join('.'),
        message: `unknown key "${key}"`,
      }));
    }
    return [{ file: name, ...positionOf(yaml, path), path: path.join('.'), message: reason(issue, yaml, path) }];
  });
}
