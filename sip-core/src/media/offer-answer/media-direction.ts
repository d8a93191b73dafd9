import type { MediaDirection } from '../sdp/session-description.js';

// Direction arithmetic for offer/answer (RFC 3264 §6.1): the answer mirrors the offer (the offerer's sendonly is
// the answerer's recvonly), narrowed by what the answerer itself wants (a phone on hold answers sendonly even to a
// sendrecv offer).

const SENDS: Readonly<Record<MediaDirection, boolean>> = {
  sendrecv: true,
  sendonly: true,
  recvonly: false,
  inactive: false,
};
const RECEIVES: Readonly<Record<MediaDirection, boolean>> = {
  sendrecv: true,
  sendonly: false,
  recvonly: true,
  inactive: false,
};

function direction(sends: boolean, receives: boolean): MediaDirection {
  if (sends) return receives ? 'sendrecv' : 'sendonly';
  return receives ? 'recvonly' : 'inactive';
}

/** The other side's view of a direction: sendonly ↔ recvonly; sendrecv and inactive stay. */
export function mirrorDirection(value: MediaDirection): MediaDirection {
  return direction(RECEIVES[value], SENDS[value]);
}

/** What both directions allow. */
export function intersectDirections(a: MediaDirection, b: MediaDirection): MediaDirection {
  return direction(SENDS[a] && SENDS[b], RECEIVES[a] && RECEIVES[b]);
}

export function directionSends(value: MediaDirection): boolean {
  return SENDS[value];
}

export function directionReceives(value: MediaDirection): boolean {
  return RECEIVES[value];
}
