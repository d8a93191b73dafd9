// The plumbing every call check shares: place (or take) one call with a tone as our audio and a detector on what
// we hear, record its SIP as the check's ladder, keep a short stretch of the received audio for the report's
// waveform, and always end the call — also when the check is aborted or times out. A check keeps only its
// decisions; this module keeps the sockets, the waiting and the clean-up.
//
//   ProbeCall.dial(context, { number, toneHz }) ─► answered / ended ─► checks measure ─► finish() ─► CallEnd
//                                                                                     └─► recordSip(ladder)

import type { Clock, TimerHandle } from '../../common/clock.js';
import type { Disposable } from '../../common/disposable.js';
import type { SipTraceRecord } from '../../sip/trace/index.js';
import {
  SilenceSource,
  ToneDetectorSink,
  ToneSource,
  type AudioSink,
  type AudioSource,
} from '../../media/session/index.js';
import type { ToneAnalysis } from '../../media/tone/tone-analysis.js';
import type { Call, CallEnd, SoftphoneUserAgent } from '../../ua/index.js';
import { abortableDelay } from '../runner/abortable-delay.js';
import type {
  CheckContext,
  CheckDefinition,
  CheckOutcome,
  SipEvidenceMessage,
  WaveformEvidence,
} from '../runner/check-definition.js';
import { evidenceOf } from '../network/sip-probe.js';
import type { CallCheckEnvironment, CallCheckServices, CallPacer } from './call-check-services.js';

export type CallCheckContext = CheckContext<CallCheckServices>;

/** The tone we send: 440 Hz, clear of the far end's 1004 Hz test tone and of every DTMF frequency. */
export const PROBE_TONE_HZ = 440;
/** How long a call may ring before a check gives up on it (the runner's timeout is the hard bound). */
export const ANSWER_TIMEOUT_MS = 30_000;
/** How long a tone must have been flowing before its detection is judged. */
export const TONE_SETTLE_MS = 1_500;
/** How long a detection may take at most once audio flows. */
export const TONE_DETECT_TIMEOUT_MS = 5_000;
const POLL_MS = 50;
const WAVEFORM_SAMPLES = 4_000;
const END_TIMEOUT_MS = 8_000;

/** What a call check's body gets once the run has a call environment (and a number, unless it needs none). */
export type CallCheckBody = (
  context: CallCheckContext,
  env: CallCheckEnvironment,
  number: string,
) => Promise<CheckOutcome>;

/**
 * A call check: `safe`, after `outbound-call`, 60 s, unless told otherwise; its body runs only when calls apply
 * to the run (a profile or the emulator, and a test number when `needsTestNumber`), else it is skipped saying why.
 */
export function callCheck(
  spec: Pick<CheckDefinition<CallCheckServices>, 'id' | 'title' | 'description'> &
    Partial<Pick<CheckDefinition<CallCheckServices>, 'dependsOn' | 'safety' | 'timeoutMs'>> & {
      readonly needsTestNumber?: boolean;
      readonly body: CallCheckBody;
    },
): CheckDefinition<CallCheckServices> {
  const { body, needsTestNumber, ...definition } = spec;
  return {
    dependsOn: ['outbound-call'],
    safety: 'safe',
    timeoutMs: 60_000,
    ...definition,
    async run(context) {
      const found = callEnvironment(context, { testNumber: needsTestNumber !== false });
      if ('skipped' in found) return found.skipped;
      return body(context, found.env, found.number);
    },
  };
}

/** The call environment, or the outcome that says why call checks do not apply to this run. */
export function callEnvironment(
  context: CallCheckContext,
  needs: { readonly testNumber?: boolean } = { testNumber: true },
): { readonly env: CallCheckEnvironment; readonly number: string } | { readonly skipped: CheckOutcome } {
  const env = context.services.calls;
  if (env === undefined) {
    return {
      skipped: {
        status: 'skipped',
        summary: 'No call was placed: call checks need a trunk profile (--profile FILE) or --emulator.',
      },
    };
  }
  const number = context.target.testNumber;
  if (needs.testNumber !== false && number === undefined) {
    return {
      skipped: {
        status: 'skipped',
        summary: 'No call was placed: give the number to dial with --test-number (an echo service is best).',
      },
    };
  }
  return { env, number: number ?? '' };
}

/** Keeps the first `capacity` samples of received audio (not concealment), for the report's waveform. */
export class WaveformCapture implements AudioSink {
  readonly #samples: Int16Array;
  #length = 0;

