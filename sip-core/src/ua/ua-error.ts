// Errors of the softphone user agent: a stable `code` to branch on and a message the user can act on. Messages
// never carry a password, a digest response or key material.

import { TrunklineError } from '../common/errors.js';

export type UaErrorCode =
  /** The trunk profile failed validation; `issues` names every field. */
  | 'UA_PROFILE_INVALID'
  /** A file the profile names (CA bundle, certificate, key) could not be read. */
  | 'UA_PROFILE_FILE'
  /** The user agent is not started, or already stopped. */
  | 'UA_NOT_RUNNING'
  /** The call is not in a state that allows the operation (hold before answer, cancel after answer…). */
  | 'UA_CALL_STATE'
  /** DTMF was asked for but the peer did not negotiate telephone-event (RFC 4733 only: no INFO). */
  | 'UA_DTMF_UNAVAILABLE'
  /** A transfer could not be started (no dialog, target not usable). */
  | 'UA_TRANSFER_INVALID'
  /** The number dialled cannot be made into a Request-URI. */
  | 'UA_NUMBER_INVALID'
  /** An OPTIONS ping inside 15 s of the previous one (Zentrunk may block faster pings, BEHAVIOUR.md §11). */
  | 'UA_OPTIONS_RATE_LIMITED';

export class UaError extends TrunklineError {
  declare readonly code: UaErrorCode;

  constructor(code: UaErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/** One problem in a trunk profile: the dotted path of the field and what is wrong with it. */
export interface ProfileIssue {
  readonly path: string;
  readonly message: string;
}

/** A trunk profile that failed validation; `issues` has every problem at once, each naming its field. */
export class TrunkProfileError extends UaError {
  readonly issues: readonly ProfileIssue[];

  constructor(issues: readonly ProfileIssue[]) {
    const first = issues.slice(0, 3).map((i) => `${i.path || '(profile)'}: ${i.message}`);
    const more = issues.length > 3 ? ` (and ${issues.length - 3} more)` : '';
    super('UA_PROFILE_INVALID', `The trunk profile is invalid — ${first.join('; ')}${more}.`);
    this.issues = issues;
  }
}
