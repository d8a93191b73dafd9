// Every command answers with a result value, never a thrown error: a thrown error does not survive Electron's
// structured clone or a WebSocket frame with its `code`, and the UI must branch on the code to show an error
// where it happened, in words a user can act on.

/**
 * The stable error codes of the contract. A UI branches on these, never on the message.
 *
 * - `unavailable`: the backend of this command is not built yet (`missing` names it); the UI shows an honest
 *   "arrives with …" state.
 * - `invalid_params`: the parameters do not fit the command (`issues` lists each field).
 * - `not_found`: the call, profile or run named does not exist.
 * - `unknown_command`: the command name is not in this version of the contract.
 * - `bad_message`: the envelope could not be read (not JSON, too large, wrong shape).
 * - `store_failed`: the call database refused the operation (the message says which file and what to do).
 * - `forbidden`: the request came from somewhere the shell does not trust.
 * - `busy`: the host is already doing this and does it once at a time (a check run); the message says what.
 * - `internal`: a bug; the message says so and the host log has the detail.
 */
export type ApiErrorCode =
  | 'unavailable'
  | 'invalid_params'
  | 'not_found'
  | 'unknown_command'
  | 'bad_message'
  | 'store_failed'
  | 'forbidden'
  | 'busy'
  | 'internal';

export interface ApiIssue {
  /** A dotted path into the parameters, e.g. `filter.end_date_from`; empty for the whole value. */
  readonly path: string;
  readonly message: string;
}

export interface ApiError {
  readonly code: ApiErrorCode;
  /** A sentence for the user: what happened and what to do. Never a secret. */
  readonly message: string;
  /** For `unavailable`: the part of Trunkline that is missing, e.g. `softphone user agent (sip-core/src/ua)`. */
  readonly missing?: string;
  /** For `invalid_params`: every problem, each with its field. */
  readonly issues?: readonly ApiIssue[];
}

export type ApiResult<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiError };
