// Responses that parse but must be discarded (RFC 3261 §8.1.3.3 for a UAC, §16.7 for a proxy; RFC 4475 §3.3.10).

import { isBroadcastOrMulticast } from './ip-address.js';
import type { SipResponse } from './sip-response.js';

export interface ResponseDrop {
  readonly action: 'drop';
  /** A stable identifier of the rule. */
  readonly code: string;
  readonly reason: string;
}

/**
 * Whether a response must be dropped by a UAC or a proxy, and why. A UAC discards a response with more than
 * one Via (it was not meant for it, §8.1.3.3). A proxy, which will forward the response to the next Via after
 * removing its own, drops it when that Via points at a broadcast or multicast address (RFC 4475 `bcast`).
 */
export function checkResponseAcceptability(
  response: SipResponse,
  options: { readonly role: 'uac' | 'proxy' },
): ResponseDrop | undefined {
  const vias = response.vias;
  if (vias.length === 0) return { action: 'drop', code: 'no-via', reason: 'The response has no Via.' };
  if (options.role === 'uac') {
    return vias.length > 1
      ? { action: 'drop', code: 'extra-via', reason: 'A UAC expects exactly one Via in a response.' }
      : undefined;
  }
  const next = vias[1];
  if (next === undefined)
    return { action: 'drop', code: 'no-next-via', reason: 'No Via to forward the response to.' };
  const target = next.maddr ?? next.received ?? next.host;
  return isBroadcastOrMulticast(target)
    ? {
        action: 'drop',
        code: 'broadcast-via',
        reason: 'The next Via points at a broadcast or multicast address.',
      }
    : undefined;
}
