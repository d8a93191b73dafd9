// One call leg between the emulator and the customer's side (a PBX, a softphone): the SIP dialog, the emulator's
// media for it, the facts its CDR is made of, and everything that happens once the dialog exists (BEHAVIOUR.md
// §6): re-INVITE and UPDATE (hold, resume, codec change, session refresh) answered through the SDP negotiator,
// BYE either way, 491 on glare, RTP inactivity, DTMF, in-dialog methods Zentrunk does not support. The setup of
// the leg — policy and far end for an outbound call, failover and digest for an inbound one — belongs to its
// driver (outbound/, inbound/); REFER to transfer/.
//
//   setup ──(18x with tag sent / received)──► early ──(2xx)──► answered ──(BYE, timeout, transfer, stop)──┐
//     └────────────────────────(final error, CANCEL)──────────────────────────────────────────────────────┴─► ended
//
// An idle established leg holds its dialog, one RTP socket (FarEndMedia, docs/adr/0081), its facts and nothing
// else: no timer runs for it unless RTP inactivity is watched, and no parsed request is kept.

import { detachString } from '../../common/detached-string.js';
import { describeError } from '../../common/errors.js';
import type { DtmfSymbol } from '../../media/dtmf/dtmf-symbols.js';
import { NegotiationError } from '../../media/offer-answer/index.js';
import { SdpParseError, type MediaDirection } from '../../media/sdp/index.js';
import {
  allowHeaderValue,
  causeOf,
  mapInDialogFailure,
  timerExpiry,
  type HangupCause,
  type SipTransport,
  type StirResult,
  type Trunk,
} from '../../policy/index.js';
import { type Dialog, DialogState, Uas2xxRetransmitter } from '../../sip/dialog/index.js';
import {
  createResponse,
  parseSipMessage,
  type SipRequest,
  type SipResponse,
  type Via,
} from '../../sip/message/index.js';
import { responseRoute, type SendRequestOptions, type SipStack } from '../../sip/stack/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../../sip/transaction/index.js';
import type { ReceivedMessageContext } from '../../sip/transport/index.js';
import type { JsonValue } from '../../store/index.js';
import { instantNow, type CallLegFacts, type DecidingRuleFacts, type LegInstant } from '../cdr/index.js';
import { errorEvent, stamped, type CallState } from '../emulator-events.js';
import type { CallLease } from '../limits/index.js';
import type { FarEndMedia, FarEndMediaOwner, FarEndMediaSummary } from '../media/far-end-media.js';
import type { DialogOwner, LiveCall } from './call-registry.js';
import { newCallUuid } from './call-uuid.js';
import { HeldResponse } from './held-response.js';
import type { EmulatorContext } from './emulator-context.js';
import { hangupHeaders, USER_AGENT, type HeaderList } from './zentrunk-headers.js';

export type LegState = 'setup' | 'early' | 'answered' | 'ended';

/** Rules the end of an established call rests on (they go into the CDR's policy fields). */
export const LEG_RULES = {
  customerBye: { ruleId: 'call.bye-customer', section: '§4.3, §13', grade: 'D-old' },
  carrierBye: { ruleId: 'far-end.hangup', section: '§4.3, §13', grade: 'D-old' },
  rtpTimeout: { ruleId: 'media.rtp-inactivity', section: '§6, §20', grade: 'D-old' },
  midDialogFailure: { ruleId: 'call.mid-dialog-failure', section: '§6', grade: 'D' },
  noAck: { ruleId: 'call.no-ack', section: '§6; RFC 3261 §13.3.1.4', grade: 'I' },
  shutdown: { ruleId: 'emulator.shutdown', section: '§20', grade: 'I' },
  badAnswer: { ruleId: 'media.late-offer-answer', section: '§4.2 #19; RFC 3264', grade: 'I' },
} as const satisfies Record<string, DecidingRuleFacts>;

/** The cause the emulator writes for calls it ends because it stops: Zentrunk's own backend went away. */
export const SHUTDOWN_CAUSE_CODE = 5250;

/** A leg starts with the facts its CDR will name (see CallLegFacts for each field). */
export interface CallLegInit extends Pick<
  CallLegFacts,
  'direction' | 'from' | 'to' | 'trunk' | 'requestHost' | 'transport' | 'peer'