  constructor(capacity = WAVEFORM_SAMPLES) {
    this.#samples = new Int16Array(capacity);
  }

  onReceived(frame: Int16Array, kind: string): void {
    if (kind !== 'audio' || this.#length >= this.#samples.length) return;
    const take = Math.min(frame.length, this.#samples.length - this.#length);
    this.#samples.set(frame.subarray(0, take), this.#length);
    this.#length += take;
  }

  evidence(label: string): WaveformEvidence {
    return { label, sampleRateHz: 8_000, samples: Array.from(this.#samples.subarray(0, this.#length)) };
  }
}

/** Collects the phone's SIP while a check runs (checks run one at a time, so it is that check's traffic). */
export class SipRecorder implements Disposable {
  readonly messages: SipEvidenceMessage[] = [];
  readonly #subscription: Disposable;

  constructor(phone: SoftphoneUserAgent) {
    this.#subscription = phone.trace.subscribe((record: SipTraceRecord) => {
      if (record.kind === 'message') this.messages.push(evidenceOf(record));
    });
  }

  /** The SDP bodies of received responses, newest last (hold checks read `a=recvonly` from them). */
  receivedResponseBodies(): string[] {
    return this.messages
      .filter((m) => m.localEnd === 'destination' && m.text.startsWith('SIP/2.0 2'))
      .map((m) => m.text.slice(m.text.indexOf('\r\n\r\n') + 4));
  }

  dispose(): void {
    this.#subscription.dispose();
  }
}

export interface ProbeCallOptions {
  readonly number: string;
  /** The tone we send; 0 sends silence. Default PROBE_TONE_HZ. */
  readonly toneHz?: number;
  /** Label of the ladder in the report. */
  readonly label: string;
}

/** One call a check drives, with its audio taps, and its ladder recorded when it is finished. */
export class ProbeCall {
  readonly call: Call;
  readonly detector: ToneDetectorSink;
  readonly capture: WaveformCapture;
  readonly #context: CallCheckContext;
  readonly #sip: SipRecorder;
  readonly #label: string;
  readonly #pacer: CallPacer | undefined;
  #finished: Promise<CallEnd> | undefined;

  private constructor(
    context: CallCheckContext,
    call: Call,
    sip: SipRecorder,
    label: string,
    taps: { readonly detector: ToneDetectorSink; readonly capture: WaveformCapture },
    pacer?: CallPacer,
  ) {
    this.#pacer = pacer;
    this.#context = context;
    this.call = call;
    this.#sip = sip;
    this.#label = label;
    this.detector = taps.detector;
    this.capture = taps.capture;
    // An aborted check (timeout, Ctrl-C) must not leave a call up on the trunk.
    context.signal.addEventListener('abort', () => void this.finish().catch(() => undefined), {
      once: true,
    });
  }

  /** Waits for the call pacer, then dials `number` with our tone and the taps attached. */
  static async dial(
    context: CallCheckContext,
    env: CallCheckEnvironment,
    options: ProbeCallOptions,
  ): Promise<ProbeCall> {
    const phone = await env.phone();
    await env.pacer.next(context.signal);
    const sip = new SipRecorder(phone);
    const detector = new ToneDetectorSink({ windowMs: 1_000 });
    const capture = new WaveformCapture();
    let call: Call;
    try {
      call = phone.call(options.number, {
        source: sourceFor(options.toneHz),
        sinks: [detector, capture],
      });
    } catch (error) {
      sip.dispose();
      throw error;
    }
    return new ProbeCall(context, call, sip, options.label, { detector, capture }, env.pacer);
  }

  /** Takes an incoming call: answers it with our tone and the taps attached. */
  static async accept(
    context: CallCheckContext,
    call: Call,
    sip: SipRecorder,
    options: { readonly label: string; readonly toneHz?: number },
  ): Promise<ProbeCall> {
    const detector = new ToneDetectorSink({ windowMs: 1_000 });
    const capture = new WaveformCapture();
    const probe = new ProbeCall(context, call, sip, options.label, { detector, capture });
    await call.accept({ source: sourceFor(options.toneHz), sinks: [detector, capture] });
    return probe;
  }

  get sip(): SipRecorder {
    return this.#sip;
  }

  /** Resolves true once answered, false when the call ended first (rejected, cancelled) or never answered. */
  async answered(timeoutMs = ANSWER_TIMEOUT_MS): Promise<boolean> {
    const ok = await this.waitFor(
      () => this.call.state === 'answered' || this.call.state === 'ended' || this.call.state === 'ending',
      timeoutMs,
    );
    if (ok) this.#pacer?.settled();
    return ok && this.call.state === 'answered';
  }

  /** Waits for the answer; when there is none, ends the call (ladder recorded) and throws saying why. */
  async requireAnswer(): Promise<void> {
    if (await this.answered()) return;
    const end = await this.finish();
    const status = end.hangup.sipStatus;
    throw new Error(
      `The call was not answered (${status !== undefined ? `${status} ${end.hangup.sipReason ?? ''}`.trim() : 'no final response'}).`,
    );
  }

  /** Polls `condition` on the check's clock until it holds (true) or `timeoutMs` passes (false). */
  async waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    const clock = this.#context.clock;
    const deadline = clock.now() + timeoutMs;
    for (;;) {
      if (condition()) return true;
      if (clock.now() >= deadline) return false;
      await abortableDelay(clock, POLL_MS, this.#context.signal);
    }
  }

  /** Waits `delayMs` on the check's clock (aborts with the check). */
  pause(delayMs: number): Promise<void> {
    return abortableDelay(this.#context.clock, delayMs, this.#context.signal);
  }

  /**
   * Lets the tone flow for TONE_SETTLE_MS, then measures `frequencyHz` in the last second of what we heard until
   * it is present or TONE_DETECT_TIMEOUT_MS passes. Returns the last measurement (undefined: no audio at all).
   */
  async detectTone(frequencyHz: number, detector = this.detector): Promise<ToneAnalysis | undefined> {
    await this.pause(TONE_SETTLE_MS);
    let last: ToneAnalysis | undefined;
    await this.waitFor(() => {
      last = detector.analyze(frequencyHz) ?? last;
      return last?.present === true;
    }, TONE_DETECT_TIMEOUT_MS);
    return last;
  }

  /** Ends the call (CANCEL before the answer, BYE after), waits for its end and records its ladder. Idempotent. */
  finish(): Promise<CallEnd> {
    this.#finished ??= this.#finish();
    return this.#finished;
  }

  async #finish(): Promise<CallEnd> {
    const call = this.call;
    try {
      if (call.state === 'answered') await call.hangup();
      else if (call.state !== 'ended' && call.state !== 'ending') await call.cancel();
    } catch {
      // Already ending by the far end's BYE or a final response: the end below says how.
    }
    const end = await withinMs(this.#context.clock, call.ended, END_TIMEOUT_MS);
    this.recordLadder();
    if (end === undefined) throw new Error('The call did not end within 8 s of our BYE or CANCEL.');
    return end;
  }

  /** Hands the SIP seen so far to the check's evidence (once). */
  recordLadder(): void {
    if (this.#sip.messages.length === 0) return;
    this.#context.recordSip({ label: this.#label, messages: [...this.#sip.messages] });
    this.#sip.messages.length = 0;
    this.#sip.dispose();
  }
}

/**
 * `promise`'s value, or undefined when `timeoutMs` passes first. The timer is cleared either way: a pending timer
 * would keep `trunkline check` alive after its last check.
 */
export async function withinMs<T>(
  clock: Clock,
  promise: Promise<T>,
  timeoutMs: number,
): Promise<T | undefined> {
  let timer: TimerHandle | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<undefined>((resolve) => (timer = clock.setTimeout(() => resolve(undefined), timeoutMs))),
    ]);
  } finally {
    clock.clearTimeout(timer);
  }
}

function sourceFor(toneHz = PROBE_TONE_HZ): AudioSource {
  return toneHz === 0 ? new SilenceSource() : ToneSource.sine(toneHz);
}

/** Tone analysis as measurements (`<prefix>LevelDbfs`, `<prefix>SnrDb`, `<prefix>Detected`). */
export function toneMeasurements(
  prefix: string,
  analysis: ToneAnalysis | undefined,
): { name: string; value: number | boolean; unit?: string }[] {
  return [
    { name: `${prefix}Detected`, value: analysis?.present === true },
    ...(analysis !== undefined
      ? [
          { name: `${prefix}LevelDbfs`, value: round1(analysis.levelDbfs), unit: 'dBFS' },
          { name: `${prefix}SnrDb`, value: round1(analysis.snrDb), unit: 'dB' },
        ]
      : []),
  ];
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
