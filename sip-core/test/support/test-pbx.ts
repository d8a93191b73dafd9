// A small PBX for the emulator's integration tests, built only on sip/stack, sip/dialog, sip/auth and
// media/session (not the softphone): it places outbound calls to the emulator (with real RTP, a tone source and a
// tone detector on what comes back), answers its digest challenge, sends BYE, CANCEL, re-INVITE and REFER, and
// answers the emulator's inbound INVITEs as a test says (status, challenge, or 200 with media).

import { DigestClient, DigestSecret, AUTH_HEADER_NAMES } from '../../src/sip/auth/index.js';
import { systemClock } from '../../src/common/clock.js';
import { SdpNegotiator } from '../../src/media/offer-answer/index.js';
import type { MediaDirection } from '../../src/media/sdp/index.js';
import { MediaSession, ToneDetectorSink, ToneSource } from '../../src/media/session/index.js';
import { Dialog, UacInviteDialogs, uacInviteKey } from '../../src/sip/dialog/index.js';
import {
  createRequest,
  createResponse,
  generateTag,
  parseUri,
  type SipRequest,
  type SipResponse,
} from '../../src/sip/message/index.js';
import { SipStack, type TransactionUser } from '../../src/sip/stack/index.js';
import type {
  InviteClientTransaction,
  NonInviteClientTransaction,
  ServerTransaction,
} from '../../src/sip/transaction/index.js';
import type {
  ListenerInfo,
  ReceivedMessageContext,
  SipTransportProtocol,
  TlsClientOptions,
  TlsServerOptions,
} from '../../src/sip/transport/index.js';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
  /** How to reach it; default: the PBX listener's transport. */
  readonly transport?: SipTransportProtocol;
}

export interface PbxMedia {
  readonly session: MediaSession;
  readonly negotiator: SdpNegotiator;
  readonly detector: ToneDetectorSink;
}

/** How the PBX answers the emulator's INVITEs (inbound calls). */
export type InboundAnswer =
  | { readonly kind: 'status'; readonly status: number }
  | { readonly kind: 'answer'; readonly toneHz?: number }
  | { readonly kind: 'challenge'; readonly then: InboundAnswer }
  | { readonly kind: 'ignore' };

const SDP = 'application/sdp';

/** One call the PBX placed or answered. */
export class PbxCall {
  readonly statuses: number[] = [];
  readonly requests: SipRequest[] = [];
  final: SipResponse | undefined;
  dialog: Dialog | undefined;
  media: PbxMedia | undefined;
  invite: SipRequest;
  transaction: InviteClientTransaction | undefined;
  /** With a late offer: our SDP answer to the emulator's offer in its 200, sent in the ACK. */
  lateAnswer: string | undefined;
  readonly #waiters: Array<{
    match: (request: SipRequest) => boolean;
    resolve: (request: SipRequest) => void;
  }> = [];

  constructor(invite: SipRequest) {
    this.invite = invite;
  }

  /** Resolves with the first request (received or still to come) that matches. */
  nextRequest(match: (request: SipRequest) => boolean): Promise<SipRequest> {
    const found = this.requests.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ match, resolve }));
  }

  received(request: SipRequest): void {
    this.requests.push(request);
    for (const waiter of [...this.#waiters]) {
      if (!waiter.match(request)) continue;
      this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
      waiter.resolve(request);
    }
  }
}

export class TestPbx implements TransactionUser {
  readonly stack: SipStack;
  listener!: ListenerInfo;
  /** How INVITEs from the emulator are answered (inbound calls). */
  inboundAnswer: InboundAnswer = { kind: 'answer' };
  readonly inboundInvites: SipRequest[] = [];
  /**
   * How the emulator's re-INVITEs are met: answered (default); held back (`defer`) until
   * `answerDeferredInvites`, so that an offer of ours crosses the emulator's; or refused once with 491 (`glare`).
   */
  inDialogInvites: { readonly kind: 'answer' | 'defer' | 'glare' } = { kind: 'answer' };
  readonly deferredInvites: Array<{ readonly call: PbxCall; readonly transaction: ServerTransaction }> = [];
  readonly #calls = new Map<string, PbxCall>();
  readonly #challenged = new Set<string>();
  readonly #dialogsByKey = new Map<string, UacInviteDialogs>();
  readonly #media = new Set<MediaSession>();

  private constructor(tls: TlsClientOptions | undefined) {
    // The stack's own acceptability checks would refuse the emulator's `message/sipfrag` NOTIFYs (415).
    this.stack = new SipStack({
      clock: systemClock,
      transactionUser: this,
      acceptability: false,
      ...(tls ? { transport: { tls } } : {}),
    });
  }