> {
  readonly ctx: EmulatorContext;
  /** The SIP Call-ID; '' until an inbound call's first attempt has one. */
  readonly callId: string;
  /** The customer's connection on TCP/TLS: in-dialog requests go back over it while it is open. */
  readonly connectionId?: string;
  readonly callUuid?: string;
  readonly initiated?: LegInstant;
  readonly parentCallUuid?: string;
}

/** What ends a leg, for its CDR and its `ended` event. */
export interface LegEnd {
  readonly decidedBy?: DecidingRuleFacts;
  /** The final response to the leg's INVITE, when the leg ends before answer. */
  readonly finalResponse?: { readonly status: number; readonly reasonPhrase: string };
  /** The SIP status that caused the end, for the event. */
  readonly sipStatus?: number;
}

/** What the driver of a leg is told about its life; every hook is optional. */
export interface LegDriver {
  /** The customer ended the leg in its early state (BYE before answer). */
  cancelledByCustomer?(): void;
  /** The emulator stops: end the leg as its state requires (the driver knows pending transactions). */
  shutdown?(): void;
  /** The leg has ended (timers, tickets and far-end scripts stop). */
  ended?(): void;
}

interface AwaitedAck {
  readonly seq: number;
  readonly retransmitter: Uas2xxRetransmitter;
  /** The 2xx carried our offer (the request had none): the ACK carries the answer (RFC 3264 §3). */
  readonly lateOffer: boolean;
}

const SDP = 'application/sdp';

export class CallLeg implements LiveCall, DialogOwner, FarEndMediaOwner {
  readonly ctx: EmulatorContext;
  readonly callUuid: string;
  /** The SIP Call-ID ('' for a call that never reached SIP); an inbound call's changes with each attempt. */
  callId: string;
  readonly direction: 'outbound' | 'inbound';
  readonly from: string;
  readonly to: string;
  readonly trunk: Trunk | undefined;
  readonly requestHost: string;
  /** The customer side's transport and address (an inbound call's change when it fails over). */
  transport: SipTransport;
  peer: { readonly address: string; readonly port: number } | null;
  readonly initiated: LegInstant;
  /** The original leg of a transfer (§7, §20: two linked CDRs); set on the replaced leg of an attended one. */
  parentCallUuid: string | undefined;
  /** Extra CDR facts the drivers fill in. */
  stir: StirResult | undefined;
  farEndScenario: string | undefined;
  queueDelayMs: number | undefined;
  readonly extras: Record<string, JsonValue> = {};
  /** Call-IDs whose messages belong to this leg's CDR (an inbound call's attempts); default: its own. */
  traceCallIds: readonly string[] | undefined;
  /** When false the leg writes no CDR of its own (a transfer with one record writes it for both, §20). */
  writesCdr = true;
  media: FarEndMedia | undefined;
  lease: CallLease | undefined;
  driver: LegDriver | undefined;
  /** Set by the emulator: REFER handling (transfer/), so that this file does not depend on it. */
  onRefer:
    ((leg: CallLeg, transaction: ServerTransaction, context: ReceivedMessageContext) => void) | undefined;

  #state: LegState = 'setup';
  #connectionId: string | undefined;
  #dialog: Dialog | undefined;
  #dialogKey: string | undefined;
  #alerted: LegInstant | undefined;
  #answered: LegInstant | undefined;
  #ended: LegInstant | undefined;
  #awaitedAck: AwaitedAck | undefined;
  #outgoingReinvite: { readonly ack: SipRequest | undefined; readonly seq: number } | undefined;
  #reinviteInFlight = false;
  #retryTimer: ReturnType<EmulatorContext['clock']['setTimeout']> | undefined;
  #heldBy: 'customer' | 'carrier' | undefined;
  #sessionExpiresS: number | undefined;
  /** The 200 to the customer's BYE while `onRequest` ends the leg; `end` holds it until the CDR's commit. */
  #heldByeResponse: HeldResponse | undefined;
  /** Allocated by the first `onEnded` (a transfer watching its transferor); most legs never have one. */
  #endedListeners: Array<(cause: HangupCause) => void> | undefined;

