// Transaction matching keys (RFC 3261 §17.1.3, §17.2.3, §9.2). Two messages belong to the same transaction
// exactly when their keys are equal, so the transaction layer can keep its transactions in a Map.
//
// Server side, RFC 3261 requests (top Via branch starts with z9hG4bK):
//     branch | sent-by | method          (ACK uses INVITE: it belongs to the INVITE server transaction)
// Server side, RFC 2543 requests (no magic cookie):
//     2543 | method | Request-URI | From tag | Call-ID | CSeq number | top Via
// Client side (a response, or the request it answers):
//     branch | CSeq method               (the branch is ours, so sent-by is not needed)
//
// Branches and hosts are compared case-insensitively: they are tokens (RFC 3261 §7.3.1).

import type { SipMessage } from './sip-message.js';
import type { SipRequest } from './sip-request.js';
import type { Via } from './via.js';

/**
 * The key of the server transaction a request belongs to (§17.2.3). ACK maps to the INVITE transaction: that
 * matches the ACK for a non-2xx response, while the ACK for a 2xx carries a new branch and matches nothing
 * (it goes to the TU). CANCEL is a transaction of its own; see `cancelTargetKey` for the INVITE it cancels.
 * Undefined when the request has no Via (it cannot be answered) or, for RFC 2543 matching, no CSeq.
 */
export function serverTransactionKey(request: SipRequest): string | undefined {
  const method = request.method === 'ACK' ? 'INVITE' : request.method;
  return serverKey(request, method);
}

/**
 * The key of the server transaction a CANCEL refers to: the same as the cancelled request's, with method
 * INVITE (§9.2 — CANCEL is meaningful for INVITE only). Undefined when the request is not a CANCEL.
 */
export function cancelTargetKey(cancel: SipRequest): string | undefined {
  return cancel.method === 'CANCEL' ? serverKey(cancel, 'INVITE') : undefined;
}

/**
 * The key of the client transaction a message belongs to (§17.1.3): for a response, its top Via branch and
 * CSeq method; for a request we send, its top Via branch and method (ACK → INVITE, as it is part of the
 * INVITE client transaction for non-2xx responses).
 */
export function clientTransactionKey(message: SipMessage): string | undefined {
  const branch = message.topVia?.branch;
  if (branch === undefined) return undefined;
  let method: string | undefined;
  if (message.isRequest()) method = message.method === 'ACK' ? 'INVITE' : message.method;
  else method = message.cseq?.method;
  return method === undefined ? undefined : `${branch.toLowerCase()}|${method}`;
}

/** Whether a branch was built by an RFC 3261 element: the magic cookie and something after it (RFC 4475 `badbranch`). */
export function isRfc3261Branch(branch: string | undefined): boolean {
  return branch !== undefined && branch.length > 7 && branch.startsWith('z9hG4bK');
}

function serverKey(request: SipRequest, method: string): string | undefined {
  const via = request.topVia;
  if (via === undefined) return undefined;
  if (isRfc3261Branch(via.branch)) {
    // `join` writes one flat string. A template literal here is a tree of V8 cons strings (a node per piece),
    // and a server transaction keeps its key for 64·T1: the tree was about 0.3 KB of every call (docs/adr/0162).
    return [via.branch!.toLowerCase(), sentByKey(via), method].join('|');
  }
  return rfc2543Key(request, via, method);
}

function sentByKey(via: Via): string {
  return via.port === undefined ? via.host.toLowerCase() : `${via.host.toLowerCase()}:${via.port}`;
}

/**
 * RFC 3261 §17.2.3, last paragraphs: without the magic cookie, a request matches on Request-URI, From tag,
 * Call-ID, CSeq number and the top Via. The To tag is left out of the key because the ACK for a non-2xx carries
 * the tag of our response while the INVITE had none; a transaction layer that wants the full RFC 2543 check
 * compares the ACK's To tag with the one it sent. The top Via is compared as a whole except for `received`
 * and `rport`, which the receiving transport may have stamped on it (RFC 3261 §18.2.1, RFC 3581).
 */
function rfc2543Key(request: SipRequest, via: Via, method: string): string | undefined {
  const cseq = request.cseq;
  const callId = request.callId;
  if (cseq === undefined || callId === undefined) return undefined;
  const fromTag = request.from?.tag ?? '';
  let viaKey = `${via.transport.toUpperCase()} ${sentByKey(via)}`;
  for (const [name, value] of via.params) {
    const lower = name.toLowerCase();
    if (lower !== 'received' && lower !== 'rport') viaKey += `;${lower}=${value ?? ''}`;
  }
  return `2543|${method}|${request.requestUriText}|${fromTag}|${callId}|${cseq.seq}|${viaKey}`;
}
