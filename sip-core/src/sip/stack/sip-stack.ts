// One SIP endpoint: it owns a transport layer, parses what arrives, files requests and responses to their
// transactions (RFC 3261 §17.1.3, §17.2.3), hands the rest to its TU, and on the way out inserts our Via and
// picks destinations (§8.1.2, §18.1.1, RFC 3263-lite) and response routes (§18.2.2). The transactions stay pure
// state machines; this class is their adapter to sockets.
//
//   transport ──bytes──► parse ──► request ──► stamp received/rport ──► server transaction? ──► absorbed
//                          │                                         └─► new: TU.onRequest / onAck / onCancel
//                          │ SipParseError: 400 (partialRequest) or drop with a trace record
//                          └─────► response ──► top Via is ours? ──► client transaction ──► its events (TU)
//                                                                 └─► none: 2xx → TU.onStrayResponse, else drop

import { systemClock, type Clock } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import { describeError } from '../../common/errors.js';
import {
  cancelTargetKey,
  checkRequestAcceptability,
  checkResponseAcceptability,
  clientTransactionKey,
  createCancel,
  createRejectionResponse,
  createResponse,
  generateBranch,
  generateTag,
  parseSipMessage,
  serializeSipMessage,
  serverTransactionKey,
  SipParseError,
  Via,
  type AcceptabilityPolicy,
  type SipRequest,
  type SipResponse,
} from '../message/index.js';
import { SipTrace, type SipTraceRecord, type TraceMessageRecord } from '../trace/index.js';
import { traceSample, type TraceDropRecord } from '../trace/trace-records.js';
import {
  ExpiryQueue,
  InviteClientTransaction,
  InviteServerTransaction,
  NonInviteClientTransaction,
  NonInviteServerTransaction,
  resolveTransactionTimers,
  type ClientTransaction,
  type Expiring,
  type ServerTransaction,
  type TransactionChannel,
  type TransactionEnvironment,
  type TransactionTimerSettings,
} from '../transaction/index.js';
import {
  SipTransportLayer,
  type ListenerInfo,
  type ListenOptions,
  type ReceivedMessageContext,
  type SendOptions,
  type SipDestination,
  type SipTransportLayerOptions,
  type SipTransportProtocol,
} from '../transport/index.js';
import { defaultPortFor, destinationForUri, requestTargetUri } from './request-destination.js';
import { responseRoute, stampReceived, type ResponseRoute } from './response-route.js';
import { SipStackError } from './sip-stack-error.js';
import type { TransactionUser } from './transaction-user.js';
import { bracketHost, hostAndPort } from '../../common/host-port.js';

export interface SipStackOptions {
  /** Timers of the transactions and the transport run on this clock. Default: the system clock. */
  readonly clock?: Clock;
  /** Where every message, drop and connection event is published. Default: a new trace. */
  readonly trace?: SipTrace;
  /** Options of the transport layer the stack creates and owns (its clock and trace are the stack's). */
  readonly transport?: Omit<SipTransportLayerOptions, 'clock' | 'trace'>;
  /** T1, T2, T4 (defaults 500 ms, 4 s, 5 s). */
  readonly timers?: Partial<TransactionTimerSettings>;
  /**
   * The host written as our Via sent-by. Default: the address of the listener a request leaves through; set it
   * when listening on 0.0.0.0 or behind NAT.
   */
  readonly viaHost?: string;
  /**
   * The checks of RFC 3261 §8.2 run on each new request before the TU sees it; a request that fails is answered
   * by the stack (405, 415, 420, 416…). Default `{ role: 'uas' }`; `false` leaves every check to the TU.
   */
  readonly acceptability?: AcceptabilityPolicy | false;
  /** This element's name in `Warning: 399` headers of the stack's 400 responses. Default: none. */
  readonly warnAgent?: string;
  /** How long the TU may take before an INVITE server transaction sends 100 Trying itself. Default 200 ms. */
  readonly tryingDelayMs?: number;
  /** The TU; it can also be set later with `setTransactionUser`. */
  readonly transactionUser?: TransactionUser;
}