  constructor(init: CallLegInit) {
    this.ctx = init.ctx;
    this.callUuid = init.callUuid ?? newCallUuid(init.ctx.clock.wallNow());
    // Copies, not slices of the INVITE's text: a leg lives as long as its call (common/detached-string.ts).
    this.callId = detachString(init.callId);
    this.direction = init.direction;
    this.from = detachString(init.from);
    this.to = detachString(init.to);
    this.trunk = init.trunk;
    this.requestHost = detachString(init.requestHost);
    this.transport = init.transport;
    this.peer = init.peer;
    this.#connectionId = init.connectionId;
    this.initiated = init.initiated ?? instantNow(init.ctx.clock);
    this.parentCallUuid = init.parentCallUuid;
  }

  get state(): LegState {
    return this.#state;
  }

  get dialog(): Dialog | undefined {
    return this.#dialog;
  }

  get answeredAt(): LegInstant | undefined {
    return this.#answered;
  }

  get isEnded(): boolean {
    return this.#state === 'ended';
  }

  // ── Setup, driven by outbound/ and inbound/ ───────────────────────────────────────────────────────────────

  /** Registers the live call (stop() reaches it) and retains its messages for the CDR. */
  register(): void {
    this.ctx.registry.addCall(this);
    this.ctx.collector.retain(this.callId);
  }

