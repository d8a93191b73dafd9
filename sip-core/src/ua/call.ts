// One call of the softphone: a sip.js Session (Inviter for outbound, Invitation for inbound) with our media behind
// it, exposed as a small front door — hangup, cancel, accept/decline, hold/resume, mute, RFC 4733 DTMF, blind and
// attended transfer, audio sources and sinks — and a typed event stream (call-events.ts). When it ends, `ended`
// resolves with what happened and why, in Zentrunk's hangup-cause terms (hangup-explanation.ts).

import {
  Inviter,
  SessionState,
  type Invitation,
  type Notification,
  type Referral,
  type Session,
  type SessionDescriptionHandler,
} from 'sip.js/lib/api/index.js';
import { URI } from 'sip.js/lib/grammar/index.js';
import type { IncomingRequestMessage, IncomingResponse } from 'sip.js/lib/core/index.js';
import type { Clock, TimerHandle } from '../common/clock.js';
import type { Disposable } from '../common/disposable.js';
import { TypedEmitter } from '../common/typed-emitter.js';
import type { NegotiatedMedia } from '../media/offer-answer/index.js';
import {
  LevelMeterSink,
  SilenceSource,
  type AudioSink,
  type AudioSource,
  type MediaPacketRecord,
  type MediaSession,
  type MediaSessionStats,
} from '../media/session/index.js';
import type { PredictionWarning } from '../policy/index.js';
import type {
  CallDirection,
  CallEnd,
  CallEvents,
  CallMediaState,
  CallOutcome,
  CallState,
  TransferOutcome,
  TransferProgress,
} from './call-events.js';
import { explainHangup, type CallEnding, type HangupEvidence } from './hangup-explanation.js';
import {
  MediaSessionDescriptionHandler,
  type MediaDescriptionOptions,
} from './media-session-description-handler.js';
import { parseSipfragStatus, parseSubscriptionState } from './refer-notify.js';
import { isLocalResponse } from './sip-stack-bridge.js';
import type { HostPort } from './trunk-profile.js';
import { UaError } from './ua-error.js';

/** What a call needs from its user agent. */
export interface CallContext {
  readonly clock: Clock;
  /** The trunk domain: Refer-To targets are built in it (Zentrunk refuses other domains, BEHAVIOUR.md §7). */
  readonly terminationDomain: HostPort;
  /** How long the transferor leg waits for the trunk's BYE after NOTIFY 200 before it ends itself. */
  readonly transferByeTimeoutMs: number;
  /** An incoming REFER for this call: the user agent places the new call, or returns undefined to refuse. */
  followReferral(call: Call, referral: Referral): Call | undefined;
  /** The call has ended: the user agent forgets it. */
  release(call: Call): void;
}

export interface CallAudioOptions {
  /** What we send (default silence): a tone, a WAV file, the microphone's pushed frames. */
  readonly source?: AudioSource;
  /** Where received (and sent) audio goes: a recorder, a detector, the speaker. */
  readonly sinks?: readonly AudioSink[];
}

export type TransferTarget =
  /** Blind transfer to a number: Refer-To `sip:<number>@<trunk domain>`. */
  | { readonly kind: 'blind'; readonly to: string }
  /** Attended transfer to the party of another answered call: Refer-To with Replaces (RFC 3891). */
  | { readonly kind: 'attended'; readonly call: Call };

type PacketListener = (record: MediaPacketRecord) => void;