  /** `tls`: how the PBX verifies the emulator when it calls over TLS (the emulator's CA). */
  static async start(
    transport: SipTransportProtocol = 'udp',
    port = 0,
    tls?: { readonly client: TlsClientOptions; readonly server: TlsServerOptions },
  ): Promise<TestPbx> {
    const pbx = new TestPbx(tls?.client);
    pbx.listener = await pbx.stack.listen({
      transport,
      host: '127.0.0.1',
      port,
      ...(tls ? { tls: tls.server } : {}),
    });
    return pbx;
  }

  get endpoint(): Endpoint {
    return { address: this.listener.local.address, port: this.listener.local.port };
  }

  /**
   * INVITE `sip:<to>@<trunkHost>` sent to the emulator; resolves with the call once a final response arrived (the
   * 2xx ACKed, the RTP session running with a `toneHz` source). A 407 is answered once when `auth` is given.
   */
  async call(options: {
    readonly emulator: Endpoint;
    readonly to: string;
    readonly trunkHost: string;
    readonly from?: string;
    readonly auth?: { readonly username: string; readonly password: string };
    readonly toneHz?: number;
    readonly headers?: ReadonlyArray<readonly [string, string]>;
    /** Send the INVITE without SDP (RFC 3264 late offer): the 200 carries the offer, the ACK our answer. */
    readonly lateOffer?: boolean;
    /** Offer SDES SRTP as mandatory (RTP/SAVP), as a secure trunk requires. */
    readonly tls?: boolean;
    /** Called with the call as soon as the INVITE is sent (to CANCEL it, say). */
    readonly onSent?: (call: PbxCall) => void;
  }): Promise<PbxCall> {
    const local = this.listener.local;
    const media = await this.#openMedia(options.toneHz, options.tls === true);
    const offer = options.lateOffer ? undefined : media.negotiator.createOffer().sdp;
    const requestUri = `sip:${options.to}@${options.trunkHost}`;
    const base = {
      method: 'INVITE',
      requestUri,
      from: `sip:${options.from ?? '+14155550101'}@${local.address}`,
      to: requestUri,
      contact: `sip:pbx@${local.address}:${local.port};transport=${this.listener.transport}`,
      headers: options.headers ?? [],
      ...(offer !== undefined ? { body: offer, contentType: SDP } : {}),
    };
    let invite = createRequest(base);
    const call = new PbxCall(invite);
    call.media = media;
    let final = await this.#send(call, invite, options.emulator, options.onSent);
    if ((final.statusCode === 407 || final.statusCode === 401) && options.auth) {
      const names = AUTH_HEADER_NAMES[final.statusCode];
      const client = new DigestClient({
        username: options.auth.username,
        secret: DigestSecret.fromPassword(options.auth.password),
      });
      const authorization = client.respond(final.headers.getAll(names.challenge), {
        method: 'INVITE',
        uri: requestUri,
        body: invite.body,
      });
      invite = createRequest({
        ...base,
        callId: invite.callId!,
        from: invite.from!,
        cseq: (invite.cseq?.seq ?? 1) + 1,
        headers: [...base.headers, [names.credentials, authorization.headerValue]],
      });
      call.invite = invite;
      final = await this.#send(call, invite, options.emulator);
    }
    call.final = final;
    if (final.statusCode >= 200 && final.statusCode < 300) {
      if (offer !== undefined)
        media.session.start(media.negotiator.processAnswer(final.body.toString('utf8')));
    } else {
      await this.#closeMedia(media);
      call.media = undefined;
    }
    return call;
  }

