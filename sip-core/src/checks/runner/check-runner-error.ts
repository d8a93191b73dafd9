import { TrunklineError } from '../../common/errors.js';

export type CheckRunnerErrorCode =
  | 'CHECKS_DUPLICATE_ID'
  | 'CHECKS_UNKNOWN_DEPENDENCY'
  | 'CHECKS_DEPENDENCY_CYCLE'
  | 'CHECKS_UNKNOWN_CHECK'
  | 'CHECKS_TIMEOUT'
  | 'CHECKS_ABORTED';

/** A problem with the set of checks or the selection (a programming or usage error, not a check failing). */
export class CheckRunnerError extends TrunklineError {
  declare readonly code: CheckRunnerErrorCode;

  constructor(code: CheckRunnerErrorCode, message: string) {
    super(code, message);
  }
}
