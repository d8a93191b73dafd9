// A final response the emulator has built but holds back until its call's CDR is committed: the 200 to the
// customer's BYE (docs/adr/0150). A PBX that received that 200 must find the call's CDR, even when the emulator
// is killed the moment after; so the response goes to the transport only once the record is in the store.
//
//   built ─► serialised, recorded in the call's trace as sent (stamped when queued) ─► CDR committed ─► send()
//
// Until `send`, the server transaction stays in Trying: a retransmitted request is absorbed without an answer
// (RFC 3261 §17.2.2), and retransmissions after `send` get the same response again from the transaction. The bytes
// recorded in the trace are the bytes the transaction sends: the response is serialised once, and the trace
// collector knows those bytes when the transport publishes them (it has their record already).

import type { Clock } from '../../common/clock.js';
import { serializeSipMessage, type SipResponse } from '../../sip/message/index.js';
import { responseRoute } from '../../sip/stack/index.js';
import type { ServerTransaction } from '../../sip/transaction/index.js';
import type { ReceivedMessageContext, SocketAddress } from '../../sip/transport/index.js';
import type { QueuedMessageRecord } from '../cdr/index.js';

export class HeldResponse {
  readonly #transaction: ServerTransaction;
  readonly #response: SipResponse;
  readonly #context: ReceivedMessageContext;
  /** The response's wire bytes, made by the first `queuedRecord`. */
  #bytes: Uint8Array | undefined;

  constructor(transaction: ServerTransaction, response: SipResponse, context: ReceivedMessageContext) {
    this.#transaction = transaction;
    this.#response = response;
    this.#context = context;
  }

  /** The response as the transport will record it, stamped now: for the call's trace before the commit. */
  queuedRecord(clock: Pick<Clock, 'now' | 'wallNow'>): { record: QueuedMessageRecord; message: SipResponse } {
    const context = this.#context;
    const record: QueuedMessageRecord = {
      transport: context.transport,
      local: context.local,
      remote: this.#remote(),
      ...(context.connectionId !== undefined ? { connectionId: context.connectionId } : {}),
      bytes: (this.#bytes ??= serializeSipMessage(this.#response)),
      wallTimeMs: clock.wallNow(),
      monotonicTimeMs: clock.now(),
    };
    return { record, message: this.#response };
  }

  /**
   * Hands the response to its transaction. Throws only when the transaction is gone (the stack closed, or the
   * request was answered already); the caller reports it.
   */
  send(): void {
    this.#transaction.respond(this.#response, this.#bytes);
  }

  /**
   * Where the transport will send it (RFC 3261 §18.2.2, RFC 3581 §4): over a stream, the connection the request
   * came on; over UDP, the address of the stamped Via, which by then is an IP literal (`received` is added
   * whenever the sent-by host differs from the packet's source).
   */
  #remote(): SocketAddress {
    const context = this.#context;
    const via = this.#response.topVia;
    if (context.transport !== 'udp' || via === undefined) return context.remote;
    const { destination } = responseRoute(via, context);
    const host = destination.host;
    const address = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    return { address, port: destination.port };
  }
}
