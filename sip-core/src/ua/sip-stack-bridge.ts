// sip.js over our SIP stack (ADR 0090). sip.js keeps what it does well — dialogs, sessions, offer/answer state,
// REFER, digest retries — and hands every message to its Transport as a string. This bridge is the other end of
// that Transport: it files each message with our transaction layer, which supplies everything sip.js lacks on an
// unreliable transport (RFC 3261 §17: request retransmission by Timers A/E, response replay for duplicate
// requests, the ACK for non-2xx responses and its replay), and connection reuse, `received`/`rport` and routing
// on every transport.
//
//   sip.js ──string──► fromSipJs ── request: strip sip.js's Via ──► stack.sendInvite / sendRequest / sendAck
//      ▲                          │                                  cancel (CANCEL) ── our Via, our branch
//      │                          └─ response: ──► the server transaction the request came in on (respond)
//      │
//      └── deliver ◄── responses: our Via swapped back for sip.js's (its branch, its viaHost, no port)
//                 ◄── requests the TU gets from the stack (after the inbound source check), as received
//
// sip.js's own transactions stay in the path but see a reliable, duplicate-free transport: retransmitted requests
// and responses are absorbed by ours, so its zero Timers D/I/J/K (its "reliable transport" assumption) are right.

import { describeError, toError } from '../common/errors.js';
import { TypedEmitter } from '../common/typed-emitter.js';
import type { Disposable } from '../common/disposable.js';
import {
  createResponse,
  generateTag,
  parseSipMessage,
  serializeSipMessage,
  SipResponse,
  type SipRequest,
  type Via,
} from '../sip/message/index.js';
import {
  defaultPortFor,
  destinationForUri,
  requestTargetUri,
  type SendRequestOptions,
  type SipStack,
  type TransactionUser,
} from '../sip/stack/index.js';
import {
  InviteClientTransaction,
  type ClientTransaction,
  type ClientTransactionEvents,
  type InviteServerTransaction,
  type ServerTransaction,
} from '../sip/transaction/index.js';
import type {
  ReceivedMessageContext,
  SipDestination,
  SipTransportProtocol,
  SocketAddress,
} from '../sip/transport/index.js';
import type { InboundSourceGuard } from './inbound-source-guard.js';

/** The receiving half of the sip.js Transport: the bridge delivers whole messages to it. */
export interface SipJsMessageSink {
  deliver(message: string): void;
}

export interface SipStackBridgeOptions {
  readonly stack: SipStack;
  /** The profile's transport: used for Request-URIs without a `transport` parameter. */
  readonly transport: SipTransportProtocol;
  /** Every request goes here when set (the outbound proxy: how the emulator or a lab trunk is reached). */
  readonly outboundProxy: SipDestination | undefined;
  /** Requests from elsewhere are answered 403 and reported. */
  readonly sourceGuard: InboundSourceGuard;
}

/** A request turned away by the inbound source check (toll-fraud protection). */
export interface InboundRejection {
  readonly method: string;
  readonly requestUri: string;
  readonly source: SocketAddress;
  readonly transport: SipTransportProtocol;
}

export interface SipStackBridgeEvents {
  'inbound-rejected': (rejection: InboundRejection) => void;
  /** Something sip.js sent could not be handled, or sip.js threw on a delivered message. */
  'bridge-error': (detail: string) => void;
}

interface OutgoingEntry {
  /** sip.js's own Via, restored on every response it gets. */
  readonly sipJsVia: Via;
  readonly request: SipRequest;
  readonly transaction: ClientTransaction;
}

interface IncomingEntry {
  readonly transaction: ServerTransaction;
  readonly context: ReceivedMessageContext;
}

/**
 * Marks a response this bridge made itself (RFC 3261 §8.1.3.1: a timeout is a 408, a transport failure a 503),
 * so the call can tell them from the trunk's own 408 or 503. It never goes on the wire.
 */
export const LOCAL_RESPONSE_HEADER = 'X-Trunkline-Local-Response';

/** How many Call-IDs remember the stream connection their dialog arrived on. */
const MAX_REMEMBERED_CONNECTIONS = 512;
/** How long a 2xx ACK is kept for identical re-sends (64·T1, as long as the 2xx can be retransmitted). */
const ACK_CACHE_LIMIT = 256;

type ClientEvents = ClientTransactionEvents<string>;

