// A SIP response as a check's cause: the Zentrunk hangup code it carries (`X-ZT-Hangup-Code`, BEHAVIOUR.md §9,
// §20) looked up in policy's catalogue, with the catalogue's meaning and remedy. Without the header a status
// alone does not identify a cause (403 is 4180, 4190, 4560…), so the candidates are listed, marked inferred.

import { candidatesForSipStatus, lookupHangupCode, type HangupCauseEntry } from '../../policy/index.js';
import type { SipResponse } from '../../sip/message/index.js';
import type { CheckCause } from '../runner/check-definition.js';

export interface ResponseCause {
  readonly cause: CheckCause;
  /** The catalogue's remedy when the code is known. */
  readonly remedy?: string;
  readonly entry?: HangupCauseEntry;
}

export function hangupCodeOf(response: SipResponse): number | undefined {
  const value = response.headers.get('X-ZT-Hangup-Code')?.trim();
  return value !== undefined && /^\d{4}$/.test(value) ? Number(value) : undefined;
}

export function responseCause(response: SipResponse, context: string): ResponseCause {
  const status = response.statusCode;
  const line = `${status} ${response.reasonPhrase}`;
  const code = hangupCodeOf(response);
  const entry = code === undefined ? undefined : lookupHangupCode(code);
  if (entry !== undefined) {
    return {
      entry,
      cause: {
        summary: `${context}: ${line}, hangup code ${entry.code} ${entry.causeName} — ${entry.meaning}`,
        hangupCode: entry.code,
        hangupCauseName: entry.causeName,
        sipStatus: status,
      },
      remedy: entry.remedy,
    };
  }
  const candidates = candidatesForSipStatus(status).slice(0, 4);
  const guess =
    candidates.length === 0
      ? ''
      : ` (without X-ZT-Hangup-Code; it can mean ${candidates.map((c) => `${c.entry.code} ${c.entry.causeName}`).join(', ')})`;
  return { cause: { summary: `${context}: ${line}${guess}.`, sipStatus: status } };
}