/** DTMF symbols of RFC 4733 §3.2 that a keypad sends. */
const DTMF_DIGITS = /^[0-9*#A-Da-d]+$/;

let nextCallNumber = 1;

/** A URI written in name-addr form (`<…>`), as Refer-To needs when it has parameters or headers (RFC 3261 §20). */
class NameAddrUri extends URI {
  override toString(): string {
    return `<${super.toString()}>`;
  }
}

function header(
  message: IncomingRequestMessage | IncomingResponse['message'],
  name: string,
): string | undefined {
  return message.getHeader(name) ?? undefined;
}

export class Call {
  readonly id: string;
  readonly direction: CallDirection;
  /** Outbound: the number dialled. Inbound: the DID the caller dialled (our Request-URI user). */
  readonly number: string;
  /** Outbound: our caller ID. Inbound: the caller's number (From user). */
  readonly peerOrCallerId: string;
  /** What the pre-dial check predicted (outbound; never blocking). */
  readonly preDialWarnings: readonly PredictionWarning[];
  readonly ended: Promise<CallEnd>;
  readonly #context: CallContext;
  readonly #session: Session;
  readonly #events = new TypedEmitter<CallEvents>();
  readonly #levels = new LevelMeterSink();
  readonly #sinks: AudioSink[];
  #source: AudioSource;
  #state: CallState;
  #sdh: MediaSessionDescriptionHandler | undefined;
  #media: MediaSession | undefined;
  #mediaState: CallMediaState | undefined;
  #lastStats: MediaSessionStats | undefined;
  #held = false;
  #muted = false;
  #cancelRequested = false;
  #evidence: HangupEvidence | undefined;
  #endedBy: CallEnd['endedBy'] | undefined;
  #transferSucceeded = false;
  #transferTimer: TimerHandle | undefined;
  readonly #startedMs: number;
  readonly #startedAtMs: number;
  #firstProgressMs: number | undefined;
  #answeredMs: number | undefined;
  #answeredAtMs: number | undefined;
  #resolveEnded!: (end: CallEnd) => void;
  #end: CallEnd | undefined;
  /** Packet taps by listener, each with its subscription on the current media session (none before media opens). */
  readonly #packetTaps = new Map<PacketListener, Disposable | undefined>();

  /** @internal Made by SoftphoneUserAgent. */
  constructor(init: {
    readonly context: CallContext;
    readonly session: Session;
    readonly direction: CallDirection;
    readonly number: string;
    readonly peerOrCallerId: string;
    readonly audio?: CallAudioOptions;
    readonly preDialWarnings?: readonly PredictionWarning[];
  }) {
    this.id = `call-${nextCallNumber++}`;
    this.#context = init.context;
    this.#session = init.session;
    this.direction = init.direction;
    this.number = init.number;
    this.peerOrCallerId = init.peerOrCallerId;
    this.preDialWarnings = init.preDialWarnings ?? [];
    this.#source = init.audio?.source ?? new SilenceSource();
    this.#sinks = [...(init.audio?.sinks ?? [])];
    this.#state = init.direction === 'outbound' ? 'dialling' : 'incoming';
    this.#startedMs = init.context.clock.now();
    this.#startedAtMs = init.context.clock.wallNow();
    this.ended = new Promise((resolve) => (this.#resolveEnded = resolve));
    this.#session.delegate = {
      onSessionDescriptionHandler: (sdh) => this.#attachSdh(sdh),
      onBye: (bye) => {
        this.#recordEnd(
          {
            ending: 'remote-bye',
            hangupCodeHeader: header(bye.request, 'X-ZT-Hangup-Code'),
            reasonHeaders: bye.request.getHeaders('reason'),
          },
          'remote',
        );
        void bye.accept();
      },
      onCancel: (cancel) => {
        this.#recordEnd(
          {
            ending: 'remote-cancel',
            statusCode: 487,
            reasonPhrase: 'Request Terminated',
            reasonHeaders: cancel.request.getHeaders('reason'),
          },
          'remote',
        );
      },
      onRefer: (referral) => this.#onRefer(referral),
    };
    this.#session.stateChange.addListener((state) => this.#onSessionState(state));
  }

  on<K extends keyof CallEvents>(event: K, listener: CallEvents[K]): Disposable {
    return this.#events.on(event, listener);
  }

  get state(): CallState {
    return this.#state;
  }

  get held(): boolean {
    return this.#held;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** The media session, once media ports are open. */
  get media(): MediaSession | undefined {
    return this.#media;
  }

  get mediaState(): CallMediaState | undefined {
    return this.#mediaState;
  }

  /** The outcome, once the call has ended. */
  get result(): CallEnd | undefined {
    return this.#end;
  }

  /**
   * The Call-ID of this call's dialog (RFC 3261 §8.1.1.4): what a per-call capture filters the user agent's SIP
   * trace by. A digest retry keeps it (§22.2); a call placed because of a REFER is another `Call` with its own.
   */
  get sipCallId(): string {
    const session = this.#session;
    return session instanceof Inviter ? session.request.callId : (session as Invitation).request.callId;
  }

  /**
   * Observes this call's RTP and RTCP as the application sees them (sent before SRTP protects them, received after
   * SRTP has decrypted them, each flagged `srtp`), with real addresses and both clocks — what a PCAP of the call
   * needs. It may be called before media opens; it follows the media session the call gets. The record's bytes
   * are only valid during the listener call.
   */
  tapPackets(listener: (record: MediaPacketRecord) => void): Disposable {
    if (!this.#packetTaps.has(listener)) this.#packetTaps.set(listener, this.#media?.tapPackets(listener));
    return {
      dispose: () => {
        this.#packetTaps.get(listener)?.dispose();
        this.#packetTaps.delete(listener);
      },
    };
  }

  /** @internal The sip.js session (for the user agent and attended transfer). */
  get session(): Session {
    return this.#session;
  }

  // ── Outbound ─────────────────────────────────────────────────────────────────────────────────────────────

  /** @internal Sends the INVITE. */
  start(): void {
    if (!(this.#session instanceof Inviter)) return;
    const inviter = this.#session;
    for (const warning of this.preDialWarnings)
      this.#events.emit('warning', { kind: 'pre-dial', prediction: warning });
    inviter
      .invite({
        requestDelegate: {
          onProgress: (response) => this.#onProgress(response),
          onAccept: () => {
            this.#answeredMs ??= this.#context.clock.now();
            this.#answeredAtMs ??= this.#context.clock.wallNow();
          },
          onReject: (response) => this.#onReject(response),
        },
      })
      .catch((error: unknown) => this.#failLocally(error));
  }

  /** Cancels an outbound call before it is answered (RFC 3261 §9.1). The 487 that follows ends it. */
  async cancel(): Promise<void> {
    if (!(this.#session instanceof Inviter) || this.#session.state !== SessionState.Establishing) {
      throw new UaError(
        'UA_CALL_STATE',
        `Only an outbound call that is not answered yet can be cancelled (it is ${this.#state}).`,
      );
    }
    this.#cancelRequested = true;
    await this.#session.cancel();
  }

  // ── Inbound ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Answers an inbound call (200 with our SDP answer). */
  async accept(audio: CallAudioOptions = {}): Promise<void> {
    const invitation = this.#invitation('accept');
    if (audio.source !== undefined) this.#source = audio.source;
    this.#sinks.push(...(audio.sinks ?? []));
    await invitation.accept({ sessionDescriptionHandlerOptions: {} });
  }

  /** Refuses an inbound call (default 486 Busy Here; 603 Decline, 480 Temporarily Unavailable …). */
  async decline(statusCode = 486): Promise<void> {
    const invitation = this.#invitation('decline');
    this.#recordEnd({ ending: 'declined', statusCode }, 'local');
    await invitation.reject({ statusCode });
  }

  // ── Either direction ─────────────────────────────────────────────────────────────────────────────────────

  /** Ends the call however it stands: BYE when answered, CANCEL when dialling, 486 when ringing here. */
  async hangup(): Promise<void> {
    switch (this.#session.state) {
      case SessionState.Initial:
      case SessionState.Establishing:
        if (this.#session instanceof Inviter) return this.cancel();
        return this.decline(486);
      case SessionState.Established:
        this.#recordEnd({ ending: 'local-bye' }, 'local');
        // Resolves once the BYE is answered (or timed out, Timer F), so a caller may close the phone after it.
        await new Promise<void>((resolve) => {
          this.#session
            .bye({ requestDelegate: { onAccept: () => resolve(), onReject: () => resolve() } })
            .catch(() => resolve());
        });
        return;
      case SessionState.Terminating:
      case SessionState.Terminated:
        return;
    }
  }

  /** Puts the far end on hold: a re-INVITE offering sendonly (RFC 3264 §8.4). */
  async hold(): Promise<void> {
    if (this.#held) return;
    await this.#reinvite(true);
    this.#held = true;
  }

  /** Takes the far end off hold: a re-INVITE offering sendrecv. */
  async resume(): Promise<void> {
    if (!this.#held) return;
    await this.#reinvite(false);
    this.#held = false;
  }

  /** Sends silence instead of the source (media keeps flowing, so no hold and no RTP timeout). */
  mute(): void {
    this.#muted = true;
    this.#media?.setSource(new SilenceSource());
  }

  unmute(): void {
    this.#muted = false;
    this.#media?.setSource(this.#source);
  }

  /** Sends digits by RFC 4733 (telephone-event); Zentrunk does not take SIP INFO (BEHAVIOUR.md §3, §8). */
  sendDtmf(digits: string, options: { durationMs?: number } = {}): void {
    if (!DTMF_DIGITS.test(digits)) {
      throw new UaError('UA_DTMF_UNAVAILABLE', `"${digits}" is not a DTMF string: use 0-9, *, # and A-D.`);
    }
    const media = this.#media;
    if (this.#state !== 'answered' && this.#state !== 'early-media') {
      throw new UaError('UA_CALL_STATE', `DTMF needs media; the call is ${this.#state}.`);
    }
    if (media?.negotiated?.telephoneEvent === undefined) {
      throw new UaError(
        'UA_DTMF_UNAVAILABLE',
        'The far end did not negotiate telephone-event (RFC 4733), and Zentrunk does not relay SIP INFO: no DTMF can be sent on this call.',
      );
    }
    media.sendDtmf(
      digits.toUpperCase(),
      options.durationMs === undefined ? {} : { durationMs: options.durationMs },
    );
  }

  /** Swaps what we send (any time; while muted it takes effect on unmute). */
  setSource(source: AudioSource): void {
    this.#source = source;
    if (!this.#muted) this.#media?.setSource(source);
  }

  /** Adds a sink for received (and sent) frames. */
  addSink(sink: AudioSink): Disposable {
    this.#sinks.push(sink);
    const attached = this.#media?.addSink(sink);
    return {
      dispose: () => {
        const index = this.#sinks.indexOf(sink);
        if (index >= 0) this.#sinks.splice(index, 1);
        attached?.dispose();
      },
    };
  }

  /**
   * Transfers the far end by REFER (RFC 3515), with Refer-To in the trunk's own domain as Zentrunk requires
   * (BEHAVIOUR.md §7). Resolves with the final sipfrag status; a failure keeps this call. After success the trunk
   * ends this leg with a BYE; if it does not within `transferByeTimeoutMs`, the leg ends itself and a
   * `leg-ended` event says so.
   */
  transfer(target: TransferTarget): Promise<TransferOutcome> {
    if (this.#session.state !== SessionState.Established) {
      return Promise.reject(
        new UaError('UA_CALL_STATE', `Only an answered call can be transferred (it is ${this.#state}).`),
      );
    }
    let referTo: NameAddrUri;
    try {
      referTo = this.#referTarget(target);
    } catch (error) {
      return Promise.reject(
        error instanceof Error ? error : new UaError('UA_TRANSFER_INVALID', String(error)),
      );
    }
    const mode = target.kind;
    this.#emitTransfer({ kind: 'requested', mode, referTo: referTo.toString() });
    return new Promise<TransferOutcome>((resolve) => {
      let settled = false;
      const settle = (outcome: TransferOutcome) => {
        if (settled) return;
        settled = true;
        resolve(outcome);
      };
      this.#session
        .refer(referTo, {
          requestDelegate: {
            onAccept: (response) =>
              this.#emitTransfer({ kind: 'accepted', statusCode: response.message.statusCode ?? 202 }),
            onReject: (response) => {
              const statusCode = response.message.statusCode ?? 0;
              const reasonPhrase = response.message.reasonPhrase ?? '';
              this.#emitTransfer({ kind: 'rejected', statusCode, reasonPhrase });
              settle({ ok: false, statusCode, reasonPhrase });
            },
          },
          onNotify: (notification) => this.#onTransferNotify(notification, settle),
        })
        .catch((error: unknown) => {
          const reasonPhrase = error instanceof Error ? error.message : 'the REFER could not be sent';
          this.#emitTransfer({ kind: 'failed', statusCode: undefined, reasonPhrase });
          settle({ ok: false, statusCode: undefined, reasonPhrase });
        });
    });
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────────

  #invitation(what: string): Invitation {
    const session = this.#session;
    if (this.direction !== 'inbound' || session.state !== SessionState.Initial) {
      throw new UaError(
        'UA_CALL_STATE',
        `Only a ringing inbound call can be ${what}ed (it is ${this.#state}).`,
      );
    }
    return session as Invitation;
  }

  #referTarget(target: TransferTarget): NameAddrUri {
    const domain = this.#context.terminationDomain;
    if (target.kind === 'blind') {
      if (!/^\+?[0-9*#]{1,32}$/.test(target.to)) {
        throw new UaError(
          'UA_TRANSFER_INVALID',
          `"${target.to}" is not a number: a transfer target is an E.164 number.`,
        );
      }
      return new NameAddrUri('sip', target.to, domain.host, domain.port);
    }
    const other = target.call;
    const dialog = other.session.dialog;
    if (other === this || other.session.state !== SessionState.Established || dialog === undefined) {
      throw new UaError(
        'UA_TRANSFER_INVALID',
        'An attended transfer needs another call of ours that is answered.',
      );
    }
    // RFC 3891 §3: to-tag is the tag of the party that receives the Replaces (the far end of that dialog), from-tag
    // ours. Escaped as a URI header (RFC 3261 §19.1.1: ';', '=' and '@' of a Call-ID).
    const replaces = encodeURIComponent(
      `${dialog.callId};to-tag=${dialog.remoteTag};from-tag=${dialog.localTag}`,
    );
    return new NameAddrUri('sip', other.number, domain.host, domain.port, undefined, {
      Replaces: [replaces],
    });
  }

  #onTransferNotify(notification: Notification, settle: (outcome: TransferOutcome) => void): void {
    void notification.accept();
    const request = notification.request;
    const status = parseSipfragStatus(request.body ?? '');
    const subscription = parseSubscriptionState(header(request, 'Subscription-State'));
    if (status === undefined) {
      if (subscription?.state === 'terminated') {
        const reasonPhrase = `the transfer subscription ended (${subscription.reason ?? 'no reason'}) without a final status`;
        this.#emitTransfer({ kind: 'failed', statusCode: undefined, reasonPhrase });
        settle({ ok: false, statusCode: undefined, reasonPhrase });
      }
      return;
    }
    const { statusCode, reasonPhrase } = status;
    if (statusCode < 200) {
      this.#emitTransfer({ kind: 'progress', statusCode, reasonPhrase });
      return;
    }
    if (statusCode < 300) {
      this.#transferSucceeded = true;
      this.#emitTransfer({ kind: 'succeeded', statusCode, reasonPhrase });
      settle({ ok: true, statusCode, reasonPhrase });
      this.#awaitTransferBye();
      return;
    }
    this.#emitTransfer({ kind: 'failed', statusCode, reasonPhrase });
    settle({ ok: false, statusCode, reasonPhrase });
  }

  /** Zentrunk ends the transferor leg after NOTIFY 200 (§7); if its BYE does not come, end the leg ourselves. */
  #awaitTransferBye(): void {
    const timeoutMs = this.#context.transferByeTimeoutMs;
    this.#transferTimer = this.#context.clock.setTimeout(() => {
      this.#transferTimer = undefined;
      if (this.#session.state !== SessionState.Established) return;
      const detail = `no BYE from the trunk within ${timeoutMs} ms of the transfer's NOTIFY 200: this leg ended itself`;
      this.#emitTransfer({ kind: 'leg-ended', by: 'local-timeout', detail });
      this.#recordEnd({ ending: 'local-bye' }, 'local');
      this.#session.bye().catch(() => undefined);
    }, timeoutMs);
  }

  #onRefer(referral: Referral): void {
    let referTo: string;
    try {
      referTo = referral.referTo.uri.toString();
    } catch {
      void referral.reject({ statusCode: 400, reasonPhrase: 'Bad Refer-To' });
      return;
    }
    const follow = this.#context.followReferral(this, referral);
    this.#emitTransfer({ kind: 'referred', referTo, newCallId: follow?.id });
  }

  #emitTransfer(progress: TransferProgress): void {
    this.#events.emit('transfer', progress);
  }

  async #reinvite(hold: boolean): Promise<void> {
    if (this.#session.state !== SessionState.Established) {
      throw new UaError('UA_CALL_STATE', `Hold and resume need an answered call (it is ${this.#state}).`);
    }
    const previous = this.#session.sessionDescriptionHandlerOptionsReInvite;
    this.#session.sessionDescriptionHandlerOptionsReInvite = { hold } as MediaDescriptionOptions;
    await new Promise<void>((resolve, reject) => {
      this.#session
        .invite({
          requestDelegate: {
            onAccept: () => resolve(),
            onReject: (response) => {
              this.#session.sessionDescriptionHandlerOptionsReInvite = previous;
              const status =
                `${response.message.statusCode ?? ''} ${response.message.reasonPhrase ?? ''}`.trim();
              reject(
                new UaError(
                  'UA_CALL_STATE',
                  `The far end refused the ${hold ? 'hold' : 'resume'} re-INVITE (${status}).`,
                ),
              );
            },
          },
        })
        .catch((error: unknown) => {
          this.#session.sessionDescriptionHandlerOptionsReInvite = previous;
          reject(
            error instanceof Error ? error : new UaError('UA_CALL_STATE', 'The re-INVITE could not be sent.'),
          );
        });
    });
  }

  #onProgress(response: IncomingResponse): void {
    const message = response.message;
    const statusCode = message.statusCode ?? 0;
    if (statusCode <= 100) return;
    this.#firstProgressMs ??= this.#context.clock.now();
    const earlyMedia = (message.body ?? '').length > 0;
    this.#events.emit('progress', { statusCode, reasonPhrase: message.reasonPhrase ?? '', earlyMedia });
    if (this.#state === 'dialling' || this.#state === 'ringing')
      this.#setState(earlyMedia ? 'early-media' : 'ringing');
  }

  #onReject(response: IncomingResponse): void {
    const message = response.message;
    const statusCode = message.statusCode;
    const local = isLocalResponse(message);
    let ending: CallEnding = 'rejected';
    if (this.#cancelRequested && statusCode === 487) ending = 'cancelled';
    else if (local) ending = statusCode === 408 ? 'no-response' : 'transport-failure';
    this.#recordEnd(
      {
        ending,
        ...(statusCode !== undefined ? { statusCode } : {}),
        ...(message.reasonPhrase !== undefined ? { reasonPhrase: message.reasonPhrase } : {}),
        hangupCodeHeader: local ? undefined : header(message, 'X-ZT-Hangup-Code'),
        reasonHeaders: local ? [] : message.getHeaders('reason'),
      },
      ending === 'cancelled' ? 'local' : local ? 'network' : 'remote',
    );
  }

  #failLocally(error: unknown): void {
    this.#events.emit('warning', {
      kind: 'signalling',
      message: `the INVITE could not be sent: ${error instanceof Error ? error.message : 'unknown error'}`,
    });
    this.#recordEnd(
      { ending: 'transport-failure', statusCode: 503, reasonPhrase: 'Service Unavailable' },
      'network',
    );
  }

  /** The first evidence of how the call ends wins (a BYE answer, a timeout after it, … do not overwrite it). */
  #recordEnd(evidence: HangupEvidence, by: CallEnd['endedBy']): void {
    if (this.#evidence !== undefined) return;
    this.#evidence = evidence;
    this.#endedBy = by;
  }

  #onSessionState(state: SessionState): void {
    switch (state) {
      case SessionState.Established:
        this.#answeredMs ??= this.#context.clock.now();
        this.#answeredAtMs ??= this.#context.clock.wallNow();
        this.#setState('answered');
        return;
      case SessionState.Terminating:
        this.#setState('ending');
        return;
      case SessionState.Terminated:
        // sip.js moves to Terminated before it calls the request delegate with the final response: let that
        // evidence in first.
        queueMicrotask(() => this.#finish());
        return;
      case SessionState.Initial:
      case SessionState.Establishing:
        return;
    }
  }

  #setState(next: CallState): void {
    const previous = this.#state;
    if (previous === next || previous === 'ended') return;
    this.#state = next;
    this.#events.emit('state', next, previous);
  }

  #finish(): void {
    if (this.#end !== undefined) return;
    this.#context.clock.clearTimeout(this.#transferTimer);
    const clock = this.#context.clock;
    const nowMs = clock.now();
    const answered = this.#answeredMs !== undefined;
    let evidence = this.#evidence;
    if (evidence === undefined) {
      // sip.js ended the call on its own: an inbound call nobody answered (its no-answer timer sends 480), or a
      // session it had to drop. The state says which.
      evidence = answered ? { ending: 'remote-bye' } : { ending: 'declined', statusCode: 480 };
      this.#endedBy ??= answered ? 'remote' : 'local';
    }
    if (this.#transferSucceeded && evidence.ending === 'remote-bye') {
      this.#emitTransfer({
        kind: 'leg-ended',
        by: 'trunk',
        detail: 'the trunk ended this leg after the transfer (BYE)',
      });
    }
    const outcome = this.#outcome(evidence.ending, answered);
    this.#lastStats = this.#media?.stats() ?? this.#lastStats;
    const end: CallEnd = {
      outcome,
      endedBy: this.#endedBy ?? 'local',
      hangup: explainHangup(evidence),
      timings: {
        startedAtMs: this.#startedAtMs,
        answeredAtMs: this.#answeredAtMs,
        endedAtMs: clock.wallNow(),
        postDialDelayMs:
          this.direction === 'outbound'
            ? (this.#firstProgressMs ?? this.#answeredMs ?? nowMs) - this.#startedMs
            : undefined,
        timeToAnswerMs: this.#answeredMs === undefined ? undefined : this.#answeredMs - this.#startedMs,
        durationMs: this.#answeredMs === undefined ? undefined : nowMs - this.#answeredMs,
      },
      media: this.#mediaState,
      stats: this.#lastStats,
    };
    this.#end = end;
    this.#setState('ended');
    this.#context.release(this);
    this.#events.emit('ended', end);
    this.#resolveEnded(end);
  }

  #outcome(ending: CallEnding, answered: boolean): CallOutcome {
    if (this.#transferSucceeded) return 'transferred';
    if (answered) return 'answered';
    switch (ending) {
      case 'cancelled':
        return 'cancelled';
      case 'declined':
        return this.#evidence === undefined ? 'missed' : 'declined';
      case 'remote-cancel':
        return 'missed';
      case 'rejected':
      case 'no-response':
      case 'transport-failure':
      case 'remote-bye':
      case 'local-bye':
        return 'rejected';
    }
  }

  // ── Media ────────────────────────────────────────────────────────────────────────────────────────────────

  #attachSdh(sdh: SessionDescriptionHandler): void {
    if (!(sdh instanceof MediaSessionDescriptionHandler) || this.#sdh === sdh) return;
    this.#sdh = sdh;
    sdh.on('media-open', (media) => this.#attachMedia(media));
    sdh.on('negotiated', (negotiated) => this.#onNegotiated(negotiated));
    sdh.on('negotiation-failed', (detail) =>
      this.#events.emit('warning', { kind: 'media', message: `SDP refused: ${detail}` }),
    );
  }

  #attachMedia(media: MediaSession): void {
    this.#media = media;
    for (const [listener, previous] of this.#packetTaps) {
      previous?.dispose();
      this.#packetTaps.set(listener, media.tapPackets(listener));
    }
    media.setSource(this.#muted ? new SilenceSource() : this.#source);
    media.addSink(this.#levels);
    for (const sink of this.#sinks) media.addSink(sink);
    media.on('stats', (stats) => {
      this.#lastStats = stats;
      const levels = this.#levels.levels;
      this.#levels.reset();
      this.#events.emit('stats', {
        media: stats,
        levels: {
          sentDbfs: stats.sent.audioPackets > 0 ? levels.inputOverallDbfs : undefined,
          receivedDbfs: stats.received.packets > 0 ? levels.outputOverallDbfs : undefined,
        },
      });
    });
    media.on('dtmf', (event) => {
      if (event.type !== 'digit-end') return;
      this.#events.emit('dtmf', {
        digit: event.symbol,
        durationMs: event.durationMs,
        atMs: this.#context.clock.now(),
      });
    });
    media.on('inactive', ({ silentForMs }) =>
      this.#events.emit('warning', {
        kind: 'media',
        message: `no RTP from the far end for ${Math.round(silentForMs / 1000)} s (Zentrunk ends such calls with 3020 rtp_timeout)`,
      }),
    );
    media.on('error', (error) => this.#events.emit('warning', { kind: 'media', message: error.message }));
  }

  #onNegotiated(negotiated: NegotiatedMedia): void {
    const state: CallMediaState = {
      codec: negotiated.codec.encodingName,
      payloadType: negotiated.codec.payloadType,
      srtpSuite: negotiated.srtp?.profile,
      direction: negotiated.direction,
      telephoneEvent: negotiated.telephoneEvent !== undefined,
      remote: { address: negotiated.remoteAddress, port: negotiated.remoteRtpPort },
      localPort: this.#media?.localRtpPort,
    };
    this.#mediaState = state;
    this.#events.emit('media', state);
  }
}