export interface SendRequestOptions {
  /**
   * Send here instead of where the Request-URI / Route point (an outbound proxy, the trunk). The Request-URI
   * and Route set are left as they are.
   */
  readonly destination?: SipDestination;
  /** Send over this open connection (a request inside a dialog that came in over TCP/TLS). */
  readonly connectionId?: string;
}

/** Counters of what the stack refused or could not place; cheap to read, for tests and diagnostics. */
export interface SipStackCounters {
  parseErrors: number;
  rejectedMalformed: number;
  rejectedUnacceptable: number;
  viaMismatches: number;
  strayResponses: number;
  unanswerableRequests: number;
  tuErrors: number;
  /** Exceptions thrown by parsed-message observers (`observeParsed`); the message was processed all the same. */
  observerErrors: number;
}

type DropReason = TraceDropRecord['reason'];

/**
 * Sees every message record of the stack's trace together with the message the stack parsed (received) or
 * serialised (sent) for it, so that an observer grouping messages by Call-ID or method never parses them a second
 * time (docs/adr/0078). `message` is undefined when the stack holds no model for the bytes: a received message
 * that did not parse, or a retransmission the transaction layer re-sent from its wire bytes.
 */
export type ParsedMessageObserver = (
  record: TraceMessageRecord,
  message: SipRequest | SipResponse | undefined,
) => void;

export class SipStack implements Disposable {
  readonly transport: SipTransportLayer;
  readonly trace: SipTrace;
  readonly timers: TransactionTimerSettings;
  /** The clock every timer of this endpoint runs on (dialogs built on the stack use it too). */
  readonly clock: Clock;
  readonly counters: SipStackCounters = {
    parseErrors: 0,
    rejectedMalformed: 0,
    rejectedUnacceptable: 0,
    viaMismatches: 0,
    strayResponses: 0,
    unanswerableRequests: 0,
    tuErrors: 0,
    observerErrors: 0,
  };
  readonly #clock: Clock;
  readonly #environment: TransactionEnvironment;
  /** The transactions' last waits (Timers D, I, J, K, L, M) on one clock timer (docs/adr/0162). */
  readonly #expiries: ExpiryQueue<Expiring>;
  readonly #viaHost: string | undefined;
  readonly #acceptability: AcceptabilityPolicy | false;
  readonly #warnAgent: string | undefined;
  readonly #tryingDelayMs: number | undefined;
  readonly #clients = new Map<string, ClientTransaction>();
  readonly #servers = new Map<string, ServerTransaction>();
  /** Our Via sent-by values (`host:port`, lower case): responses whose top Via is not one of them are dropped. */
  readonly #sentBy = new Set<string>();
  readonly #subscriptions: Disposable[] = [];
  readonly #parsedObservers = new Set<ParsedMessageObserver>();
  /** The model of each message serialised while observers listen, until its first record is published. */
  #sentModels = new WeakMap<Uint8Array, SipRequest | SipResponse>();
  /** The record of the received message the transport is about to hand over (published just before). */
  #pendingReceived: TraceMessageRecord | undefined;
  #traceSubscription: Disposable | undefined;
  #tu: TransactionUser | undefined;
  #closed = false;

