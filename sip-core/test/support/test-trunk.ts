// A small Zentrunk stand-in for the softphone's tests, built only from our own stack (sip/stack, sip/dialog,
// sip/auth) and media (media/offer-answer, media/session) — no sip.js, so the phone and its peer share no dialog
// code. It answers INVITEs by the dialled number's scenario, challenges with our DigestServer (MD5 or SHA-256),
// refuses wrong credentials with 403 + X-ZT-Hangup-Code 4180 as the emulator does (BEHAVIOUR.md §20), plays
// a tone and listens (tone detector, RFC 4733 digits), handles REFER the Zentrunk way (202, NOTIFY 100/180/200,
// then BYE — §7), answers OPTIONS, and can call the phone, send it UPDATE, re-INVITE and BYE.

import { systemClock, type Clock } from '../../src/common/clock.js';
import { SdpNegotiator, type NegotiatedMedia, type SrtpPolicy } from '../../src/media/offer-answer/index.js';
import {
  MediaSession,
  RtpPortAllocator,
  ToneDetectorSink,
  ToneSource,
} from '../../src/media/session/index.js';
import {
  DigestSecret,
  DigestServer,
  digestVerificationAction,
  type DigestAlgorithm,
} from '../../src/sip/auth/index.js';
import {
  Dialog,
  dialogIdOfIncomingRequest,
  dialogKey,
  Uas2xxRetransmitter,
} from '../../src/sip/dialog/index.js';
import {
  createRequest,
  createResponse,
  generateTag,
  parseUri,
  type SipRequest,
  type SipResponse,
} from '../../src/sip/message/index.js';
import {
  SipStack,
  type SendRequestOptions,
  type SipStackOptions,
  type TransactionUser,
} from '../../src/sip/stack/index.js';
import type {
  InviteClientTransaction,
  InviteServerTransaction,
  NonInviteClientTransaction,
  ServerTransaction,
} from '../../src/sip/transaction/index.js';
import type { ListenerInfo, ListenOptions, ReceivedMessageContext } from '../../src/sip/transport/index.js';

/** What the trunk does with an INVITE, chosen by the dialled number (Request-URI user). */
export type TrunkScenario =
  /** 100, 180, then 200 with an SDP answer after `answerAfterMs` (default 0). */
  | { readonly kind: 'answer'; readonly answerAfterMs?: number; readonly earlyMedia?: boolean }
  /** 180 (or 183 with SDP) and never an answer: for CANCEL. */
  | { readonly kind: 'ring'; readonly earlyMedia?: boolean }
  /** A final error, optionally with Zentrunk's hangup headers. */
  | {
      readonly kind: 'reject';
      readonly status: number;
      readonly reason?: string;
      readonly hangupCode?: number;
      readonly causeName?: string;
    };

export type ReferBehaviour =
  /** 202, NOTIFY 100 / 180 / 200, then BYE to the transferor (Zentrunk, §7). */
  | { readonly kind: 'succeed'; readonly bye?: boolean }
  /** 202, NOTIFY 100, then NOTIFY with this failure status (the call stays up). */
  | { readonly kind: 'fail'; readonly status: number; readonly reason: string }
  /** Refused outright. */
  | { readonly kind: 'refuse'; readonly status: number };

export interface TestTrunkOptions {
  readonly listen: readonly ListenOptions[];
  readonly clock?: Clock;
  /** The domain the trunk serves (Refer-To must be in it, §7); default 127.0.0.1. */
  readonly domain?: string;
  /** Challenge INVITEs with 407 and check the answer (default: no authentication, an IP-ACL trunk). */
  readonly auth?: {
    readonly algorithms: readonly DigestAlgorithm[];
    readonly username: string;
    readonly password: string;
  };
  readonly srtpPolicy?: SrtpPolicy;
  /** The trunk's audio (default a 1 kHz tone). */
  readonly toneHz?: number;
  readonly scenario?: (number: string) => TrunkScenario;
  readonly refer?: ReferBehaviour;
  /**
   * Send in-dialog requests back to where the call's INVITE came from, as a NAT-aware edge does, instead of to the
   * phone's Contact (the lossy relay tests need every message on the relayed path).
   */
  readonly symmetricSignalling?: boolean;
  /** How long the trunk holds its answer to the phone's re-INVITEs (to cross requests on the wire). */
  readonly reinviteAnswerDelayMs?: number;
  /** Stack options, e.g. `{ transport: { tls: { ca } } }` to trust the phone's certificate. */
  readonly stack?: Omit<SipStackOptions, 'clock' | 'transactionUser' | 'acceptability'>;
}

