// Configuration errors are reported whole: a user fixing an account file wants every problem at once, each with
// the path of the field, not one error per attempt.

import type { z } from 'zod';
import { TrunklineError } from '../common/errors.js';

/** One problem in a configuration, with the dotted path of the field (`trunks[1].ipacl_uuid`). */
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

export type ConfigResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

/** Thrown by the throwing variants of the config parsers; `issues` holds every problem found. */
export class PolicyConfigError extends TrunklineError {
  readonly issues: readonly ConfigIssue[];

  constructor(what: string, issues: readonly ConfigIssue[]) {
    const first = issues.slice(0, 3).map((i) => `${i.path || '(root)'}: ${i.message}`);
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    super('POLICY_CONFIG_INVALID', `The ${what} is invalid — ${first.join('; ')}${more}.`);
    this.issues = issues;
  }
}

/** Formats a zod path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * Converts zod issues to config issues. Messages are zod's own or the schema's, which never quote the input
 * value, so a mistyped password does not end up in an error message.
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[]): ConfigIssue[] {
  return issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message }));
}
