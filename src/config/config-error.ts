import type { z } from 'zod';

/**
 * A configuration mistake the operator must fix. Its message is one paragraph that names
 * the variable or file path and what is expected; the process prints it and exits with 2.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(message: string) {
    super(message);
  }
}

/** `['categories', 1, 'tiers', 0, 'group']` → `categories[1].tiers[0].group` */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** One line per zod issue, each prefixed by where it happened. */
export function describeIssues(issues: ReadonlyArray<z.core.$ZodIssue>, prefix = ''): string[] {
  return issues.map((issue) => {
    const where = formatPath(issue.path);
    const label = [prefix, where].filter(Boolean).join(prefix && where ? ': ' : '');
    return `${label || '(top level)'}: ${issue.message}`;
  });
}