/** One call the trunk took part in, with what it saw. */
export class TrunkCall {
  readonly number: string;
  readonly invite: SipRequest;
  readonly context: ReceivedMessageContext;
  /** In-dialog requests the trunk received, in order (method names). */
  readonly requests: string[] = [];
  /** Responses the trunk received to its own in-dialog requests (`METHOD status`). */
  readonly responses: string[] = [];
  readonly referTo: string[] = [];
  /** NOTIFYs the phone sent (as a transferee): the sipfrag status line and Subscription-State. */
  readonly notifies: Array<{ readonly sipfrag: string; readonly subscriptionState: string }> = [];
  readonly dtmf: string[] = [];
  readonly detector = new ToneDetectorSink({ windowMs: 1500 });
  dialog: Dialog | undefined;
  media: MediaSession | undefined;
  negotiator: SdpNegotiator | undefined;
  negotiated: NegotiatedMedia | undefined;
  byeReceived: SipRequest | undefined;
  ended = false;
  /** Set while our own in-dialog INVITE is outstanding. */
  pendingInvite: InviteClientTransaction | undefined;
  /** Re-sends the trunk's 200 until the phone's ACK (RFC 3261 §13.3.1.4). */
  retransmitter: Uas2xxRetransmitter | undefined;
  readonly #trunk: TestTrunk;
  #direction: 'sendonly' | 'sendrecv' = 'sendrecv';

  constructor(trunk: TestTrunk, number: string, invite: SipRequest, context: ReceivedMessageContext) {
    this.#trunk = trunk;
    this.number = number;
    this.invite = invite;
    this.context = context;
  }

  /** Sends an in-dialog request and resolves with its final response. */
  request(
    method: string,
    init: { body?: string; contentType?: string; headers?: ReadonlyArray<readonly [string, string]> } = {},
  ): Promise<SipResponse> {
    return this.#trunk.sendInDialog(this, method, init);
  }

  /** Ends the call from the trunk's side, optionally with Zentrunk's hangup headers. */
  bye(headers: ReadonlyArray<readonly [string, string]> = []): Promise<SipResponse> {
    this.ended = true;
    return this.request('BYE', { headers });
  }

  /** A re-INVITE with a fresh offer (hold: sendonly). */
  reinvite(direction: 'sendonly' | 'sendrecv'): Promise<SipResponse> {
    return this.#trunk.sendReinvite(this, direction);
  }

  /** An UPDATE with an offer (hold/resume) or without a body (a session refresh, RFC 4028). */
  update(direction?: 'sendonly' | 'sendrecv'): Promise<SipResponse> {
    if (direction === undefined) return this.request('UPDATE');
    const negotiator = this.negotiator!;
    const previous = this.#direction;
    const offer = negotiator.createOffer({ direction });
    return this.request('UPDATE', { body: offer.sdp, contentType: 'application/sdp' }).then((response) => {
      if (response.statusCode === 200 && response.body.length > 0) {
        this.#direction = direction;
        this.#apply(negotiator.processAnswer(response.body.toString('utf8')));
      } else {
        // Refused: the session and the direction we want stay as they were (RFC 3311 §5.2).
        negotiator.createOffer({ direction: previous });
        negotiator.cancelOffer();
      }
      return response;
    });
  }

  /** @internal */
  apply(negotiated: NegotiatedMedia): void {
    this.#apply(negotiated);
  }

  #apply(negotiated: NegotiatedMedia): void {
    this.negotiated = negotiated;
    if (this.media === undefined) return;
    if (this.media.state === 'idle') this.media.start(negotiated);
    else this.media.update(negotiated);
  }
}

export class TestTrunk implements TransactionUser {
  readonly stack: SipStack;
  readonly listeners: ListenerInfo[] = [];
  readonly calls: TrunkCall[] = [];
  /** Every OPTIONS received, with the time on the trunk's clock. */
  readonly options: number[] = [];
  /** Every request received: method, Request-URI and source address (for the source-range tests). */
  readonly received: Array<{ method: string; requestUri: string; source: string }> = [];
  readonly domain: string;
  readonly #options: TestTrunkOptions;
  readonly #digest: DigestServer | undefined;
  readonly #ports = new RtpPortAllocator({ minPort: 31_000, maxPort: 39_000 });
  readonly #byDialog = new Map<string, TrunkCall>();
  readonly #retransmitters = new Set<Uas2xxRetransmitter>();
  #lastInvite: InviteClientTransaction | undefined;

