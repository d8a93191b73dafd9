// The headers that make the emulator look like Zentrunk on the wire (BEHAVIOUR.md §3, §4.4, §5.2, §9, §20): the
// product tag on everything it sends, the capabilities of Plivo's documented traces on 200 OK and INVITEs, the
// hangup-code headers on final errors and on the BYEs it originates. Header values only; the call code decides
// where they go.

import {
  allowHeaderValue,
  hangupCodeHeaders,
  lookupHangupCode,
  type HangupCause,
  type PolicySettings,
} from '../../policy/index.js';

export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** §9: `User-Agent: Zentrunk` on requests and responses Plivo sends. */
export const USER_AGENT: readonly [string, string] = ['User-Agent', 'Zentrunk'];

/** §3, §9: what Zentrunk's traces advertise. */
export const SUPPORTED_VALUE = 'timer, path, replaces';

/** §4.4: the Allow-Events of Zentrunk's 200 OK to an outbound INVITE. */
const OK_ALLOW_EVENTS =
  'talk, hold, conference, presence, as-feature-event, dialog, line-seize, call-info, sla, ' +
  'include-session-description, presence.winfo, message-summary, refer';

/** §5.2: the Allow-Events of Zentrunk's INVITE to a PBX. */
const INVITE_ALLOW_EVENTS = 'talk, hold, conference, refer';

/**
 * The headers of the 200 OK (and 183) to an outbound INVITE (§4.4), before the decision's own
 * (`X-Plivo-Stir-Verification`). `callerId` is the caller ID the policy read, shown in Remote-Party-ID.
 */
export function answerHeaders(settings: PolicySettings, callerId: string, host: string): HeaderList {
  return [
    ['Supported', SUPPORTED_VALUE],
    ['Allow-Events', OK_ALLOW_EVENTS],
    ['Content-Disposition', 'session'],
    ['Remote-Party-ID', `"${callerId}" <sip:${callerId}@${host}>;party=calling;privacy=off;screen=no`],
    USER_AGENT,
    ['Accept', 'application/sdp'],
    ['Allow', allowHeaderValue(settings.allowHeader)],
  ];
}

/** The capability headers of an INVITE the emulator sends to a PBX (§5.2). */
export function inviteHeaders(settings: PolicySettings): HeaderList {
  return [
    ['Supported', SUPPORTED_VALUE],
    ['Allow-Events', INVITE_ALLOW_EVENTS],
    ['Content-Disposition', 'session'],
    USER_AGENT,
    ['Accept', 'application/sdp'],
    ['Allow', allowHeaderValue(settings.allowHeader)],
  ];
}

/**
 * `X-ZT-Hangup-Code` and `Reason` for a BYE or final response the emulator originates (§20 "Hangup code header"),
 * when the setting is on. The Reason cause is the SIP status that led to the end: the response's status, else the
 * catalogue's status for the code, else 200 (a normal end) — 3020's documented "SIP code 0" is kept as 0.
 */
export function hangupHeaders(
  cause: HangupCause,
  settings: PolicySettings,
  sipStatus?: number,
): Array<readonly [string, string]> {
  if (!settings.hangupCodeHeaders) return [];
  const status = sipStatus ?? lookupHangupCode(cause.code)?.sipStatus ?? (cause.code === 3020 ? 0 : 200);
  return hangupCodeHeaders(cause.code, status, cause.causeName).map((h) => [h.name, h.value] as const);
}