  constructor(options: SipStackOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.clock = this.#clock;
    this.trace = options.trace ?? new SipTrace({ clock: this.#clock });
    this.transport = new SipTransportLayer({ ...options.transport, clock: this.#clock, trace: this.trace });
    this.timers = resolveTransactionTimers(options.timers);
    this.#expiries = new ExpiryQueue(this.#clock);
    this.#environment = {
      clock: this.#clock,
      timers: this.timers,
      expiries: this.#expiries,
      onTerminated: (transaction) => this.#forget(transaction),
    };
    this.#viaHost = options.viaHost;
    this.#acceptability = options.acceptability ?? { role: 'uas' };
    this.#warnAgent = options.warnAgent;
    this.#tryingDelayMs = options.tryingDelayMs;
    this.#tu = options.transactionUser;
    this.#subscriptions.push(this.transport.on('message', (bytes, context) => this.#receive(bytes, context)));
  }

  setTransactionUser(tu: TransactionUser): void {
    this.#tu = tu;
  }

  /** Binds a UDP socket or a TCP/TLS listener; requests leaving on that transport carry its address in Via. */
  async listen(options: ListenOptions): Promise<ListenerInfo> {
    this.#assertOpen();
    const info = await this.transport.listen(options);
    this.#sentBy.add(hostAndPort(info.local.address, info.local.port).toLowerCase());
    return info;
  }

  /**
   * Calls `observer` with every message record of the trace and the message the stack already holds for it
   * (docs/adr/0078): received messages after they parse and before the TU sees them, sent ones as the transport
   * publishes them. An observer that throws is isolated like any trace subscriber. Dispose the result to stop.
   */
  observeParsed(observer: ParsedMessageObserver): Disposable {
    this.#parsedObservers.add(observer);
    this.#traceSubscription ??= this.trace.subscribe((record) => this.#onTraceRecord(record));
    return {
      dispose: () => {
        this.#parsedObservers.delete(observer);
        if (this.#parsedObservers.size > 0) return;
        this.#traceSubscription?.dispose();
        this.#traceSubscription = undefined;
        this.#pendingReceived = undefined;
        this.#sentModels = new WeakMap();
      },
    };
  }

  /** Live client and server transactions (for tests and diagnostics). */
  get transactionCounts(): { clients: number; servers: number } {
    return { clients: this.#clients.size, servers: this.#servers.size };
  }

  /**
   * Sends an INVITE in a new `InviteClientTransaction`. Our Via (new branch, `rport`) is inserted on top. Listen
   * to the transaction's `response`, `timeout` and `transportError` events; they fire from the next event-loop
   * turn on, so listeners added right after this call see everything.
   */
  sendInvite(invite: SipRequest, options: SendRequestOptions = {}): InviteClientTransaction {
    this.#checkMethod(invite, true);
    const { key, channel } = this.#prepare(invite, options);
    const transaction = new InviteClientTransaction(key, invite, this.#environment, channel);
    this.#track(transaction);
    transaction.on('cancelReady', () => this.#sendCancel(transaction, channel));
    transaction.start();
    return transaction;
  }

  /** Sends a request other than INVITE, ACK and CANCEL in a new `NonInviteClientTransaction` (see `sendInvite`). */
  sendRequest(request: SipRequest, options: SendRequestOptions = {}): NonInviteClientTransaction {
    this.#checkMethod(request, false);
    const { key, channel } = this.#prepare(request, options);
    const transaction = new NonInviteClientTransaction(key, request, this.#environment, channel);
    this.#track(transaction);
    transaction.start();
    return transaction;
  }

  /**
   * Cancels a pending INVITE (RFC 3261 §9.1): the CANCEL goes out once a provisional response has arrived, at
   * once if one has. Nothing is sent when the INVITE has its final response already.
   */
  cancel(invite: InviteClientTransaction): void {
    invite.requestCancel();
  }

  /**
   * Sends an ACK for a 2xx (RFC 3261 §13.2.2.4), which is a transaction of its own with no response. A Via is
   * inserted the first time; sending the same ACK object again re-sends identical bytes (the dialog's re-ACK on
   * each 2xx retransmission).
   */
  sendAck(ack: SipRequest, options: SendRequestOptions = {}): Promise<void> {
    this.#assertOpen();
    const target = this.#requestTarget(ack, options);
    const retransmission = ack.topVia !== undefined && this.#isOurVia(ack.topVia);
    if (!retransmission) this.#insertVia(ack, target.transport);
    return this.#sendTo(ack, target, retransmission).then(() => undefined);
  }

  /**
   * Sends a response outside any server transaction, routed by its top Via (RFC 3261 §18.2.2) from where
   * `context` says the request came in: a 2xx retransmission after the INVITE transaction ended, or a stateless
   * answer.
   */
  sendResponse(
    response: SipResponse,
    context: ReceivedMessageContext,
    retransmission = false,
  ): Promise<void> {
    this.#assertOpen();
    const via = response.topVia;
    if (via === undefined)
      return Promise.reject(new SipStackError('SIP_STACK_UNROUTABLE', 'A response needs a Via.'));
    return this.#sendRouted(response, responseRoute(via, context), retransmission);
  }

  /**
   * Sends a response's bytes again (a retransmission) along `route` (`responseRoute` of its Via and the request's
   * context): for a TU that re-sends a 2xx after its transaction ended and keeps only the bytes.
   */
  resendResponse(bytes: Uint8Array, route: ResponseRoute): Promise<void> {
    if (this.#closed) return Promise.reject(stackClosed());
    return this.#sendRouted(bytes, route, true);
  }

  /** Terminates every transaction and closes the transport layer. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    for (const transaction of [...this.#clients.values(), ...this.#servers.values()]) transaction.terminate();
    this.#clients.clear();
    this.#servers.clear();
    this.#expiries.clear();
    await this.transport.close();
  }

  dispose(): void {
    void this.close();
  }

  // ── Outgoing ──────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * @internal Sends a message (serialised here) or wire bytes to a destination or over a connection. Responses
   * may exceed the UDP size limit: they go back the way the request came (RFC 3261 §18.2.2, ADR 0020).
   */
  sendBytes(
    message: SipRequest | SipResponse | Uint8Array,
    target: SipDestination | string,
    retransmission: boolean,
    isResponse: boolean,
  ): Promise<{ connectionId?: string }> {
    if (this.#closed) return Promise.reject(stackClosed());
    const bytes = message instanceof Uint8Array ? message : this.serialize(message);
    return this.transport.send(bytes, target, sendOptions(isResponse, retransmission));
  }

  /**
   * @internal `sendBytes` for a transaction, which needs to hear only of failure: `onFailure` runs once if the
   * message could not be sent, never before this returns (docs/adr/0171).
   */
  postBytes(
    bytes: Uint8Array,
    target: SipDestination | string,
    retransmission: boolean,
    isResponse: boolean,
    onFailure: (error: unknown) => void,
  ): void {
    if (this.#closed) {
      const closed = stackClosed();
      queueMicrotask(() => onFailure(closed));
      return;
    }
    this.transport.post(bytes, target, sendOptions(isResponse, retransmission), onFailure);
  }

  /**
   * @internal Serialises a message on its way out (the channels; a TU that sends the same bytes again, as the
   * emulator its 2xx until the ACK); while parsed-message observers listen, the model is kept beside the bytes
   * until the transport publishes them.
   */
  serialize(message: SipRequest | SipResponse): Uint8Array {
    const bytes = serializeSipMessage(message);
    if (this.#parsedObservers.size > 0) this.#sentModels.set(bytes, message);
    return bytes;
  }

  #onTraceRecord(record: SipTraceRecord): void {
    if (record.kind !== 'message') return;
    if (record.direction === 'received') {
      // The transport publishes a received message right before it hands the same bytes to #receive.
      this.#pendingReceived = record;
      return;
    }
    const message = this.#sentModels.get(record.bytes);
    // Only the first publication gets the model: a transaction keeps its wire bytes for 64·T1 and must not keep
    // the parsed message alive through this map (ADR 0013); its rare retransmissions are parsed by the observer.
    this.#sentModels.delete(record.bytes);
    this.#notifyParsed(record, message);
  }

  #notifyParsed(record: TraceMessageRecord, message: SipRequest | SipResponse | undefined): void {
    for (const observer of this.#parsedObservers) {
      try {
        observer(record, message);
      } catch {
        // An observer's bug must not cost the message: it is counted, like a TU failure, and the stack goes on.
        this.counters.observerErrors++;
      }
    }
  }

  #takePendingReceived(bytes: Buffer): TraceMessageRecord | undefined {
    const record = this.#pendingReceived;
    this.#pendingReceived = undefined;
    return record !== undefined && record.bytes === bytes ? record : undefined;
  }

  #checkMethod(request: SipRequest, invite: boolean): void {
    this.#assertOpen();
    const method = request.method;
    if ((method === 'INVITE') === invite && method !== 'ACK' && method !== 'CANCEL') return;
    const right =
      method === 'ACK'
        ? 'sendAck'
        : method === 'CANCEL'
          ? 'cancel'
          : method === 'INVITE'
            ? 'sendInvite'
            : 'sendRequest';
    throw new SipStackError('SIP_STACK_WRONG_METHOD', `Send ${method} with ${right}.`);
  }

  #prepare(request: SipRequest, options: SendRequestOptions): { key: string; channel: ClientChannel } {
    const target = this.#requestTarget(request, options);
    this.#insertVia(request, target.transport);
    return { key: clientTransactionKey(request)!, channel: new ClientChannel(this, target) };
  }

  #track(transaction: ClientTransaction): void {
    const key = transaction.key;
    this.#clients.set(key, transaction);
  }

  #requestTarget(request: SipRequest, options: SendRequestOptions): RequestTarget {
    if (options.connectionId !== undefined) {
      const connection = this.transport.connection(options.connectionId);
      if (connection !== undefined) {
        return { transport: connection.transport, connectionId: connection.id, destination: undefined };
      }
    }
    const destination = options.destination ?? destinationForUri(requestTargetUri(request));
    return { transport: destination.transport, destination, connectionId: undefined };
  }

  #sendTo(
    message: SipRequest | SipResponse,
    target: RequestTarget,
    retransmission: boolean,
  ): Promise<{ connectionId?: string }> {
    return this.sendBytes(message, target.connectionId ?? target.destination!, retransmission, false);
  }

  /** RFC 3261 §8.1.1.7, §18.1.1: our Via on top, with a fresh branch and `rport` (RFC 3581 §3). */
  #insertVia(request: SipRequest, transport: SipTransportProtocol): void {
    const listener = this.transport.listeners().find((l) => l.transport === transport);
    const host = this.#viaHost ?? bracketHost(listener?.local.address ?? '127.0.0.1');
    const port = listener?.local.port;
    // No listener for this transport (the emulator with its TLS listener off still connects out over TLS): the
    // Via names no port, and responses come back on the connection we opened, so that sent-by is ours too.
    if (port === undefined) this.#sentBy.add(`${host}:${defaultPortFor(transport)}`.toLowerCase());
    request.prependVia(
      new Via({
        transport: transport.toUpperCase(),
        host,
        ...(port !== undefined ? { port } : {}),
        branch: generateBranch(),
        rport: null,
      }),
    );
  }

  #sendCancel(invite: InviteClientTransaction, channel: ClientChannel): void {
    if (this.#closed) return;
    const cancel = createCancel(invite.request);
    const key = clientTransactionKey(cancel)!;
    const transaction = new NonInviteClientTransaction(key, cancel, this.#environment, channel.sibling());
    this.#track(transaction);
    transaction.start();
  }

  #sendRouted(
    message: SipResponse | Uint8Array,
    route: ResponseRoute,
    retransmission: boolean,
  ): Promise<void> {
    if (route.connectionId === undefined)
      return this.sendBytes(message, route.destination, retransmission, true).then(() => undefined);
    // RFC 3261 §18.2.2: when the connection is gone, open a new one to the sent-by (or received) address.
    return this.sendBytes(message, route.connectionId, retransmission, true).then(
      () => undefined,
      () => this.sendBytes(message, route.destination, retransmission, true).then(() => undefined),
    );
  }

  // ── Incoming ──────────────────────────────────────────────────────────────────────────────────────────────

  #receive(bytes: Buffer, context: ReceivedMessageContext): void {
    if (this.#closed) return;
    const record = this.#parsedObservers.size > 0 ? this.#takePendingReceived(bytes) : undefined;
    let message: SipRequest | SipResponse;
    try {
      message = parseSipMessage(bytes, { framing: context.transport === 'udp' ? 'datagram' : 'stream' });
    } catch (error) {
      if (record !== undefined) this.#notifyParsed(record, undefined);
      this.#onParseError(error, bytes, context);
      return;
    }
    if (record !== undefined) this.#notifyParsed(record, message);
    try {
      if (message.isRequest()) this.#receiveRequest(message, context);
      else this.#receiveResponse(message, context);
    } catch (error) {
      // A view that throws on a header validated lazily, or a TU bug: this message is lost, the endpoint is not.
      this.counters.tuErrors++;
      this.#drop('unanswerable-request', context, bytes, `processing failed: ${describeError(error)}`);
    }
  }

  #onParseError(error: unknown, bytes: Buffer, context: ReceivedMessageContext): void {
    this.counters.parseErrors++;
    const detail = error instanceof SipParseError ? `${error.code}: ${error.message}` : describeError(error);
    if (
      error instanceof SipParseError &&
      error.partialRequest !== undefined &&
      error.rejection !== undefined
    ) {
      const request = error.partialRequest;
      const via = request.topVia;
      if (via !== undefined && request.method !== 'ACK') {
        stampReceived(via, context.remote);
        const response = createRejectionResponse(request, error.rejection, {
          toTag: generateTag(),
          ...(this.#warnAgent !== undefined ? { warnAgent: this.#warnAgent } : {}),
        });
        this.counters.rejectedMalformed++;
        this.#drop('parse-error', context, bytes, `answered ${error.rejection.statusCode}; ${detail}`);
        this.#sendRouted(response, responseRoute(via, context), false).catch(() => undefined);
        return;
      }
    }
    this.#drop('parse-error', context, bytes, detail);
  }

  #receiveRequest(request: SipRequest, context: ReceivedMessageContext): void {
    const via = request.topVia;
    if (via === undefined) {
      this.counters.unanswerableRequests++;
      this.#drop('unanswerable-request', context, undefined, 'request without Via: no way to answer it');
      return;
    }
    stampReceived(via, context.remote);
    const key = serverTransactionKey(request);
    if (request.method === 'ACK') {
      const transaction = key === undefined ? undefined : this.#servers.get(key);
      if (transaction instanceof InviteServerTransaction) {
        if (transaction.receiveRequest(request) === 'absorbed') return;
      }
      this.#tu?.onAck?.(request, context);
      return;
    }
    if (key === undefined) {
      // RFC 2543 matching needs Call-ID and CSeq; without them the request cannot be a transaction. Answer it
      // statelessly when the acceptability check names the problem.
      this.#rejectStatelessly(request, context);
      return;
    }
    const existing = this.#servers.get(key);
    if (existing !== undefined) {
      existing.receiveRequest(request);
      return;
    }
    const transaction = this.#createServerTransaction(key, request, context);
    if (request.method === 'CANCEL') {
      this.#receiveCancel(transaction as NonInviteServerTransaction, request, context);
      return;
    }
    if (this.#acceptability !== false) {
      const rejection = checkRequestAcceptability(request, this.#acceptability);
      if (rejection !== undefined) {
        this.counters.rejectedUnacceptable++;
        transaction.respond(
          createRejectionResponse(request, rejection, {
            toTag: generateTag(),
            ...(this.#warnAgent !== undefined ? { warnAgent: this.#warnAgent } : {}),
          }),
        );
        return;
      }
    }
    if (this.#tu === undefined) {
      transaction.respond(createResponse(request, 503, { toTag: generateTag() }));
      return;
    }
    try {
      this.#tu.onRequest(transaction, context);
    } catch (error) {
      // A TU bug costs only this request: it is answered 500 (RFC 3261 §21.5.1) so the client does not wait for
      // Timer B/F, and the failure is counted and traced.
      this.counters.tuErrors++;
      this.#drop('unanswerable-request', context, undefined, `the TU failed: ${describeError(error)}`);
      if (!transaction.isTerminated && transaction.finalStatus === undefined) {
        transaction.respond(createResponse(request, 500, { toTag: generateTag() }));
      }
    }
  }

  /** A transaction reached Terminated (the environment's `onTerminated`): it leaves the tables. */
  #forget(transaction: { readonly key: string }): void {
    const { key } = transaction;
    if (this.#servers.get(key) === transaction) this.#servers.delete(key);
    else if (this.#clients.get(key) === transaction) this.#clients.delete(key);
  }

  #createServerTransaction(
    key: string,
    request: SipRequest,
    context: ReceivedMessageContext,
  ): ServerTransaction {
    const channel = new ServerChannel(
      this,
      responseRoute(request.topVia!, context),
      context.transport !== 'udp',
    );
    const transaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(key, request, this.#environment, channel, {
            ...(this.#tryingDelayMs !== undefined ? { tryingDelayMs: this.#tryingDelayMs } : {}),
          })
        : new NonInviteServerTransaction(key, request, this.#environment, channel);
    this.#servers.set(key, transaction);
    return transaction;
  }

  /** RFC 3261 §9.2: 200 to a CANCEL that matches a pending INVITE (the TU answers the INVITE), else 481. */
  #receiveCancel(
    transaction: NonInviteServerTransaction,
    cancel: SipRequest,
    context: ReceivedMessageContext,
  ): void {
    const targetKey = cancelTargetKey(cancel);
    const invite = targetKey === undefined ? undefined : this.#servers.get(targetKey);
    if (!(invite instanceof InviteServerTransaction)) {
      transaction.respond(createResponse(cancel, 481, { toTag: generateTag() }));
      return;
    }
    const toTag = invite.finalToTag ?? generateTag();
    transaction.respond(createResponse(cancel, 200, { toTag }));
    if (invite.finalStatus !== undefined || !invite.markCancelled()) return;
    if (this.#tu?.onCancel !== undefined) {
      this.#tu.onCancel(invite, cancel, context);
      return;
    }
    invite.respond(createResponse(invite.request, 487, { toTag }));
  }

  #rejectStatelessly(request: SipRequest, context: ReceivedMessageContext): void {
    const rejection = checkRequestAcceptability(request, this.#acceptability || { role: 'uas' });
    if (rejection === undefined) {
      this.counters.unanswerableRequests++;
      this.#drop(
        'unanswerable-request',
        context,
        undefined,
        'no transaction key (RFC 2543 request without Call-ID or CSeq)',
      );
      return;
    }
    this.counters.rejectedUnacceptable++;
    const response = createRejectionResponse(request, rejection, { toTag: generateTag() });
    this.#sendRouted(response, responseRoute(request.topVia!, context), false).catch(() => undefined);
  }

  #receiveResponse(response: SipResponse, context: ReceivedMessageContext): void {
    const via = response.topVia;
    // RFC 3261 §18.1.2: a response whose top Via is not ours was misrouted; §8.1.3.3: a UAC expects one Via.
    if (via === undefined || !this.#isOurVia(via)) {
      this.counters.viaMismatches++;
      this.#drop(
        'via-mismatch',
        context,
        undefined,
        `top Via sent-by ${via?.sentBy ?? '(none)'} is not ours`,
      );
      return;
    }
    const refusal = checkResponseAcceptability(response, { role: 'uac' });
    if (refusal !== undefined) {
      this.counters.viaMismatches++;
      this.#drop('via-mismatch', context, undefined, refusal.reason);
      return;
    }
    const key = clientTransactionKey(response);
    const transaction = key === undefined ? undefined : this.#clients.get(key);
    if (transaction !== undefined) {
      transaction.receiveResponse(response);
      return;
    }
    const status = response.statusCode;
    if (status >= 200 && status < 300 && response.cseq?.method === 'INVITE' && this.#tu?.onStrayResponse) {
      this.#tu.onStrayResponse(response, context);
      return;
    }
    this.counters.strayResponses++;
    this.#drop(
      'stray-response',
      context,
      undefined,
      `${status} ${response.cseq?.method ?? ''} matches no transaction`,
    );
  }

  #isOurVia(via: Via): boolean {
    if (this.#sentBy.size === 0) return true;
    // RFC 3261 §18.2.2, §19.1.2: no port means 5061 over TLS and 5060 over anything else.
    const port = via.port ?? defaultPortFor(via.transport.toLowerCase() as SipTransportProtocol);
    if (this.#sentBy.has(`${via.host.toLowerCase()}:${port}`)) return true;
    // With a configured viaHost, any of our listener ports under that name is ours.
    if (this.#viaHost !== undefined && via.host.toLowerCase() === this.#viaHost.toLowerCase()) {
      return this.transport.listeners().some((l) => l.local.port === port);
    }
    return false;
  }

  #drop(
    reason: DropReason,
    context: ReceivedMessageContext,
    bytes: Uint8Array | undefined,
    detail: string,
  ): void {
    if (!this.trace.active) return;
    this.trace.publish({
      kind: 'drop',
      direction: 'received',
      reason,
      transport: context.transport,
      local: context.local,
      remote: context.remote,
      ...(context.connectionId !== undefined ? { connectionId: context.connectionId } : {}),
      detail,
      ...traceSample(bytes),
    });
  }

  #assertOpen(): void {
    if (this.#closed) throw stackClosed();
  }

  /** @internal For the response channel: `onFailure` runs once if the response could not be sent. */
  postRoutedResponse(
    bytes: Uint8Array,
    route: ResponseRoute,
    retransmission: boolean,
    onFailure: (error: unknown) => void,
  ): void {
    // Over UDP (no connection to go back on) without a promise; a connection, with its fallback, takes #sendRouted.
    if (route.connectionId === undefined)
      this.postBytes(bytes, route.destination, retransmission, true, onFailure);
    else this.#sendRouted(bytes, route, retransmission).then(undefined, onFailure);
  }
}

