import type { CheckCause } from '../runner/check-definition.js';

/** A cause as one line of text: the summary, then `[4180 call_rejected_unauthorized]` when a code is known. */
export function formatCause(cause: CheckCause): string {
  const code =
    cause.hangupCode !== undefined
      ? ` [${cause.hangupCode} ${cause.hangupCauseName ?? ''}]`.replace(' ]', ']')
      : '';
  return `${cause.summary}${code}`;
}
