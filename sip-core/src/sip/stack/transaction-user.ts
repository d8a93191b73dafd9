// The interface between the stack and its transaction user (RFC 3261 §17: "TU"): the emulator's call handling,
// a test UAS or UAC. The stack calls these from its receive path; a TU that throws is isolated (the stack counts
// the failure and carries on), so one bad handler never stops the endpoint.

import type { SipRequest, SipResponse } from '../message/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../transaction/index.js';
import type { ReceivedMessageContext } from '../transport/index.js';

export interface TransactionUser {
  /**
   * A new request (not ACK, not CANCEL) with its server transaction: answer through
   * `transaction.respond(response)`. Retransmissions never reach here; the transaction absorbs them.
   */
  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void;
  /**
   * An ACK that belongs to no server transaction: the ACK for a 2xx (RFC 3261 §13.3.1.4, §17.2.3), or one that
   * reached an INVITE server transaction in Accepted (RFC 6026 §7.1). Without this handler the ACK is dropped.
   */
  onAck?(ack: SipRequest, context: ReceivedMessageContext): void;
  /**
   * A CANCEL matched a pending INVITE (RFC 3261 §9.2). The stack has answered the CANCEL with 200 already; the TU
   * decides what happens to the INVITE (normally 487 Request Terminated). Without this handler the stack answers
   * the INVITE with 487 itself.
   */
  onCancel?(invite: InviteServerTransaction, cancel: SipRequest, context: ReceivedMessageContext): void;
  /**
   * A 2xx to an INVITE that matches no client transaction any more: a retransmission after the transaction ended,
   * or a late fork. The dialog layer re-sends its ACK (RFC 3261 §13.2.2.4). Other stray responses are dropped
   * with a trace record.
   */
  onStrayResponse?(response: SipResponse, context: ReceivedMessageContext): void;
}