  private constructor(options: TestTrunkOptions) {
    this.#options = options;
    this.domain = options.domain ?? '127.0.0.1';
    const clock = options.clock ?? systemClock;
    this.stack = new SipStack({
      ...options.stack,
      clock,
      transactionUser: this,
      acceptability: {
        role: 'uas',
        allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REFER', 'NOTIFY', 'UPDATE'],
        acceptedContentTypes: ['application/sdp', 'message/sipfrag'],
      },
    });
    if (options.auth) this.#digest = new DigestServer({ clock, algorithms: [...options.auth.algorithms] });
  }

  static async start(options: TestTrunkOptions): Promise<TestTrunk> {
    const trunk = new TestTrunk(options);
    for (const listen of options.listen) trunk.listeners.push(await trunk.stack.listen(listen));
    return trunk;
  }

  listener(transport: ListenerInfo['transport']): ListenerInfo {
    const found = this.listeners.find((l) => l.transport === transport);
    if (!found) throw new Error(`the test trunk has no ${transport} listener`);
    return found;
  }

  async close(): Promise<void> {
    for (const retransmitter of this.#retransmitters) retransmitter.dispose();
    await Promise.all(this.calls.map((call) => call.media?.close() ?? Promise.resolve()));
    await this.stack.close();
  }

  /** The call the trunk took for `number` (the latest one). */
  callTo(number: string): TrunkCall | undefined {
    return [...this.calls].reverse().find((call) => call.number === number);
  }

  // ── TransactionUser ──────────────────────────────────────────────────────────────────────────────────────

  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void {
    const request = transaction.request;
    this.received.push({
      method: request.method,
      requestUri: request.requestUriText,
      source: context.remote.address,
    });
    const call = this.#callOf(request);
    if (call !== undefined) {
      this.#inDialog(call, transaction, request);
      return;
    }
    switch (request.method) {
      case 'INVITE':
        this.#onInvite(transaction as InviteServerTransaction, request, context);
        return;
      case 'OPTIONS':
        this.options.push(this.stack.clock.now());
        transaction.respond(
          createResponse(request, 200, {
            toTag: generateTag(),
            headers: [['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE']],
          }),
        );
        return;
      default:
        transaction.respond(createResponse(request, 481, { toTag: generateTag() }));
    }
  }

  onAck(ack: SipRequest): void {
    const call = this.#callOf(ack);
    if (call === undefined) return;
    call.requests.push('ACK');
    call.retransmitter?.ackReceived();
    if (ack.body.length > 0 && call.negotiator?.hasPendingOffer) {
      call.apply(call.negotiator.processAnswer(ack.body.toString('utf8')));
    }
  }

  onCancel(invite: InviteServerTransaction, cancel: SipRequest, context: ReceivedMessageContext): void {
    this.received.push({
      method: 'CANCEL',
      requestUri: cancel.requestUriText,
      source: context.remote.address,
    });
    invite.respond(createResponse(invite.request, 487, { toTag: generateTag() }));
  }

  // ── Calls from the phone ─────────────────────────────────────────────────────────────────────────────────

  #onInvite(
    transaction: InviteServerTransaction,
    request: SipRequest,
    context: ReceivedMessageContext,
  ): void {
    if (this.#digest !== undefined && !this.#authorised(transaction, request)) return;
    const number = request.requestUri.kind === 'sip' ? (request.requestUri.user ?? '') : '';
    const scenario = this.#options.scenario?.(number) ?? { kind: 'answer' };
    const toTag = generateTag();
    if (scenario.kind === 'reject') {
      const headers: Array<[string, string]> = [];
      if (scenario.hangupCode !== undefined) headers.push(['X-ZT-Hangup-Code', String(scenario.hangupCode)]);
      if (scenario.causeName !== undefined) {
        headers.push(['Reason', `SIP;cause=${scenario.status};text="${scenario.causeName}"`]);
      }
      transaction.respond(
        createResponse(request, scenario.status, {
          toTag,
          headers,
          ...(scenario.reason !== undefined ? { reasonPhrase: scenario.reason } : {}),
        }),
      );
      return;
    }
    const call = new TrunkCall(this, number, request, context);
    this.calls.push(call);
    void this.#answer(call, transaction, toTag, scenario, context).catch((error: unknown) => {
      if (!transaction.isTerminated && transaction.finalStatus === undefined) {
        transaction.respond(
          createResponse(request, 488, { toTag, reasonPhrase: String(error).slice(0, 60) }),
        );
      }
    });
  }

  #authorised(transaction: InviteServerTransaction, request: SipRequest): boolean {
    const auth = this.#options.auth!;
    const result = this.#digest!.verify({
      realm: this.domain,
      credentials: request.headers.getAll('Proxy-Authorization'),
      request: { method: request.method, uri: request.requestUriText, body: request.body },
      lookup: (username) =>
        username === auth.username ? DigestSecret.fromPassword(auth.password) : undefined,
    });
    const action = digestVerificationAction(result);
    if (action === 'accept') return true;
    const toTag = generateTag();
    if (action === 'forbid') {
      transaction.respond(
        createResponse(request, 403, {
          toTag,
          headers: [
            ['X-ZT-Hangup-Code', '4180'],
            ['Reason', 'SIP;cause=403;text="call_rejected_unauthorized"'],
          ],
        }),
      );
      return false;
    }
    if (action === 'bad-request') {
      transaction.respond(createResponse(request, 400, { toTag }));
      return false;
    }
    const challenges = this.#digest!.createChallenges({
      realm: this.domain,
      stale: action === 'challenge-stale',
    });
    transaction.respond(
      createResponse(request, 407, {
        toTag,
        headers: challenges.map((value) => ['Proxy-Authenticate', value] as [string, string]),
      }),
    );
    return false;
  }

  async #answer(
    call: TrunkCall,
    transaction: InviteServerTransaction,
    toTag: string,
    scenario: Exclude<TrunkScenario, { kind: 'reject' }>,
    context: ReceivedMessageContext,
  ): Promise<void> {
    const request = call.invite;
    const media = await MediaSession.open({ clock: this.stack.clock, portAllocator: this.#ports });
    call.media = media;
    media.setSource(ToneSource.sine(this.#options.toneHz ?? 1000));
    media.addSink(call.detector);
    media.on('dtmf', (event) => {
      if (event.type === 'digit-end') call.dtmf.push(event.symbol);
    });
    const negotiator = new SdpNegotiator({
      local: { address: '127.0.0.1', rtpPort: media.localRtpPort!, rtcpPort: media.localRtcpPort! },
      srtpPolicy: this.#options.srtpPolicy ?? 'optional',
    });
    call.negotiator = negotiator;
    const answer = negotiator.processOffer(request.body.toString('utf8'));
    const contact = this.#contact(context);
    const early = scenario.earlyMedia === true;
    const provisional = createResponse(request, early ? 183 : 180, {
      toTag,
      headers: [['Contact', contact]],
      ...(early ? { body: answer.sdp, contentType: 'application/sdp' } : {}),
    });
    transaction.respond(provisional);
    if (early) call.apply(answer.negotiated);
    if (scenario.kind === 'ring') return;
    const delayMs = scenario.answerAfterMs ?? 0;
    if (delayMs > 0)
      await new Promise((resolve) => this.stack.clock.setTimeout(() => resolve(undefined), delayMs));
    if (transaction.isTerminated || transaction.finalStatus !== undefined) return;
    const ok = createResponse(request, 200, {
      toTag,
      headers: [['Contact', contact]],
      body: answer.sdp,
      contentType: 'application/sdp',
    });
    transaction.respond(ok);
    if (!early) call.apply(answer.negotiated);
    const dialog = Dialog.fromRequest(request, ok, parseUri(`sip:zentrunk@${contactHost(context)}`));
    call.dialog = dialog;
    this.#byDialog.set(dialog.key, call);
    const retransmitter = new Uas2xxRetransmitter({
      clock: this.stack.clock,
      timers: this.stack.timers,
      reliable: context.transport !== 'udp',
      resend: () => {
        if (!transaction.isTerminated) transaction.respond(ok);
        else void this.stack.sendResponse(ok, context, true).catch(() => undefined);
      },
    });
    this.#retransmitters.add(retransmitter);
    call.retransmitter = retransmitter;
  }

  #contact(context: ReceivedMessageContext): string {
    return `<sip:zentrunk@${contactHost(context)};transport=${context.transport}>`;
  }

  #callOf(request: SipRequest): TrunkCall | undefined {
    const id = dialogIdOfIncomingRequest(request);
    return id === undefined ? undefined : this.#byDialog.get(dialogKey(id));
  }

  #inDialog(call: TrunkCall, transaction: ServerTransaction, request: SipRequest): void {
    call.requests.push(request.method);
    const verdict = call.dialog!.receiveRequest(request);
    if (!verdict.accepted) {
      transaction.respond(createResponse(request, verdict.statusCode));
      return;
    }
    switch (request.method) {
      case 'BYE':
        call.byeReceived = request;
        call.ended = true;
        call.retransmitter?.dispose();
        transaction.respond(createResponse(request, 200));
        void call.media?.close();
        return;
      case 'INVITE': {
        // A re-INVITE from the phone (hold/resume): answer its offer, after the configured delay.
        const answerReinvite = () => {
          const answer = call.negotiator!.processOffer(request.body.toString('utf8'));
          const ok = createResponse(request, 200, {
            headers: [['Contact', this.#contact(call.context)]],
            body: answer.sdp,
            contentType: 'application/sdp',
          });
          transaction.respond(ok);
          call.apply(answer.negotiated);
        };
        const delayMs = this.#options.reinviteAnswerDelayMs ?? 0;
        if (delayMs > 0) this.stack.clock.setTimeout(answerReinvite, delayMs);
        else answerReinvite();
        return;
      }
      case 'REFER':
        this.#onRefer(call, transaction, request);
        return;
      case 'NOTIFY':
        call.notifies.push({
          sipfrag: request.body.toString('utf8').split('\r\n')[0] ?? '',
          subscriptionState: request.headers.get('Subscription-State') ?? '',
        });
        transaction.respond(createResponse(request, 200));
        return;
      default:
        transaction.respond(createResponse(request, 200));
    }
  }

  #onRefer(call: TrunkCall, transaction: ServerTransaction, request: SipRequest): void {
    const referTo = request.headers.get('Refer-To') ?? '';
    call.referTo.push(referTo);
    const behaviour = this.#options.refer ?? { kind: 'succeed' };
    const host = /sip:[^@]*@([^;>?]+)/.exec(referTo)?.[1] ?? '';
    // Zentrunk's rule (§7): the target must be in the trunk's own domain.
    if (behaviour.kind === 'refuse' || host.replace(/:\d+$/, '') !== this.domain) {
      transaction.respond(createResponse(request, behaviour.kind === 'refuse' ? behaviour.status : 403));
      return;
    }
    transaction.respond(createResponse(request, 202));
    const notify = async (fragment: string, state: string) => {
      await call.request('NOTIFY', {
        body: `${fragment}\r\n`,
        contentType: 'message/sipfrag',
        headers: [
          ['Event', 'refer'],
          ['Subscription-State', state],
        ],
      });
    };
    void (async () => {
      await notify('SIP/2.0 100 Trying', 'active;expires=60');
      if (behaviour.kind === 'fail') {
        await notify(`SIP/2.0 ${behaviour.status} ${behaviour.reason}`, 'terminated;reason=noresource');
        return;
      }
      await notify('SIP/2.0 180 Ringing', 'active;expires=60');
      await notify('SIP/2.0 200 OK', 'terminated;reason=noresource');
      if (behaviour.bye !== false) await call.bye();
    })().catch(() => undefined);
  }

  // ── Requests from the trunk ──────────────────────────────────────────────────────────────────────────────

  /** @internal */
  sendInDialog(
    call: TrunkCall,
    method: string,
    init: { body?: string; contentType?: string; headers?: ReadonlyArray<readonly [string, string]> },
  ): Promise<SipResponse> {
    const request = call.dialog!.createRequest(method, init);
    const transaction = this.stack.sendRequest(request, this.#routeTo(call));
    return this.#finalResponse(transaction).then((response) => {
      call.responses.push(`${method} ${response.statusCode}`);
      return response;
    });
  }

  /** @internal */
  sendReinvite(call: TrunkCall, direction: 'sendonly' | 'sendrecv'): Promise<SipResponse> {
    const offer = call.negotiator!.createOffer({ direction });
    const invite = call.dialog!.createRequest('INVITE', { body: offer.sdp, contentType: 'application/sdp' });
    const transaction = this.stack.sendInvite(invite, this.#routeTo(call));
    call.pendingInvite = transaction;
    return this.#finalResponse(transaction).then((response) => {
      call.pendingInvite = undefined;
      call.responses.push(`INVITE ${response.statusCode}`);
      if (response.statusCode >= 200 && response.statusCode < 300) {
        call.dialog!.receiveResponse(response);
        void this.stack.sendAck(call.dialog!.createAck(invite), this.#routeTo(call));
        call.apply(call.negotiator!.processAnswer(response.body.toString('utf8')));
      } else {
        call.negotiator!.cancelOffer();
      }
      return response;
    });
  }

  /**
   * Calls the phone (Zentrunk delivering an inbound call to its origination URI, §5.2): INVITE with an offer to
   * `requestUri`, ACK on 2xx. Resolves with the final response and the call.
   */
  async callPhone(
    requestUri: string,
    options: { from?: string; transport?: ListenerInfo['transport'] } = {},
  ): Promise<{ response: SipResponse; call: TrunkCall }> {
    const transport = options.transport ?? this.listeners[0].transport;
    const listener = this.listener(transport);
    const media = await MediaSession.open({ clock: this.stack.clock, portAllocator: this.#ports });
    const negotiator = new SdpNegotiator({
      local: { address: '127.0.0.1', rtpPort: media.localRtpPort!, rtcpPort: media.localRtcpPort! },
      srtpPolicy: this.#options.srtpPolicy ?? 'optional',
    });
    const offer = negotiator.createOffer();
    const from = options.from ?? '+14155550199';
    const contact = `sip:zentrunk@${listener.local.address}:${listener.local.port};transport=${transport}`;
    const invite = createRequest({
      method: 'INVITE',
      requestUri,
      from: `sip:${from}@zt.plivo.com`,
      to: requestUri,
      contact,
      headers: [
        ['User-Agent', 'Zentrunk'],
        ['Allow', 'INVITE,ACK,CANCEL,BYE,UPDATE'],
      ],
      body: offer.sdp,
      contentType: 'application/sdp',
    });
    const uri = parseUri(requestUri);
    const remote =
      uri.kind === 'sip'
        ? { address: uri.host, port: uri.port ?? 5060 }
        : { address: '127.0.0.1', port: 5060 };
    const context: ReceivedMessageContext = { transport, local: listener.local, remote };
    const call = new TrunkCall(this, uri.kind === 'sip' ? (uri.user ?? '') : '', invite, context);
    call.media = media;
    call.negotiator = negotiator;
    media.setSource(ToneSource.sine(this.#options.toneHz ?? 1000));
    media.addSink(call.detector);
    media.on('dtmf', (event) => {
      if (event.type === 'digit-end') call.dtmf.push(event.symbol);
    });
    this.calls.push(call);
    const transaction = this.stack.sendInvite(invite);
    this.#lastInvite = transaction;
    const response = await new Promise<SipResponse>((resolve) => {
      transaction.on('response', (r) => {
        if (r.statusCode >= 200) resolve(r);
      });
      transaction.on('timeout', () => resolve(createResponse(invite, 408)));
      transaction.on('transportError', () => resolve(createResponse(invite, 503)));
    });
    if (response.statusCode >= 200 && response.statusCode < 300) {
      const dialog = Dialog.fromResponse(invite, response, parseUri(contact));
      call.dialog = dialog;
      this.#byDialog.set(dialog.key, call);
      void this.stack.sendAck(dialog.createAck(invite), this.#routeTo(call));
      call.apply(negotiator.processAnswer(response.body.toString('utf8')));
    } else {
      await media.close();
    }
    return { response, call };
  }

  /** Cancels the INVITE of the last `callPhone` (the caller hangs up before the answer). */
  cancelLastInvite(): Promise<void> {
    if (this.#lastInvite !== undefined) this.stack.cancel(this.#lastInvite);
    return Promise.resolve();
  }

  #routeTo(call: TrunkCall): SendRequestOptions {
    // Back over the connection the call came in on (what Zentrunk's edge does): the phone's own TLS listener has
    // a self-signed certificate this trunk would not trust.
    if (call.context.connectionId !== undefined) return { connectionId: call.context.connectionId };
    if (this.#options.symmetricSignalling === true && call.context.transport === 'udp') {
      const { remote, local } = call.context;
      return { destination: { transport: 'udp', host: remote.address, port: remote.port, local } };
    }
    return {};
  }

  #finalResponse(transaction: InviteClientTransaction | NonInviteClientTransaction): Promise<SipResponse> {
    const request = transaction.request;
    return new Promise((resolve) => {
      const on = transaction as unknown as {
        on(event: string, listener: (...args: never[]) => void): void;
      };
      on.on('response', (response: SipResponse) => {
        if (response.statusCode >= 200) resolve(response);
      });
      on.on('timeout', () => resolve(createResponse(request, 408)));
      on.on('transportError', () => resolve(createResponse(request, 503)));
    });
  }
}

function contactHost(context: ReceivedMessageContext): string {
  return `${context.local.address}:${context.local.port}`;
}
