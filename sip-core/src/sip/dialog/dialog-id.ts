// The dialog identifier of RFC 3261 §12: Call-ID, local tag and remote tag. Each side sees the tags the other
// way round, so the helpers take the point of view (what we sent vs what we received) explicitly.

import type { SipRequest, SipResponse } from '../message/index.js';

export interface DialogId {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag: string;
}

/** A string key for maps: equal exactly when the three parts are equal (tags compare case-sensitively, §19.3). */
export function dialogKey(id: DialogId): string {
  return `${id.callId}\n${id.localTag}\n${id.remoteTag}`;
}

/**
 * The id of the dialog an incoming request belongs to (§12.2.2): local tag = To tag, remote tag = From tag.
 * Undefined for a request outside a dialog (no To tag).
 */
export function dialogIdOfIncomingRequest(request: SipRequest): DialogId | undefined {
  const callId = request.callId;
  const localTag = request.to?.tag;
  const remoteTag = request.from?.tag;
  if (callId === undefined || localTag === undefined || remoteTag === undefined) return undefined;
  return { callId, localTag, remoteTag };
}

/** The id of the dialog a response to our request creates or belongs to (§12.1.2): local = From tag, remote = To tag. */
export function dialogIdOfResponse(response: SipResponse): DialogId | undefined {
  const callId = response.callId;
  const localTag = response.from?.tag;
  const remoteTag = response.to?.tag;
  if (callId === undefined || localTag === undefined || remoteTag === undefined) return undefined;
  return { callId, localTag, remoteTag };
}
