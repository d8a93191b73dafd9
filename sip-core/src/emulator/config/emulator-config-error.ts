import { TrunklineError } from '../../common/errors.js';
import type { ConfigIssue } from '../../policy/index.js';

/** Lines of the form `path: message`, one per problem. */
export function formatConfigIssues(issues: readonly ConfigIssue[]): string {
  return issues.map((issue) => `${issue.path || '(file)'}: ${issue.message}`).join('\n');
}

/** The config file cannot be used; `issues` lists every problem found, each with its field path. */
export class EmulatorConfigError extends TrunklineError {
  readonly issues: readonly ConfigIssue[];

  constructor(source: string, issues: readonly ConfigIssue[]) {
    super(
      'EMULATOR_CONFIG_INVALID',
      `The emulator configuration ${source} has ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n` +
        formatConfigIssues(issues),
    );
    this.issues = issues;
  }
}