/** The four ways `sendBytes` sends, made once: [request, response][first copy, retransmission]. */
const SEND_OPTIONS: ReadonlyArray<ReadonlyArray<SendOptions>> = [
  [Object.freeze({ allowLargeUdp: false }), Object.freeze({ allowLargeUdp: false, retransmission: true })],
  [Object.freeze({ allowLargeUdp: true }), Object.freeze({ allowLargeUdp: true, retransmission: true })],
];

function sendOptions(isResponse: boolean, retransmission: boolean): SendOptions {
  return SEND_OPTIONS[isResponse ? 1 : 0][retransmission ? 1 : 0];
}

function stackClosed(): SipStackError {
  return new SipStackError('SIP_STACK_CLOSED', 'The SIP stack is closed.');
}

interface RequestTarget {
  readonly transport: SipTransportProtocol;
  readonly destination: SipDestination | undefined;
  readonly connectionId: string | undefined;
}

/**
 * A client transaction's way to its peer. On streams the first send pins the connection, so that the ACK for a
 * non-2xx response, retransmissions and the CANCEL follow the INVITE over the same connection (RFC 3261 §18.1.1).
 */
class ClientChannel implements TransactionChannel {
  readonly reliable: boolean;
  readonly #stack: SipStack;
  readonly #target: RequestTarget;
  #connectionId: string | undefined;