/** The events both client transactions share, on either kind. */
function clientEvents(transaction: ClientTransaction): {
  on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): Disposable;
} {
  return transaction as unknown as {
    on<K extends keyof ClientEvents>(event: K, listener: ClientEvents[K]): Disposable;
  };
}

export class SipStackBridge implements TransactionUser {
  readonly #stack: SipStack;
  readonly #transport: SipTransportProtocol;
  readonly #outboundProxy: SipDestination | undefined;
  readonly #guard: InboundSourceGuard;
  readonly #events = new TypedEmitter<SipStackBridgeEvents>();
  /** Our client transactions by the branch sip.js gave the request. */
  readonly #outgoing = new Map<string, OutgoingEntry>();
  /** The ACKs for 2xx responses by sip.js's branch: re-sends go out as identical bytes. */
  readonly #acks = new Map<string, SipRequest>();
  /** Server transactions by `branch|method` of the request sip.js was given. */
  readonly #incoming = new Map<string, IncomingEntry>();
  /** Our requests still waiting for their final response (or a timeout, or a transport error). */
  readonly #unsettled = new Set<OutgoingEntry>();
  #settledWaiters: Array<() => void> = [];
  /** The stream connection an inbound dialog arrived on, by Call-ID (in-dialog requests go back over it). */
  readonly #connections = new Map<string, string>();
  #sink: SipJsMessageSink | undefined;

  constructor(options: SipStackBridgeOptions) {
    this.#stack = options.stack;
    this.#transport = options.transport;
    this.#outboundProxy = options.outboundProxy;
    this.#guard = options.sourceGuard;
    options.stack.setTransactionUser(this);
  }

  /** The Via transport token sip.js writes (it is replaced on the wire). */
  get protocol(): string {
    return this.#transport.toUpperCase();
  }

  on<K extends keyof SipStackBridgeEvents>(event: K, listener: SipStackBridgeEvents[K]): Disposable {
    return this.#events.on(event, listener);
  }

  attach(sink: SipJsMessageSink): void {
    this.#sink = sink;
  }

  /** Live entries (tests check nothing leaks). */
  get pending(): { outgoing: number; incoming: number; acks: number } {
    return { outgoing: this.#outgoing.size, incoming: this.#incoming.size, acks: this.#acks.size };
  }

  // ── From sip.js to the wire ─────────────────────────────────────────────────────────────────────────────────

  /**
   * A message sip.js wants sent. Requests go to our transactions; a request that cannot be sent rejects, which
   * sip.js turns into a 503 (RFC 3261 §8.1.3.1). Responses go to the server transaction of their request.
   */
  fromSipJs(text: string): Promise<void> {
    try {
      const message = parseSipMessage(Buffer.from(text, 'utf8'));
      if (message.isRequest()) this.#sendRequest(message);
      else this.#sendResponse(message);
      return Promise.resolve();
    } catch (error) {
      this.#events.emit('bridge-error', `could not send what sip.js produced: ${describeError(error)}`);
      return Promise.reject(toError(error));
    }
  }

  #sendRequest(request: SipRequest): void {
    // sip.js's Via names no port and a branch from Math.random; ours replaces it on the wire (RFC 3261
    // §18.1.1: the transport adds its sent-by) and sip.js's comes back on the responses it gets.
    const sipJsVia = request.removeTopVia();
    const branch = sipJsVia?.branch;
    if (sipJsVia === undefined || branch === undefined)
      throw new Error('sip.js sent a request without a branch');
    switch (request.method) {
      case 'ACK':
        this.#sendAck(request, branch);
        return;
      case 'CANCEL':
        this.#sendCancel(request, sipJsVia);
        return;
      case 'INVITE': {
        const transaction = this.#stack.sendInvite(request, this.#routeFor(request));
        this.#track(branch, { sipJsVia, request, transaction });
        return;
      }
      default: {
        const transaction = this.#stack.sendRequest(request, this.#routeFor(request));
        this.#track(branch, { sipJsVia, request, transaction });
      }
    }
  }

