// The softphone in the host: one `SoftphoneUserAgent` per trunk profile, the live calls the Phone view shows, the
// `calls.*` commands and `profiles.testConnection`, the `call.updated` / `call.incoming` events, each call's audio
// (frames from and to the renderer, call-audio-bridge.ts) and the record of every ended call (softphone-cdr.ts).
// PhoneService delegates to it; it owns the user agents and stops them on close.
//
// Every call — dialled here, ringing in from the trunk, or placed by the user agent because the far end
// transferred us — passes through `#adopt`, the one place the host starts tracking a call (ADR 0140).

import { randomUUID } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { z } from 'zod';
import {
  SoftphoneUserAgent,
  TrunklineError,
  UaError,
  describeError,
  type Call,
  type Clock,
  type Disposable,
  type PcmPushSourceStats,
  type StoredSipMessage,
  type TransferProgress,
  type TrunklineStore,
  type UaCallState,
  type UaProfileInput,
} from '../../sip-core/src/index.js';
import type {
  ApiError,
  AttendedTransferRequest,
  AudioFrame,
  CallSnapshot,
  CallState,
  CommandName,
  ConnectionTestResult,
  DialRequest,
  DtmfDigit,
  PhoneApiEvents,
  TransferRequest,
  TransferState,
} from '../common/index.js';
import { CallAudioBridge, type AudioBridgeStats } from './call-audio-bridge.js';
import { buildSoftphoneCdr, traceOfCall } from './softphone-cdr.js';

