// Errors carry a stable `code` a caller can branch on (the habit of ws and undici), and a message written for
// the person who has to act on it.

export class TrunklineError extends Error {
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** The message of any thrown value, for logs and events (never the value itself: it might hold a secret). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : 'unknown error';
}

/**
 * `error` itself when it is an `Error`, otherwise an `Error` whose message is `describeError(error)`: for an
 * `'error'` event or a rejection, which must carry an `Error`, when what was thrown might be anything. A thrown
 * non-string is not turned into text (it might hold a secret), as in `describeError`.
 */
export function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(describeError(error));
}