  #sendAck(ack: SipRequest, branch: string): void {
    // The ACK of a non-2xx final response shares the INVITE's branch (RFC 3261 §17.1.1.3). Our INVITE client
    // transaction has sent it already, and re-sends it on every retransmitted final response: drop sip.js's.
    if (this.#outgoing.has(branch)) return;
    // The ACK of a 2xx is its own transaction; sip.js re-sends the same one for every 2xx retransmission, and so
    // do we — the same object goes out as the same bytes (RFC 3261 §13.2.2.4).
    let cached = this.#acks.get(branch);
    if (cached === undefined) {
      cached = ack;
      this.#acks.set(branch, ack);
      if (this.#acks.size > ACK_CACHE_LIMIT) this.#acks.delete(this.#acks.keys().next().value!);
    }
    this.#stack.sendAck(cached, this.#routeFor(cached)).catch((error: unknown) => {
      this.#events.emit('bridge-error', `the ACK could not be sent: ${describeError(error)}`);
    });
  }

  #sendCancel(cancel: SipRequest, sipJsVia: Via): void {
    // Our INVITE client transaction owns the CANCEL (RFC 3261 §9.1: not before a provisional, same branch and
    // destination as the INVITE, never after the final response). sip.js's CANCEL transaction only waits for a
    // 200 that matters to nobody: it is closed with a local one.
    const entry = this.#outgoing.get(sipJsVia.branch ?? '');
    if (entry?.transaction instanceof InviteClientTransaction) this.#stack.cancel(entry.transaction);
    this.#deliverLocalResponse(cancel, sipJsVia, 200, 'OK');
  }

  /**
   * Resolves once every request we sent has its final response, timed out or failed: what `stop()` waits for
   * (bounded) before closing the sockets, so that a BYE sent just before is on the wire and answered rather than
   * lost with its socket.
   */
  whenSettled(): Promise<void> {
    if (this.#unsettled.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#settledWaiters.push(resolve));
  }

  #track(branch: string, entry: OutgoingEntry): void {
    this.#outgoing.set(branch, entry);
    this.#unsettled.add(entry);
    const events = clientEvents(entry.transaction);
    events.on('response', (response) => {
      if (response.statusCode >= 200) this.#settle(entry);
      this.#deliverResponse(entry, response);
    });
    // RFC 3261 §8.1.3.1: a timeout is a 408 and a transport failure a 503, each generated locally.
    events.on('timeout', () => {
      this.#settle(entry);
      this.#deliverLocalResponse(entry.request, entry.sipJsVia, 408, 'Request Timeout');
    });
    events.on('transportError', (error) => {
      this.#settle(entry);
      this.#events.emit('bridge-error', `${entry.request.method} could not be sent: ${error.message}`);
      this.#deliverLocalResponse(entry.request, entry.sipJsVia, 503, 'Service Unavailable');
    });
    entry.transaction.onTerminated(() => {
      this.#settle(entry);
      if (this.#outgoing.get(branch) === entry) this.#outgoing.delete(branch);
    });
  }

  #settle(entry: OutgoingEntry): void {
    if (!this.#unsettled.delete(entry) || this.#unsettled.size > 0) return;
    for (const resolve of this.#settledWaiters.splice(0)) resolve();
  }

  /** Where a request goes: the outbound proxy, else its Request-URI (or first loose Route), on our transport. */
  #routeFor(request: SipRequest): SendRequestOptions {
    const connectionId = request.callId === undefined ? undefined : this.#connections.get(request.callId);
    if (this.#outboundProxy !== undefined) {
      return { destination: this.#outboundProxy, ...(connectionId !== undefined ? { connectionId } : {}) };
    }
    const target = requestTargetUri(request);
    let destination = destinationForUri(target);
    if (target.kind === 'sip' && target.transport === undefined && target.scheme === 'sip') {
      // Without a transport parameter RFC 3263 would pick UDP; this phone speaks the profile's transport only.
      destination = {
        transport: this.#transport,
        host: destination.host,
        port: target.port ?? defaultPortFor(this.#transport),
      };
    }
    return { destination, ...(connectionId !== undefined ? { connectionId } : {}) };
  }

  #sendResponse(response: SipResponse): void {
    const via = response.topVia;
    const method = response.cseq?.method;
    if (via?.branch === undefined || method === undefined) return;
    const entry = this.#incoming.get(`${via.branch}|${method}`);
    if (entry === undefined) {
      // sip.js answering a CANCEL: the stack answered it already (RFC 3261 §9.2). Nothing else lands here.
      return;
    }
    const { transaction, context } = entry;
    const status = response.statusCode;
    const isInvite2xx = method === 'INVITE' && status >= 200 && status < 300;
    if (transaction.isTerminated) {
      // sip.js re-sends its 2xx until the ACK (RFC 3261 §13.3.1.4), also after Timer L ended the transaction.
      if (isInvite2xx) this.#stack.sendResponse(response, context, true).catch(() => undefined);
      return;
    }
    transaction.respond(response);
  }

  /** A response from our transaction, with sip.js's Via back in place of ours. */
  #deliverResponse(entry: OutgoingEntry, response: SipResponse): void {
    const copy = new SipResponse(
      response.statusCode,
      response.reasonPhrase,
      response.headers.clone(),
      response.body,
    );
    copy.removeTopVia();
    copy.prependVia(entry.sipJsVia);
    this.#deliver(serializeSipMessage(copy).toString('utf8'));
  }

  /** A response made here for a request of sip.js's (RFC 3261 §8.1.3.1 408/503, the CANCEL's 200). */
  #deliverLocalResponse(request: SipRequest, sipJsVia: Via, status: number, reason: string): void {
    const response = createResponse(request, status, {
      reasonPhrase: reason,
      headers: [
        [LOCAL_RESPONSE_HEADER, status === 408 ? 'timeout' : status === 503 ? 'transport-failure' : 'local'],
      ],
    });
    response.removeTopVia();
    response.prependVia(sipJsVia);
    const text = serializeSipMessage(response).toString('utf8');
    // sip.js forbids synchronous re-entry from Transport.send.
    queueMicrotask(() => this.#deliver(text));
  }

  #deliver(text: string): void {
    if (this.#sink === undefined) return;
    try {
      this.#sink.deliver(text);
    } catch (error) {
      // A sip.js exception on one message costs that message, never the socket handler that carried it.
      this.#events.emit('bridge-error', `sip.js failed on a received message: ${describeError(error)}`);
    }
  }

  // ── From the wire to sip.js (the stack's transaction user) ─────────────────────────────────────────────────

  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void {
    const request = transaction.request;
    if (!this.#admit(request, context)) {
      transaction.respond(createResponse(request, 403, { reasonPhrase: 'Forbidden', toTag: generateTag() }));
      return;
    }
    const branch = request.topVia?.branch;
    if (branch === undefined) {
      transaction.respond(createResponse(request, 400, { reasonPhrase: 'Missing Via branch' }));
      return;
    }
    const key = `${branch}|${request.method}`;
    const entry = { transaction, context };
    this.#incoming.set(key, entry);
    transaction.onTerminated(() => {
      if (this.#incoming.get(key) === entry) this.#incoming.delete(key);
    });
    this.#rememberConnection(request, context);
    this.#deliver(serializeSipMessage(request).toString('utf8'));
  }

  onAck(ack: SipRequest, context: ReceivedMessageContext): void {
    if (!this.#guard.allows(context.remote.address)) return;
    this.#deliver(serializeSipMessage(ack).toString('utf8'));
  }

  onCancel(_invite: InviteServerTransaction, cancel: SipRequest, context: ReceivedMessageContext): void {
    if (!this.#guard.allows(context.remote.address)) return;
    // The stack answered the CANCEL; sip.js answers the INVITE with 487 through its transaction (RFC 3261 §9.2).
    this.#deliver(serializeSipMessage(cancel).toString('utf8'));
  }

  onStrayResponse(): void {
    // A 2xx retransmission after Timer M ended our INVITE transaction: sip.js's ended too, and its ACK was sent
    // for the first copy. Dropped; the trace shows it.
  }

  #admit(request: SipRequest, context: ReceivedMessageContext): boolean {
    if (this.#guard.allows(context.remote.address)) return true;
    this.#events.emit('inbound-rejected', {
      method: request.method,
      requestUri: request.requestUriText,
      source: context.remote,
      transport: context.transport,
    });
    return false;
  }

  #rememberConnection(request: SipRequest, context: ReceivedMessageContext): void {
    const callId = request.callId;
    if (context.connectionId === undefined || callId === undefined || this.#connections.has(callId)) return;
    this.#connections.set(callId, context.connectionId);
    if (this.#connections.size > MAX_REMEMBERED_CONNECTIONS) {
      this.#connections.delete(this.#connections.keys().next().value!);
    }
  }
}

/**
 * Whether sip.js got this response from us rather than the network: our 408/503 carry LOCAL_RESPONSE_HEADER, and
 * sip.js's own (its Timer B) have no Call-ID at all.
 */
export function isLocalResponse(message: { hasHeader(name: string): boolean }): boolean {
  return message.hasHeader(LOCAL_RESPONSE_HEADER) || !message.hasHeader('call-id');
}