const callRef = z.object({ callId: z.string().min(1).max(128) }).strict();
const DTMF_DIGIT = z.enum(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D']);

/** The parameter schemas of the commands this module serves (PhoneService checks them before a handler runs). */
export const CALL_COMMAND_PARAMS = {
  'profiles.testConnection': z.object({ profileId: z.string().min(1).max(64) }).strict(),
  'calls.list': z
    .undefined()
    .or(z.null())
    .transform(() => undefined),
  'calls.dial': z
    .object({
      profileId: z.string().min(1).max(64),
      destination: z.string().max(64),
      callerId: z.string().max(64).optional(),
    })
    .strict(),
  'calls.answer': callRef,
  'calls.decline': callRef,
  'calls.hangup': callRef,
  'calls.sendDtmf': z
    .object({ callId: z.string().min(1).max(128), digits: z.array(DTMF_DIGIT).min(1).max(32) })
    .strict(),
  'calls.hold': callRef,
  'calls.resume': callRef,
  'calls.mute': z.object({ callId: z.string().min(1).max(128), muted: z.boolean() }).strict(),
  'calls.transferBlind': z
    .object({ callId: z.string().min(1).max(128), target: z.string().min(1).max(128) })
    .strict(),
  'calls.transferAttended': z
    .object({ callId: z.string().min(1).max(128), consultationCallId: z.string().min(1).max(128) })
    .strict(),
} as const satisfies Partial<Record<CommandName, z.ZodType>>;

/** What the host knows about a profile when it starts a user agent for it. */
export interface SoftphoneProfile {
  readonly profileId: string;
  /** The user agent's profile, password included (it becomes a `SecretString` at once). */
  readonly input: UaProfileInput;
  /** Tried when `input` cannot start (its fixed listening port is taken): the same on a free port. */
  readonly fallbackInput?: UaProfileInput;
  /** For the CDR. */
  readonly trunkDomain: string;
  readonly transport: 'udp' | 'tcp' | 'tls';
}

/** A failure of a call command, with the contract's error (PhoneService passes it through). */
export class CallCommandError extends TrunklineError {
  constructor(readonly apiError: ApiError) {
    super('HOST_CALL_COMMAND', apiError.message);
  }
}

/**
 * The desktop softphone's receive jitter buffer has no floor of its own (sip-core's default keeps at least 20 ms):
 * its target follows the jitter it measures, and the page's playback queue behind it keeps its own cushion
 * (ADR 0147). On loopback that saves a frame of mouth-to-ear delay; on a real trunk the target still grows to the
 * spread of arrival times, and a late packet still raises the delay by a frame as it happens.
 */
export const SOFTPHONE_MEDIA = { jitterBuffer: { minDelayMs: 0 } } as const;

/**
 * Per call the evidence recorder (`call-evidence-store.ts`, another slice) attaches here; whatever it returns is
 * disposed when the call ends.
 */
export type CallAttachHook = (callId: string, call: Call, ua: SoftphoneUserAgent) => Disposable | undefined;

export interface SoftphoneCallsOptions {
  readonly clock: Clock;
  readonly store: Pick<TrunklineStore, 'recordCallEnd'>;
  /** Resolves a profile id to what a user agent needs; throws a `CallCommandError` for an unusable profile. */
  readonly resolveProfile: (profileId: string) => SoftphoneProfile;
  readonly emit: <E extends 'call.updated' | 'call.incoming' | 'history.recorded'>(
    event: E,
    payload: PhoneApiEvents[E],
  ) => void;
  readonly log: (level: 'info' | 'warn' | 'error', message: string) => void;
  readonly attach?: CallAttachHook;
  /** Called once when a profile's user agent starts (per-call evidence keeps its recent SIP from then on). */
  readonly watchUserAgent?: (ua: SoftphoneUserAgent) => Disposable;
}

/** SIP messages the host keeps per user agent to build each ended call's trace (a call needs far fewer). */
export const TRACE_WINDOW_MESSAGES = 4000;
/** How long a profile's last OPTIONS bars the next (BEHAVIOUR.md §11; the UA's guard enforces it too). */
const OPTIONS_GUARD_MS = 15_000;

interface Phone {
  readonly key: string;
  readonly ua: Promise<SoftphoneUserAgent>;
  readonly messages: StoredSipMessage[];
  readonly subscriptions: Disposable[];
}

interface TrackedCall {
  readonly id: string;
  readonly call: Call;
  readonly profile: SoftphoneProfile;
  readonly audio: CallAudioBridge;
  readonly phone: Phone;
  readonly subscriptions: Disposable[];
  transfer: TransferState;
  transferDetail: string | undefined;
  snapshot: CallSnapshot;
  /** Our hangup in progress: the record waits for the BYE's answer, so the ladder ends with it. */
  hangingUp: Promise<void> | undefined;
}

export class SoftphoneCalls implements Disposable {
  readonly #options: SoftphoneCallsOptions;
  readonly #phones = new Map<string, Phone>();
  readonly #calls = new Map<string, TrackedCall>();
  readonly #byCall = new Map<Call, TrackedCall>();
  readonly #audioListeners = new Set<(frame: AudioFrame) => void>();
  readonly #lastPingAtMs = new Map<string, number>();
  readonly #audioStats: AudioBridgeStats = { unknownCall: 0, badFrames: 0 };
  /** Ended calls whose record is being written: `close()` waits for them before the store closes. */
  readonly #recording = new Set<Promise<void>>();
  #closed = false;

  constructor(options: SoftphoneCallsOptions) {
    this.#options = options;
  }

  // ── Commands ───────────────────────────────────────────────────────────────────────────────────────────────

  list(): CallSnapshot[] {
    return [...this.#calls.values()].map((c) => c.snapshot);
  }

  async dial(request: DialRequest): Promise<CallSnapshot> {
    const destination = request.destination.replace(/[-.()\s]/g, '');
    if (destination === '') throw invalid('Type a number to call.');
    const { ua, phone } = await this.#phone(request.profileId);
    const call = guard(() => ua.call(destination, request.callerId ? { callerId: request.callerId } : {}));
    return (this.#byCall.get(call) ?? this.#adopt(call, ua, phone, request.profileId)).snapshot;
  }

  async answer(callId: string): Promise<CallSnapshot> {
    const tracked = this.#tracked(callId);
    await guardAsync(() => tracked.call.accept());
    return this.#update(tracked);
  }

  async decline(callId: string): Promise<void> {
    // 603 Decline: the user said no (486 would claim the phone is busy).
    await guardAsync(() => this.#tracked(callId).call.decline(603));
  }

  async hangup(callId: string): Promise<void> {
    const tracked = this.#tracked(callId);
    tracked.hangingUp = guardAsync(() => tracked.call.hangup());
    await tracked.hangingUp;
  }

  sendDtmf(callId: string, digits: readonly DtmfDigit[]): void {
    const tracked = this.#tracked(callId);
    guard(() => tracked.call.sendDtmf(digits.join('')));
  }

  async hold(callId: string): Promise<CallSnapshot> {
    const tracked = this.#tracked(callId);
    await guardAsync(() => tracked.call.hold());
    return this.#update(tracked);
  }

  async resume(callId: string): Promise<CallSnapshot> {
    const tracked = this.#tracked(callId);
    await guardAsync(() => tracked.call.resume());
    return this.#update(tracked);
  }

  mute(callId: string, muted: boolean): CallSnapshot {
    const tracked = this.#tracked(callId);
    if (muted) tracked.call.mute();
    else tracked.call.unmute();
    return this.#update(tracked);
  }

  async transferBlind(request: TransferRequest): Promise<CallSnapshot> {
    const tracked = this.#tracked(request.callId);
    const target = request.target.trim();
    if (target === '') throw invalid('Type the number to transfer the call to.');
    const outcome = await guardAsync(() => tracked.call.transfer({ kind: 'blind', to: target }));
    this.#settleTransfer(tracked, outcome.ok, outcome.statusCode, outcome.reasonPhrase);
    return tracked.snapshot;
  }

  async transferAttended(request: AttendedTransferRequest): Promise<CallSnapshot> {
    const tracked = this.#tracked(request.callId);
    const consultation = this.#tracked(request.consultationCallId);
    if (consultation === tracked) throw invalid('Pick another call as the consultation call.');
    const outcome = await guardAsync(() =>
      tracked.call.transfer({ kind: 'attended', call: consultation.call }),
    );
    this.#settleTransfer(tracked, outcome.ok, outcome.statusCode, outcome.reasonPhrase);
    return tracked.snapshot;
  }

  /** Starts the profile's user agent (if it is not running) so that it listens for inbound calls. */
  async listen(profileId: string): Promise<void> {
    await this.#phone(profileId);
  }

  /** One OPTIONS through the profile's user agent; a second within 15 s is refused by the guard and says so. */
  async testConnection(profileId: string): Promise<ConnectionTestResult> {
    const now = this.#options.clock.wallNow();
    const last = this.#lastPingAtMs.get(profileId);
    if (last !== undefined && now - last < OPTIONS_GUARD_MS) {
      return refusedByGuard(last + OPTIONS_GUARD_MS, now);
    }
    const { ua } = await this.#phone(profileId);
    try {
      const status = await ua.pingTrunk();
      this.#lastPingAtMs.set(profileId, now);
      const nextAllowedAtMs = now + OPTIONS_GUARD_MS;
      if (!status.reachable) {
        return {
          outcome: 'timeout',
          nextAllowedAtMs,
          message:
            'The trunk did not answer the OPTIONS request. Check the proxy address, the port and the transport, and that a firewall lets SIP through.',
        };
      }
      return {
        outcome: 'answered',
        ...(status.statusCode !== undefined ? { status: status.statusCode } : {}),
        ...(status.reasonPhrase !== undefined ? { reasonPhrase: status.reasonPhrase } : {}),
        ...(status.rttMs !== undefined ? { roundTripMs: Math.round(status.rttMs) } : {}),
        nextAllowedAtMs,
        message: `The trunk answered ${status.statusCode ?? ''} ${status.reasonPhrase ?? ''}`.trim() + '.',
      };
    } catch (error) {
      if (error instanceof UaError && error.code === 'UA_OPTIONS_RATE_LIMITED') {
        return refusedByGuard(now + OPTIONS_GUARD_MS, now);
      }
      this.#lastPingAtMs.set(profileId, now);
      return {
        outcome: 'transport_error',
        nextAllowedAtMs: now + OPTIONS_GUARD_MS,
        message: `The OPTIONS request could not be sent: ${describeError(error)}`,
      };
    }
  }

  // ── Audio ──────────────────────────────────────────────────────────────────────────────────────────────────

  /** The microphone queue's counters of a live call (bench:app's latency tap reads them). */
  micQueueStats(callId: string): PcmPushSourceStats | undefined {
    return this.#calls.get(callId)?.audio.stats;
  }

  /** A microphone frame from the renderer: into its call's queue, or counted and dropped. Never throws. */
  pushAudio(frame: AudioFrame): boolean {
    const tracked = this.#calls.get(frame.callId);
    if (tracked === undefined) {
      this.#audioStats.unknownCall++;
      return false;
    }
    if (!tracked.audio.push(frame)) {
      this.#audioStats.badFrames++;
      return false;
    }
    return true;
  }

  /** Received audio of every call, as frames to play. */
  onAudio(listener: (frame: AudioFrame) => void): Disposable {
    this.#audioListeners.add(listener);
    return { dispose: () => this.#audioListeners.delete(listener) };
  }

  get audioStats(): Readonly<AudioBridgeStats> {
    return { ...this.#audioStats };
  }

  /** Hangs up every call and stops every user agent (their calls' records are written first). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const ended = [...this.#calls.values()].map((t) => t.call.ended);
    const phones = [...this.#phones.values()];
    this.#phones.clear();
    await Promise.allSettled(phones.map((p) => p.ua.then((ua) => ua.stop())));
    await Promise.allSettled(ended);
    await Promise.allSettled([...this.#recording]);
    for (const phone of phones) for (const s of phone.subscriptions) s.dispose();
  }

  dispose(): void {
    void this.close();
  }

  // ── Internals ──────────────────────────────────────────────────────────────────────────────────────────────

  /** The user agent of a profile, started on first use and restarted when the profile changed and is idle. */
  async #phone(profileId: string): Promise<{ ua: SoftphoneUserAgent; phone: Phone }> {
    if (this.#closed)
      throw new CallCommandError({
        code: 'unavailable',
        message: 'Trunkline is shutting down.',
        missing: 'host',
      });
    const profile = this.#options.resolveProfile(profileId);
    const key = JSON.stringify({ ...profile.input, password: undefined });
    let phone = this.#phones.get(profileId);
    if (phone !== undefined && phone.key !== key) {
      const busy = [...this.#calls.values()].some((t) => t.phone === phone);
      if (!busy) {
        this.#phones.delete(profileId);
        const old = phone;
        void old.ua.then((ua) => ua.stop()).catch(() => undefined);
        for (const s of old.subscriptions) s.dispose();
        phone = undefined;
      }
    }
    if (phone === undefined) {
      phone = this.#startPhone(profileId, key, profile);
      this.#phones.set(profileId, phone);
    }
    try {
      return { ua: await phone.ua, phone };
    } catch (error) {
      if (this.#phones.get(profileId) === phone) this.#phones.delete(profileId);
      throw toCallError(error);
    }
  }

  #startPhone(profileId: string, key: string, profile: SoftphoneProfile): Phone {
    const messages: StoredSipMessage[] = [];
    const subscriptions: Disposable[] = [];
    const phone: Phone = {
      key,
      messages,
      subscriptions,
      ua: SoftphoneUserAgent.start(profile.input, { clock: this.#options.clock, media: SOFTPHONE_MEDIA })
        .catch((error: unknown) => {
          const fallback = profile.fallbackInput;
          if (fallback === undefined) throw error;
          this.#options.log(
            'warn',
            `softphone for ${profileId} could not listen where the trunk sends inbound calls (${describeError(error)}); it listens on a free port, and inbound calls from the trunk will not reach it`,
          );
          return SoftphoneUserAgent.start(fallback, { clock: this.#options.clock, media: SOFTPHONE_MEDIA });
        })
        .then((ua) => {
          subscriptions.push(
            ua.trace.subscribe((record) => {
              if (record.kind !== 'message') return;
              messages.push(record);
              if (messages.length > TRACE_WINDOW_MESSAGES)
                messages.splice(0, messages.length - TRACE_WINDOW_MESSAGES);
            }),
            ua.on('call', (call) => {
              if (!this.#byCall.has(call)) this.#adopt(call, ua, phone, profileId);
            }),
            ua.on('incoming', (call) => {
              const tracked = this.#byCall.get(call) ?? this.#adopt(call, ua, phone, profileId);
              this.#options.emit('call.incoming', tracked.snapshot);
            }),
            ua.on('warning', ({ message }) => this.#options.log('warn', `softphone: ${message}`)),
          );
          const watched = this.#options.watchUserAgent?.(ua);
          if (watched !== undefined) subscriptions.push(watched);
          this.#options.log('info', `softphone for ${profileId} listening on ${describeListener(ua)}`);
          return ua;
        }),
    };
    return phone;
  }

  /**
   * The one place a call becomes the host's: outbound (dialled), inbound (ringing) and transfer-placed calls all
   * come here, before any of their media flows. Per-call evidence attaches here (`options.attach`).
   */
  #adopt(call: Call, ua: SoftphoneUserAgent, phone: Phone, profileId: string): TrackedCall {
    const id = randomUUID();
    const profile = this.#options.resolveProfile(profileId);
    const audio = new CallAudioBridge(id, (frame) => {
      for (const listener of this.#audioListeners) listener(frame);
    });
    const tracked: TrackedCall = {
      id,
      call,
      profile,
      audio,
      phone,
      subscriptions: [],
      transfer: 'none',
      transferDetail: undefined,
      snapshot: undefined as unknown as CallSnapshot,
      hangingUp: undefined,
    };
    tracked.snapshot = this.#snapshotOf(tracked);
    this.#calls.set(id, tracked);
    this.#byCall.set(call, tracked);
    tracked.subscriptions.push(audio.connect(call));
    const evidence = this.#options.attach?.(id, call, ua);
    if (evidence !== undefined) tracked.subscriptions.push(evidence);
    tracked.subscriptions.push(
      call.on('state', () => this.#update(tracked)),
      call.on('media', () => this.#update(tracked)),
      call.on('transfer', (progress) => this.#onTransfer(tracked, progress)),
    );
    const recorded = call.ended.then(() => this.#onEnded(tracked));
    this.#recording.add(recorded);
    void recorded.finally(() => this.#recording.delete(recorded));
    return tracked;
  }

  async #onEnded(tracked: TrackedCall): Promise<void> {
    this.#update(tracked);
    for (const s of tracked.subscriptions.splice(0)) s.dispose();
    this.#calls.delete(tracked.id);
    this.#byCall.delete(tracked.call);
    // The end is known before its last message: our BYE's 200 (or our 200 to theirs) is still on its way.
    await tracked.hangingUp?.catch(() => undefined);
    await nextTurn();
    this.#record(tracked);
  }

  #onTransfer(tracked: TrackedCall, progress: TransferProgress): void {
    switch (progress.kind) {
      case 'requested':
      case 'accepted':
      case 'progress':
        tracked.transfer = 'in-progress';
        tracked.transferDetail = 'statusCode' in progress ? `${progress.statusCode}` : undefined;
        break;
      case 'succeeded':
        this.#settleTransfer(tracked, true, progress.statusCode, progress.reasonPhrase);
        return;
      case 'rejected':
      case 'failed':
        this.#settleTransfer(tracked, false, progress.statusCode, progress.reasonPhrase);
        return;
      case 'leg-ended':
      case 'referred':
        break;
    }
    this.#update(tracked);
  }

  #settleTransfer(
    tracked: TrackedCall,
    ok: boolean,
    statusCode: number | undefined,
    reasonPhrase: string,
  ): void {
    tracked.transfer = ok ? 'succeeded' : 'failed';
    tracked.transferDetail = `${statusCode ?? ''} ${reasonPhrase}`.trim();
    this.#update(tracked);
  }

  #record(tracked: TrackedCall): void {
    const end = tracked.call.result;
    if (end === undefined) return;
    const { call, profile } = tracked;
    const sipCallId = call.sipCallId;
    try {
      const cdr = buildSoftphoneCdr({
        callUuid: tracked.id,
        sipCallId,
        direction: call.direction,
        from: call.peerOrCallerId,
        to: call.number,
        trunkDomain: profile.trunkDomain,
        transport: profile.transport,
        end,
        remote: end.media?.remote,
      });
      this.#options.store.recordCallEnd(cdr, traceOfCall(tracked.phone.messages, sipCallId));
      this.#options.emit('history.recorded', { callUuid: tracked.id });
    } catch (error) {
      this.#options.log(
        'error',
        `The softphone call ${tracked.id} could not be recorded: ${describeError(error)}`,
      );
    }
  }

  #update(tracked: TrackedCall): CallSnapshot {
    tracked.snapshot = this.#snapshotOf(tracked);
    this.#options.emit('call.updated', tracked.snapshot);
    return tracked.snapshot;
  }

  #snapshotOf(tracked: TrackedCall): CallSnapshot {
    const { call } = tracked;
    const end = call.result;
    const media = call.mediaState ?? end?.media;
    const answeredAtMs = end?.timings.answeredAtMs ?? tracked.snapshot?.answeredAtMs;
    return {
      callId: tracked.id,
      direction: call.direction,
      remoteNumber: call.direction === 'outbound' ? call.number : call.peerOrCallerId,
      callerId: call.direction === 'outbound' ? call.peerOrCallerId : call.number,
      profileId: tracked.profile.profileId,
      state: contractState(call.state, call.held),
      startedAtMs: tracked.snapshot?.startedAtMs ?? this.#options.clock.wallNow(),
      answeredAtMs: answeredAtMs ?? (call.state === 'answered' ? this.#options.clock.wallNow() : undefined),
      muted: call.muted,
      media: { codec: media?.codec, srtpSuite: media?.srtpSuite },
      transfer: tracked.transfer,
      ...(tracked.transferDetail !== undefined ? { transferDetail: tracked.transferDetail } : {}),
      ...(end !== undefined
        ? {
            hangup: {
              code: end.hangup.code,
              causeName: end.hangup.name,
              message: [end.hangup.meaning, end.hangup.remedy].filter(Boolean).join(' '),
            },
          }
        : {}),
    };
  }

  #tracked(callId: string): TrackedCall {
    const tracked = this.#calls.get(callId);
    if (tracked === undefined) {
      throw new CallCommandError({
        code: 'not_found',
        message: `The call ${callId} has ended or never existed.`,
      });
    }
    return tracked;
  }
}

/** The UA's states, as the Phone view names them (calls.ts). */
export function contractState(state: UaCallState, held: boolean): CallState {
  switch (state) {
    case 'dialling':
      return 'dialling';
    case 'ringing':
    case 'early-media':
      return 'ringing';
    case 'incoming':
      return 'incoming';
    case 'answered':
      return held ? 'on-hold' : 'connected';
    case 'ending':
    case 'ended':
      return 'ended';
  }
}

function refusedByGuard(nextAllowedAtMs: number, nowMs: number): ConnectionTestResult {
  return {
    outcome: 'rate_limited',
    nextAllowedAtMs,
    message: `Not sent: an OPTIONS request went to this trunk less than 15 s ago, and Zentrunk may block a source that pings faster. Try again in ${Math.max(1, Math.ceil((nextAllowedAtMs - nowMs) / 1000))} s.`,
  };
}

function describeListener(ua: SoftphoneUserAgent): string {
  const local = ua.listener.local;
  return `${ua.listener.transport} ${local.address}:${local.port}`;
}

function invalid(message: string): CallCommandError {
  return new CallCommandError({ code: 'invalid_params', message });
}

/** A user agent's refusal (wrong state, bad number, no DTMF) in the contract's words. */
function toCallError(error: unknown): unknown {
  if (error instanceof CallCommandError) return error;
  if (error instanceof TrunklineError && (error.code.startsWith('UA_') || error.code.startsWith('MEDIA_'))) {
    return new CallCommandError({ code: 'invalid_params', message: error.message });
  }
  return error;
}

function guard<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    throw toCallError(error);
  }
}

async function guardAsync<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toCallError(error);
  }
}