  constructor(stack: SipStack, target: RequestTarget) {
    this.#stack = stack;
    this.#target = target;
    this.reliable = target.transport !== 'udp';
    this.#connectionId = target.connectionId;
  }

  serialize(message: SipRequest | SipResponse): Uint8Array {
    return this.#stack.serialize(message);
  }

  send(bytes: Uint8Array, retransmission: boolean, onFailure: (error: unknown) => void): void {
    const target = this.#connectionId ?? this.#target.destination!;
    this.#stack.sendBytes(bytes, target, retransmission, false).then((result) => {
      if (this.reliable && this.#connectionId === undefined) this.#connectionId = result.connectionId;
    }, onFailure);
  }

  /** A channel to the same peer for the CANCEL of this INVITE (RFC 3261 §9.1: same destination). */
  sibling(): ClientChannel {
    const channel = new ClientChannel(this.#stack, {
      ...this.#target,
      connectionId: this.#connectionId ?? this.#target.connectionId,
    });
    return channel;
  }
}

/** A server transaction's way back to the client: the route of RFC 3261 §18.2.2, fixed when the request came. */
class ServerChannel implements TransactionChannel {
  readonly reliable: boolean;
  readonly #stack: SipStack;
  readonly #route: ResponseRoute;

  constructor(stack: SipStack, route: ResponseRoute, reliable: boolean) {
    this.#stack = stack;
    this.#route = route;
    this.reliable = reliable;
  }

  serialize(message: SipRequest | SipResponse): Uint8Array {
    return this.#stack.serialize(message);
  }

  send(bytes: Uint8Array, retransmission: boolean, onFailure: (error: unknown) => void): void {
    this.#stack.postRoutedResponse(bytes, this.#route, retransmission, onFailure);
  }
}