  #send(
    call: PbxCall,
    invite: SipRequest,
    emulator: Endpoint,
    onSent?: (call: PbxCall) => void,
  ): Promise<SipResponse> {
    const dialogs = new UacInviteDialogs(invite, this.#ackSender(call), { forkPolicy: 'report' });
    const transaction = this.stack.sendInvite(invite, {
      destination: {
        host: emulator.address,
        port: emulator.port,
        transport: emulator.transport ?? this.listener.transport,
      },
    });
    call.transaction = transaction;
    this.#calls.set(invite.callId!, call);
    this.#dialogsByKey.set(dialogs.key, dialogs);
    onSent?.(call);
    return new Promise((resolve, reject) => {
      transaction.on('response', (response) => {
        call.statuses.push(response.statusCode);
        if (
          invite.body.length === 0 &&
          response.statusCode >= 200 &&
          response.statusCode < 300 &&
          call.media
        ) {
          // Late offer: answer the 200's offer before the ACK goes out (it carries the answer).
          call.lateAnswer ??= this.#answerLateOffer(call.media, response);
        }
        const outcome = dialogs.receive(response);
        if (outcome.kind === 'confirmed') {
          call.dialog = outcome.dialog;
          resolve(response);
        } else if (response.statusCode >= 300) resolve(response);
      });
      transaction.on('timeout', () => reject(new Error('the emulator did not answer the INVITE')));
      transaction.on('transportError', (error) => reject(error));
    });
  }

  /** Sends an in-dialog request and resolves with its final response. */
  request(
    call: PbxCall,
    method: string,
    init: Parameters<Dialog['createRequest']>[1] = {},
  ): Promise<SipResponse> {
    const request = call.dialog!.createRequest(method, init);
    return finalOf(this.stack.sendRequest(request));
  }

  bye(call: PbxCall): Promise<SipResponse> {
    return this.request(call, 'BYE');
  }

  /** A re-INVITE with a new offer in `direction`; ACKs the 2xx and applies the answer to the media. */
  async reinvite(call: PbxCall, direction: MediaDirection): Promise<SipResponse> {
    const media = call.media!;
    const offer = media.negotiator.createOffer({ direction }).sdp;
    const request = call.dialog!.createRequest('INVITE', { body: offer, contentType: SDP });
    const transaction = this.stack.sendInvite(request);
    const response = await new Promise<SipResponse>((resolve, reject) => {
      transaction.on('response', (r) => {
        if (r.statusCode >= 200) resolve(r);
      });
      transaction.on('timeout', () => reject(new Error('re-INVITE timed out')));
    });
    if (response.statusCode < 300) {
      call.dialog!.receiveResponse(response);
      await this.stack.sendAck(call.dialog!.createAck(request));
      media.session.update(media.negotiator.processAnswer(response.body.toString('utf8')));
    } else media.negotiator.cancelOffer();
    return response;
  }

  #answerLateOffer(media: PbxMedia, response: SipResponse): string {
    const answered = media.negotiator.processOffer(response.body.toString('utf8'));
    media.session.start(answered.negotiated);
    return answered.sdp;
  }

  /** Sends ACKs through the stack; the ACK of a late-offer 2xx gets our SDP answer as its body. */
  #ackSender(call: PbxCall) {
    return {
      sendAck: (ack: SipRequest) => {
        if (call.lateAnswer !== undefined && ack.body.length === 0) {
          ack.headers.append('Content-Type', SDP);
          ack.body = Buffer.from(call.lateAnswer);
        }
        return this.stack.sendAck(ack);
      },
      sendRequest: (request: SipRequest) => this.stack.sendRequest(request),
    };
  }

  cancel(call: PbxCall): void {
    if (call.transaction) this.stack.cancel(call.transaction);
  }

  /** Stops sending RTP (to provoke the emulator's inactivity timer) without telling the emulator. */
  async silence(call: PbxCall): Promise<void> {
    if (call.media) await this.#closeMedia(call.media);
  }

  // ── The emulator's requests ───────────────────────────────────────────────────────────────────────────────

  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void {
    const request = transaction.request;
    const call = this.#calls.get(request.callId ?? '');
    if (request.method === 'INVITE' && request.to?.tag === undefined) {
      void this.#onInboundInvite(transaction, context);
      return;
    }
    if (call) {
      call.received(request);
      if (request.method === 'INVITE' && call.media) {
        if (this.inDialogInvites.kind === 'defer') {
          // Glare tests: the emulator's re-INVITE stays pending until the test answers it.
          this.deferredInvites.push({ call, transaction });
          return;
        }
        if (this.inDialogInvites.kind === 'glare') {
          this.inDialogInvites = { kind: 'answer' };
          transaction.respond(createResponse(request, 491, { headers: [['Retry-After', '1']] }));
          return;
        }
        this.#answerInDialogOffer(call, transaction);
        return;
      }
      call.dialog?.receiveRequest(request);
      transaction.respond(createResponse(request, 200));
      if (request.method === 'BYE') void this.#closeCallMedia(call);
      return;
    }
    transaction.respond(createResponse(request, 481, { toTag: generateTag() }));
  }

  /** Answers the emulator's re-INVITEs held back by `inDialogInvites: { kind: 'defer' }`. */
  answerDeferredInvites(): void {
    this.inDialogInvites = { kind: 'answer' };
    for (const { call, transaction } of this.deferredInvites.splice(0)) {
      this.#answerInDialogOffer(call, transaction);
    }
  }

  /** The far end's hold / resume: answer its offer. */
  #answerInDialogOffer(call: PbxCall, transaction: ServerTransaction): void {
    const request = transaction.request;
    if (!call.media) return;
    try {
      const answered = call.media.negotiator.processOffer(request.body.toString('utf8'));
      call.media.session.update(answered.negotiated);
      call.dialog?.receiveRequest(request);
      transaction.respond(
        createResponse(request, 200, {
          body: answered.sdp,
          contentType: SDP,
          headers: [['Contact', `<sip:pbx@${this.listener.local.address}:${this.listener.local.port}>`]],
        }),
      );
    } catch {
      transaction.respond(createResponse(request, 488));
    }
  }

  onAck(ack: SipRequest): void {
    this.#calls.get(ack.callId ?? '')?.received(ack);
  }

  onStrayResponse(response: SipResponse): void {
    const key = uacInviteKey(response);
    if (key !== undefined) this.#dialogsByKey.get(key)?.receive(response);
  }

  async #onInboundInvite(transaction: ServerTransaction, _context: ReceivedMessageContext): Promise<void> {
    const request = transaction.request;
    this.inboundInvites.push(request);
    let answer = this.inboundAnswer;
    if (answer.kind === 'challenge') {
      if (!this.#challenged.has(request.callId ?? '')) {
        this.#challenged.add(request.callId ?? '');
        transaction.respond(
          createResponse(request, 401, {
            toTag: generateTag(),
            headers: [
              ['WWW-Authenticate', 'Digest realm="pbx.test", nonce="abc123", qop="auth", algorithm=MD5'],
            ],
          }),
        );
        return;
      }
      answer = answer.then;
    }
    if (answer.kind === 'ignore' || answer.kind === 'challenge') return;
    if (answer.kind === 'status') {
      transaction.respond(createResponse(request, answer.status, { toTag: generateTag() }));
      return;
    }
    const media = await this.#openMedia(answer.toneHz);
    const answered = media.negotiator.processOffer(request.body.toString('utf8'));
    media.session.start(answered.negotiated);
    const local = this.listener.local;
    const response = createResponse(request, 200, {
      toTag: generateTag(),
      headers: [['Contact', `<sip:pbx@${local.address}:${local.port};transport=${this.listener.transport}>`]],
      body: answered.sdp,
      contentType: SDP,
    });
    const call = new PbxCall(request);
    call.media = media;
    call.final = response;
    call.dialog = Dialog.fromRequest(request, response, parseUri(`sip:pbx@${local.address}:${local.port}`));
    this.#calls.set(request.callId ?? '', call);
    transaction.respond(response);
    this.inboundCalls.push(call);
  }

  readonly inboundCalls: PbxCall[] = [];

  async #openMedia(toneHz = 700, srtp = false): Promise<PbxMedia> {
    const session = await MediaSession.open({
      clock: systemClock,
      localAddress: '127.0.0.1',
      portRange: { minPort: 40000, maxPort: 49999 },
      inactivityTimeoutMs: 0,
      statsIntervalMs: 0,
    });
    this.#media.add(session);
    session.setSource(ToneSource.sine(toneHz));
    const detector = new ToneDetectorSink();
    session.addSink(detector);
    const negotiator = new SdpNegotiator({
      local: {
        address: '127.0.0.1',
        rtpPort: session.localRtpPort ?? 0,
        ...(session.localRtcpPort !== undefined ? { rtcpPort: session.localRtcpPort } : {}),
      },
      srtpPolicy: srtp ? 'mandatory' : 'off',
    });
    return { session, negotiator, detector };
  }

  async #closeCallMedia(call: PbxCall): Promise<void> {
    if (call.media) await this.#closeMedia(call.media);
  }

  async #closeMedia(media: PbxMedia): Promise<void> {
    this.#media.delete(media.session);
    await media.session.close();
  }

  async close(): Promise<void> {
    for (const session of [...this.#media]) await session.close().catch(() => undefined);
    this.#media.clear();
    await this.stack.close();
  }
}

export function finalOf(transaction: NonInviteClientTransaction): Promise<SipResponse> {
  return new Promise((resolve, reject) => {
    transaction.on('response', (response) => {
      if (response.statusCode >= 200) resolve(response);
    });
    transaction.on('timeout', () => reject(new Error('no final response')));
    transaction.on('transportError', (error) => reject(error));
  });
}