  /** Attaches the dialog (created by the 18x/2xx the driver sent or received) so in-dialog requests find it. */
  attachDialog(dialog: Dialog): void {
    if (this.#dialog === dialog) return;
    if (this.#dialog !== undefined && this.#dialogKey === dialog.key) {
      // The 200 confirms the early dialog of our 180/183 (same tags): the registry already routes its key here.
      // Detaching would remember the live dialog as ended for 64·T1, on every call that rang (docs/adr/0088).
      this.#dialog = dialog;
      return;
    }
    this.#detachDialog();
    this.#dialog = dialog;
    this.#dialogKey = dialog.key;
    this.ctx.registry.addDialog(dialog.key, this);
  }

  /** Uses the media for this leg and reports its DTMF and inactivity (as the media's owner, not a listener). */
  attachMedia(media: FarEndMedia): void {
    this.media = media;
    media.owner = this;
  }

  /** An RFC 4733 digit from the customer ended (FarEndMediaOwner). */
  mediaDtmf(digit: string, durationMs: number): void {
    this.ctx.events.emit(
      'dtmf',
      stamped(this.ctx.clock, { callUuid: this.callUuid, digit: digit as DtmfSymbol, durationMs }),
    );
  }

  /** No RTP from the customer for the inactivity time: 3020 (§6, §20) (FarEndMediaOwner). */
  mediaInactive(): void {
    if (this.#state !== 'answered') return;
    const expiry = timerExpiry('rtp-inactivity', this.ctx.settings);
    this.hangup(expiry.cause, { decidedBy: LEG_RULES.rtpTimeout });
  }

  /** A socket or send failure of the media; the call goes on (FarEndMediaOwner). */
  mediaError(error: Error): void {
    this.ctx.events.emit('error', errorEvent(this.ctx.clock, 'internal', error, this.callUuid));
  }

  /** The first 180/183 (for the post-dial delay) and the state change. */
  alerted(status: number): void {
    if (this.#state === 'ended') return;
    this.#alerted ??= instantNow(this.ctx.clock);
    if (this.#state === 'setup') this.#state = 'early';
    this.emitState(status === 183 ? 'early-media' : 'ringing', { sipStatus: status });
  }

  /** The 2xx was sent (UAS) or received (UAC). */
  answered(): void {
    if (this.#state === 'ended' || this.#state === 'answered') return;
    this.#answered = instantNow(this.ctx.clock);
    this.#state = 'answered';
    this.emitState('answered', { sipStatus: 200 });
  }

  /**
   * Keeps re-sending our 2xx to an INVITE until its ACK (RFC 3261 §13.3.1.4); the ACK of a 2xx that carried our
   * offer carries the answer. No ACK within 64·T1: the call ends with BYE. `wire` is the 2xx as the transaction
   * sent it (`respond(response, wire)`): only those bytes are kept until the ACK, not the response with its parsed
   * headers — about 3 KB per call, which a call waiting for its ACK in a backed-up socket would carry into the old
   * generation (docs/adr/0177).
   */
  awaitAck(
    transaction: InviteServerTransaction,
    response: SipResponse,
    wire: Uint8Array,
    context: ReceivedMessageContext,
    lateOffer: boolean,
  ): void {
    this.#awaitedAck?.retransmitter.dispose();
    const seq = response.cseq?.seq ?? 0;
    const retransmitter = new Uas2xxRetransmitter({
      clock: this.ctx.clock,
      timers: this.ctx.stack.timers,
      reliable: context.transport !== 'udp',
      resend: resendOf(transaction, wire, this.ctx.stack, context),
    });
    retransmitter.on('timeout', () => {
      if (this.#awaitedAck?.retransmitter !== retransmitter) return;
      this.#awaitedAck = undefined;
      this.hangup(mapInDialogFailure('customer', { kind: 'timeout' })!.cause, {
        decidedBy: LEG_RULES.noAck,
        sipStatus: 408,
      });
    });
    this.#awaitedAck = { seq, retransmitter, lateOffer };
  }

  // ── Requests from the customer in the dialog ──────────────────────────────────────────────────────────────

  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void {
    const request = transaction.request;
    const dialog = this.#dialog;
    if (this.#state === 'ended' || !dialog || dialog.state === DialogState.Terminated) {
      transaction.respond(this.#response(request, 481));
      return;
    }
    const verdict = dialog.receiveRequest(request);
    if (!verdict.accepted) {
      transaction.respond(
        this.#response(request, verdict.statusCode, { reasonPhrase: 'Server Internal Error' }),
      );
      return;
    }
    if (context.connectionId !== undefined) this.#connectionId = context.connectionId;
    switch (request.method) {
      case 'BYE': {
        // docs/adr/0150: the 200 leaves once the leg's CDR is committed (`end` hands it to the CDR writer); a
        // leg that did not end here, or writes no CDR of its own, sends it at once.
        this.#heldByeResponse = new HeldResponse(transaction, this.#response(request, 200), context);
        if (this.#state === 'answered') {
          this.end(causeOf(3010), { decidedBy: LEG_RULES.customerBye });
        } else if (this.driver?.cancelledByCustomer) this.driver.cancelledByCustomer();
        else this.end(causeOf(4550), { decidedBy: LEG_RULES.customerBye });
        const unsent = this.#heldByeResponse;
        this.#heldByeResponse = undefined;
        if (unsent) this.#sendHeld(unsent);
        return;
      }
      case 'INVITE':
        this.#onOffer(transaction, request, context, true);
        return;
      case 'UPDATE':
        this.#onOffer(transaction, request, context, false);
        return;
      case 'OPTIONS':
        transaction.respond(
          this.#response(request, 200, {
            headers: [
              ['Allow', allowHeaderValue(this.ctx.settings.allowHeader)],
              ['Accept', SDP],
            ],
          }),
        );
        return;
      case 'REFER':
        if (this.onRefer && this.#state === 'answered') this.onRefer(this, transaction, context);
        else transaction.respond(this.#response(request, 403, { reasonPhrase: 'Forbidden' }));
        return;
      default: {
        // §3, §20: INFO, MESSAGE, NOTIFY from the customer, PRACK … are not supported; the call goes on.
        const status = this.ctx.settings.unsupportedMethodStatus;
        transaction.respond(
          this.#response(request, status, {
            headers: [['Allow', allowHeaderValue(this.ctx.settings.allowHeader)]],
          }),
        );
      }
    }
  }

  onAck(ack: SipRequest): void {
    const awaited = this.#awaitedAck;
    if (!awaited || ack.cseq?.seq !== awaited.seq) return;
    if (!awaited.retransmitter.ackReceived()) return;
    this.#awaitedAck = undefined;
    if (!awaited.lateOffer || !this.media) return;
    try {
      if (ack.body.length === 0)
        throw new NegotiationError('unexpected-answer', 'the ACK carries no SDP answer');
      this.media.acceptAnswer(ack.body.toString('utf8'));
      this.#reportDirection('customer');
    } catch (error) {
      // RFC 3261 §13.3.1.4: an unusable answer in the ACK ends the session with a BYE.
      this.ctx.events.emit('error', errorEvent(this.ctx.clock, 'bad-input', error, this.callUuid));
      this.hangup(causeOf(4430), { decidedBy: LEG_RULES.badAnswer });
    }
  }

  onStrayResponse(response: SipResponse): void {
    // A 2xx to our re-INVITE re-sent after its transaction ended: our ACK was lost (RFC 3261 §13.2.2.4).
    const outgoing = this.#outgoingReinvite;
    if (outgoing?.ack && response.cseq?.seq === outgoing.seq) {
      void this.ctx.stack.sendAck(outgoing.ack, this.sendOptions()).catch(() => undefined);
    }
  }

  /** A re-INVITE or UPDATE from the customer: hold, resume, codec change, or a session refresh. */
  #onOffer(
    transaction: ServerTransaction,
    request: SipRequest,
    context: ReceivedMessageContext,
    invite: boolean,
  ): void {
    const media = this.media;
    // RFC 3261 §14.2: an offer while ours is outstanding, or while our 2xx awaits its ACK, is glare.
    if (this.#reinviteInFlight || this.#awaitedAck !== undefined || media?.hasPendingOffer) {
      transaction.respond(
        this.#response(request, 491, {
          headers: [['Retry-After', String(1 + Math.floor(Math.random() * 3))]],
        }),
      );
      return;
    }
    const refresh = this.#sessionTimerHeaders(request);
    const hasSdp = request.body.length > 0 && request.contentType?.essence === SDP;
    if (!media || (!hasSdp && !invite)) {
      // An UPDATE without SDP (or a leg without media): a session refresh (RFC 4028 §7.4), answered as is.
      transaction.respond(this.#response(request, 200, { headers: refresh }));
      return;
    }
    let sdp: string;
    try {
      sdp = hasSdp ? media.answer(request.body.toString('utf8')) : media.offer();
    } catch (error) {
      // The offer is refused and the session stays as it was (RFC 3264 §8; §6 re-INVITE rejected).
      const status = error instanceof SdpParseError ? 400 : 488;
      const warning = error instanceof NegotiationError ? error.warning : describeError(error);
      transaction.respond(
        this.#response(request, status, {
          headers: [['Warning', `399 zentrunk "${warning.replace(/"/g, '')}"`]],
        }),
      );
      return;
    }
    const response = this.#response(request, 200, {
      headers: refresh,
      body: sdp,
      contentType: SDP,
      contact: true,
    });
    if (invite) {
      const wire = this.ctx.stack.serialize(response);
      transaction.respond(response, wire);
      this.awaitAck(transaction as InviteServerTransaction, response, wire, context, !hasSdp);
    } else {
      transaction.respond(response);
    }
    if (hasSdp) this.#reportDirection('customer');
  }

  /** RFC 4028: a request with Session-Expires is answered with the interval and `refresher=uac`. */
  #sessionTimerHeaders(request: SipRequest): HeaderList {
    const value = request.headers.get('session-expires');
    const seconds = value === undefined ? undefined : Number.parseInt(value, 10);
    if (seconds === undefined || !Number.isFinite(seconds)) {
      return this.#sessionExpiresS === undefined
        ? []
        : [['Session-Expires', `${this.#sessionExpiresS};refresher=uac`]];
    }
    this.#sessionExpiresS = Math.max(seconds, this.ctx.settings.minSessionExpiresS);
    const supportsTimer = request.supported.some((t) => t.toLowerCase() === 'timer');
    return [
      ['Session-Expires', `${this.#sessionExpiresS};refresher=uac`],
      ...(supportsTimer ? ([['Require', 'timer']] as const) : []),
    ];
  }

  /** The session-timer headers of the initial INVITE's 2xx (RFC 4028 §9). */
  sessionTimerHeadersFor(request: SipRequest): HeaderList {
    return this.#sessionTimerHeaders(request);
  }

  // ── Requests from the emulator in the dialog ──────────────────────────────────────────────────────────────

  /** How in-dialog requests reach the customer: its connection while open, else its Contact. */
  sendOptions(): SendRequestOptions {
    const id = this.#connectionId;
    if (id !== undefined && this.ctx.stack.transport.connection(id) !== undefined)
      return { connectionId: id };
    return {};
  }

  /**
   * The far end re-INVITEs the customer (hold with `sendonly`, resume with `sendrecv`; §4.3 scenarios). On glare
   * (491) it tries again after a random 0–2 s (RFC 3261 §14.1); a failure ends the call (§6: 5220/5230).
   */
  reinvite(direction: MediaDirection, attempt = 1): void {
    const dialog = this.#dialog;
    const media = this.media;
    if (this.#state !== 'answered' || !dialog || !media) return;
    if (this.#reinviteInFlight || this.#awaitedAck !== undefined || media.hasPendingOffer) {
      this.#retryReinvite(direction, attempt);
      return;
    }
    const sdp = media.offer(direction);
    const request = dialog.createRequest('INVITE', {
      body: sdp,
      contentType: SDP,
      headers: [USER_AGENT],
    });
    this.#reinviteInFlight = true;
    const seq = request.cseq?.seq ?? 0;
    let transaction;
    try {
      transaction = this.ctx.stack.sendInvite(request, this.sendOptions());
    } catch (error) {
      this.#reinviteInFlight = false;
      media.cancelOffer();
      this.ctx.events.emit('error', errorEvent(this.ctx.clock, 'internal', error, this.callUuid));
      return;
    }
    transaction.on('response', (response) => {
      if (response.statusCode < 200) return;
      this.#reinviteInFlight = false;
      if (this.#state === 'ended') return;
      if (response.statusCode < 300) {
        dialog.receiveResponse(response);
        const ack = dialog.createAck(request);
        this.#outgoingReinvite = { ack, seq };
        void this.ctx.stack.sendAck(ack, this.sendOptions()).catch(() => undefined);
        try {
          media.acceptAnswer(response.body.toString('utf8'));
          this.#reportDirection('carrier');
        } catch (error) {
          this.ctx.events.emit('error', errorEvent(this.ctx.clock, 'bad-input', error, this.callUuid));
          this.hangup(causeOf(4430), { decidedBy: LEG_RULES.badAnswer });
        }
        return;
      }
      media.cancelOffer();
      if (response.statusCode === 491) {
        this.#retryReinvite(direction, attempt);
        return;
      }
      const failure = mapInDialogFailure('customer', { kind: 'response', status: response.statusCode });
      if (failure) {
        this.hangup(failure.cause, { decidedBy: LEG_RULES.midDialogFailure, sipStatus: response.statusCode });
      }
    });
    const fail = () => {
      this.#reinviteInFlight = false;
      media.cancelOffer();
      if (this.#state === 'ended') return;
      const failure = mapInDialogFailure('customer', { kind: 'timeout' })!;
      this.hangup(failure.cause, { decidedBy: LEG_RULES.midDialogFailure, sipStatus: 408 });
    };
    transaction.on('timeout', fail);
    transaction.on('transportError', fail);
  }

  #retryReinvite(direction: MediaDirection, attempt: number): void {
    if (attempt >= 5) return;
    this.ctx.clock.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.ctx.clock.setTimeout(
      () => {
        this.#retryTimer = undefined;
        this.reinvite(direction, attempt + 1);
      },
      Math.floor(Math.random() * 2_000),
    );
  }

  /** Sends an in-dialog request built by `build` (NOTIFY for REFER progress); undefined when the dialog is gone. */
  sendInDialog(method: string, init: Parameters<Dialog['createRequest']>[1] = {}) {
    const dialog = this.#dialog;
    if (!dialog || dialog.state === DialogState.Terminated || this.#state === 'ended') return undefined;
    const request = dialog.createRequest(method, {
      ...init,
      headers: [USER_AGENT, ...(init.headers ?? [])],
    });
    return this.ctx.stack.sendRequest(request, this.sendOptions());
  }

  /**
   * Ends an answered leg from the emulator's side: BYE with the hangup-code headers (§20), then the CDR. The BYE's
   * transaction is tracked so that `stop()` can wait for it to leave.
   */
  hangup(cause: HangupCause, end: LegEnd = {}): void {
    if (this.#state === 'ended') return;
    const dialog = this.#dialog;
    if (dialog && dialog.state !== DialogState.Terminated && this.#state === 'answered') {
      try {
        const bye = dialog.createRequest('BYE', {
          headers: [USER_AGENT, ...hangupHeaders(cause, this.ctx.settings, end.sipStatus)],
        });
        const transaction = this.ctx.stack.sendRequest(bye, this.sendOptions());
        this.ctx.registry.trackPending(
          new Promise<void>((resolve) => {
            transaction.on('response', (r) => {
              if (r.statusCode >= 200) resolve();
            });
            transaction.onTerminated(resolve);
          }),
        );
      } catch (error) {
        this.ctx.events.emit('error', errorEvent(this.ctx.clock, 'internal', error, this.callUuid));
      }
    }
    this.end(cause, end);
  }

  // ── The end ───────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * Ends the leg: media closed (its statistics kept for the CDR), the concurrency lease released, the dialog
   * forgotten, the CDR written (after the last message is on the wire), and `ended` emitted. Idempotent.
   */
  end(cause: HangupCause, end: LegEnd = {}): void {
    if (this.#state === 'ended') return;
    this.#state = 'ended';
    this.#ended = instantNow(this.ctx.clock);
    this.#awaitedAck?.retransmitter.dispose();
    this.#awaitedAck = undefined;
    this.ctx.clock.clearTimeout(this.#retryTimer);
    this.#dialog?.terminate();
    this.#detachDialog();
    this.ctx.registry.removeCall(this);
    if (this.media?.owner === this) this.media.owner = undefined;
    const summary = this.media?.summary();
    void this.media?.close();
    this.lease?.release();
    this.driver?.ended?.();
    const endedListeners = this.#endedListeners ?? [];
    this.#endedListeners = undefined;
    for (const listener of endedListeners) {
      try {
        listener(cause);
      } catch (error) {
        this.ctx.events.emit('error', errorEvent(this.ctx.clock, 'internal', error, this.callUuid));
      }
    }
    if (this.writesCdr) {
      const held = this.#heldByeResponse;
      this.#heldByeResponse = undefined;
      if (held) {
        const { record, message } = held.queuedRecord(this.ctx.clock);
        this.ctx.collector.observeQueued(record, message);
      }
      this.ctx.cdrs.write(
        this.facts(cause, end, summary ? { summary } : {}),
        { ...(this.traceCallIds ? { traceCallIds: this.traceCallIds } : {}) },
        held ? sendHeldOf(held, this.ctx, this.callUuid) : undefined,
      );
    }
    this.emitState('ended', {
      cause,
      ...(end.sipStatus !== undefined
        ? { sipStatus: end.sipStatus }
        : end.finalResponse
          ? { sipStatus: end.finalResponse.status }
          : {}),
    });
  }

  /** The CDR facts of this leg (also used by a transfer writing one record for two legs). */
  facts(
    cause: HangupCause,
    end: LegEnd,
    options: { readonly summary?: FarEndMediaSummary; readonly ended?: LegInstant } = {},
  ): CallLegFacts {
    const summary = options.summary ?? this.media?.summary();
    const ended = options.ended ?? this.#ended ?? instantNow(this.ctx.clock);
    const stats = summary?.stats;
    const extras = { ...this.extras };
    return {
      callUuid: this.callUuid,
      callId: this.callId === '' ? null : this.callId,
      direction: this.direction,
      from: this.from,
      to: this.to,
      trunk: this.trunk,
      requestHost: this.requestHost,
      transport: this.transport,
      peer: this.peer,
      times: {
        initiated: this.initiated,
        ...(this.#alerted ? { alerted: this.#alerted } : {}),
        ...(this.#answered ? { answered: this.#answered } : {}),
        ended,
      },
      finalResponse: end.finalResponse ?? (this.#answered ? { status: 200, reasonPhrase: 'OK' } : null),
      cause,
      ...(end.decidedBy ? { decidedBy: end.decidedBy } : {}),
      codec: summary?.codec ?? null,
      srtpSuite: summary?.srtpSuite ?? null,
      ...(stats ? { rtp: { sent: stats.sent, received: stats.received } } : {}),
      ...(this.queueDelayMs !== undefined ? { queueDelayMs: this.queueDelayMs } : {}),
      ...(this.parentCallUuid !== undefined ? { parentCallUuid: this.parentCallUuid } : {}),
      ...(this.stir ? { stir: this.stir } : {}),
      ...(this.farEndScenario !== undefined ? { farEndScenario: this.farEndScenario } : {}),
      ...(Object.keys(extras).length > 0 ? { extras } : {}),
    };
  }

  /** Calls `listener` once when the leg ends (a transfer watching its transferor). */
  onEnded(listener: (cause: HangupCause) => void): void {
    if (this.#state === 'ended') return;
    (this.#endedListeners ??= []).push(listener);
  }

  /** The emulator stops: the driver decides (a pending INVITE gets 503); an answered leg gets BYE. */
  shutdown(): void {
    if (this.#state === 'ended') return;
    if (this.driver?.shutdown) {
      this.driver.shutdown();
      return;
    }
    this.hangup(causeOf(SHUTDOWN_CAUSE_CODE), { decidedBy: LEG_RULES.shutdown });
  }

  emitState(
    state: CallState,
    extra: { sipStatus?: number; cause?: HangupCause; by?: 'customer' | 'carrier' } = {},
  ): void {
    // Built only for someone listening (the app, the harness; the CLI logs only CDRs and errors).
    if (this.ctx.events.listenerCount('callState') === 0) return;
    this.ctx.events.emit(
      'callState',
      stamped(this.ctx.clock, {
        callUuid: this.callUuid,
        callId: this.callId,
        direction: this.direction,
        from: this.from,
        to: this.to,
        state,
        ...extra,
      }),
    );
  }

  #reportDirection(by: 'customer' | 'carrier'): void {
    const direction = this.media?.negotiated?.direction;
    if (direction === undefined) return;
    const held = direction !== 'sendrecv';
    if (held && this.#heldBy === undefined) {
      this.#heldBy = by;
      this.emitState('held', { by });
    } else if (!held && this.#heldBy !== undefined) {
      this.#heldBy = undefined;
      this.emitState('resumed', { by });
    }
  }

  #sendHeld(held: HeldResponse): void {
    sendHeldOf(held, this.ctx, this.callUuid)();
  }

  #detachDialog(): void {
    if (this.#dialogKey === undefined || !this.#dialog) return;
    this.ctx.registry.removeDialog(this.#dialogKey);
    this.#dialogKey = undefined;
  }

  #response(
    request: SipRequest,
    status: number,
    init: {
      reasonPhrase?: string;
      headers?: HeaderList;
      body?: string;
      contentType?: string;
      contact?: boolean;
    } = {},
  ): SipResponse {
    const contact =
      init.contact && this.#dialog?.localTarget
        ? [['Contact', `<${this.#dialog.localTarget.format()}>`] as const]
        : [];
    return createResponse(request, status, {
      ...(init.reasonPhrase !== undefined ? { reasonPhrase: init.reasonPhrase } : {}),
      headers: [...contact, USER_AGENT, ...(init.headers ?? [])],
      ...(init.body !== undefined ? { body: init.body, contentType: init.contentType } : {}),
    });
  }
}

/**
 * How a 2xx to an INVITE is sent again until its ACK comes (RFC 6026 §7.1: through the transaction while it
 * lives, straight to the transport after), from its bytes. Made by a module function, not written as a closure
 * inside the call: under tsx (esbuild's keepNames) a named closure redefines its `name` each time it is made, once
 * per call here.
 */
function resendOf(
  transaction: InviteServerTransaction,
  wire: Uint8Array,
  stack: SipStack,
  context: ReceivedMessageContext,
): () => void {
  return () => {
    if (!transaction.isTerminated) transaction.retransmit2xx(wire);
    else resendWithoutTransaction(wire, stack, context);
  };
}

/**
 * The transaction ended before the ACK (Timer L and the 2xx's own 64·T1 end together; a transport failure ends it
 * early): the route back is worked out from the Via read back out of the bytes. Rare, so the Via is parsed here
 * rather than kept with every call that waits for its ACK.
 */
function resendWithoutTransaction(wire: Uint8Array, stack: SipStack, context: ReceivedMessageContext): void {
  let via: Via | undefined;
  try {
    via = parseSipMessage(wire).topVia;
  } catch {
    return;
  }
  if (via === undefined) return;
  stack.resendResponse(wire, responseRoute(via, context)).catch(() => undefined);
}

/**
 * Sends a held response (docs/adr/0150), reporting a failure as the call's error. A module function, so that the
 * closure holds the response and the emulator's context but not the leg: the CDR writer keeps it until the
 * leg's batch commits, and a closure over the leg kept the whole ended call — its messages, dialog, far-end
 * media — alive that long, long enough under load to be promoted to the old generation (docs/adr/0170).
 */
function sendHeldOf(held: HeldResponse, ctx: EmulatorContext, callUuid: string): () => void {
  return () => {
    try {
      held.send();
    } catch (error) {
      ctx.events.emit('error', errorEvent(ctx.clock, 'internal', error, callUuid));
    }
  };
}
