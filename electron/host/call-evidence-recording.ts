// One softphone call being recorded into its capture folder: the PCAP (the call's SIP, picked from the user
// agent's trace by Call-ID, and its RTP/RTCP from the call's packet tap, SRTP decrypted), the received and sent
// audio as two 8 kHz 16-bit mono WAVs, and the DTMF digits both ways. The audio's 20 ms frames are the time base:
// a DTMF marker's offset is the audio written before it, so it lands where the digit is in the waveform.
//
//   recording ──(call ended + SIP grace, or dispose)──► finished (sidecar 'complete')
//       │
//       └──(duration cap reached)──► audio and RTP stop, SIP goes on; the sidecar says where and why

import type { Clock, Disposable, TimerHandle } from '../../sip-core/src/index.js';
import {
  FilePcapSink,
  PcapRecorder,
  WavRecorderSink,
  type Call,
  type MediaPacketRecord,
  type SipRecordInput,
  type SoftphoneUserAgent,
} from '../../sip-core/src/index.js';
import type { CaptureDtmfMarker } from '../common/index.js';
import { DtmfEventSpotter } from './dtmf-event-spotter.js';
import { sipCallIdOf } from './sip-call-id.js';

/** An audio frame of the media session: 20 ms (160 samples at 8 kHz). */
export const FRAME_MS = 20;

export const CAPTURE_FILES = {
  pcap: 'call.pcapng',
  received: 'received.wav',
  sent: 'sent.wav',
  sidecar: 'evidence.json',
} as const;

export interface RecordingSummary {
  readonly durationMs: number;
  readonly dtmf: readonly CaptureDtmfMarker[];
  readonly truncated?: { readonly atMs: number; readonly reason: string };
  readonly sipCallIds: readonly string[];
  /** Problems writing the files (a full disk), in words for the log. */
  readonly problems: readonly string[];
}

export interface RecordingOptions {
  readonly folder: string;
  readonly call: Call;
  readonly ua: SoftphoneUserAgent;
  readonly clock: Clock;
  readonly maxDurationMs: number;
  /** How long after the call ends SIP is still recorded (the 200 to our BYE arrives after `ended`). */
  readonly sipGraceMs: number;
  /** SIP the user agent traced before the attach (an inbound call's INVITE), oldest first. */
  readonly earlierSip: readonly SipRecordInput[];
  readonly application: string;
  /** A DTMF digit was seen (the store persists it at once, so a crash keeps the markers). */
  readonly onDtmf: (marker: CaptureDtmfMarker) => void;
  readonly onFinished: (summary: RecordingSummary) => void;
}

export class CallEvidenceRecording implements Disposable {
  readonly #options: RecordingOptions;
  readonly #recorder: PcapRecorder;
  readonly #subscriptions: Disposable[] = [];
  readonly #spotter = new DtmfEventSpotter();
  readonly #dtmf: CaptureDtmfMarker[] = [];
  readonly #problems: string[] = [];
  readonly #maxFrames: number;
  #received: WavRecorderSink | undefined;
  #sent: WavRecorderSink | undefined;
  #mediaTap: Disposable | undefined;
  #receivedFrames = 0;
  #sentFrames = 0;
  #truncated: RecordingSummary['truncated'];
  #graceTimer: TimerHandle | undefined;
  #finishing: Promise<void> | undefined;

  constructor(options: RecordingOptions) {
    this.#options = options;
    this.#maxFrames = Math.max(1, Math.floor(options.maxDurationMs / FRAME_MS));
    const { call, ua, folder } = options;
    this.#recorder = new PcapRecorder(new FilePcapSink(`${folder}/${CAPTURE_FILES.pcap}`), {
      application: options.application,
    });
    const callId = call.sipCallId;
    for (const record of options.earlierSip) {
      if (sipCallIdOf(record.bytes) === callId) this.#recorder.writeSip(record);
    }
    this.#subscriptions.push(
      ua.trace.subscribe((record) => {
        if (record.kind === 'message' && sipCallIdOf(record.bytes) === callId)
          this.#recorder.writeSip(record);
      }),
    );
    this.#mediaTap = call.tapPackets((record) => this.#onPacket(record));
    this.#subscriptions.push(
      call.on('ended', () => {
        this.#graceTimer = options.clock.setTimeout(() => void this.finish(), options.sipGraceMs, {
          unref: true,
        });
      }),
    );
    // Both files are opened together so that their frames stay aligned: a frame either reaches both or neither.
    void Promise.all([
      WavRecorderSink.create(`${folder}/${CAPTURE_FILES.received}`, 'received'),
      WavRecorderSink.create(`${folder}/${CAPTURE_FILES.sent}`, 'sent'),
    ]).then(
      ([received, sent]) => {
        if (this.#finishing !== undefined) {
          void received.close().catch(() => undefined);
          void sent.close().catch(() => undefined);
          return;
        }
        this.#received = received;
        this.#sent = sent;
        this.#subscriptions.push(
          call.addSink({
            onReceived: (frame) => this.#onFrame('received', frame),
            onSent: (frame) => this.#onFrame('sent', frame),
          }),
        );
      },
      (error: unknown) => this.#problems.push(`the audio files could not be created: ${String(error)}`),
    );
  }

  get finished(): boolean {
    return this.#finishing !== undefined;
  }

  /** Stops recording and finishes every file (idempotent). */
  finish(): Promise<void> {
    this.#finishing ??= this.#finish();
    return this.#finishing;
  }

  dispose(): void {
    void this.finish();
  }

  async #finish(): Promise<void> {
    this.#options.clock.clearTimeout(this.#graceTimer);
    this.#mediaTap?.dispose();
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    const closing: Promise<void>[] = [this.#recorder.close()];
    for (const sink of [this.#received, this.#sent]) if (sink !== undefined) closing.push(sink.close());
    for (const result of await Promise.allSettled(closing)) {
      if (result.status === 'rejected') this.#problems.push(String(result.reason));
    }
    this.#options.onFinished({
      durationMs: Math.min(this.#receivedFrames, this.#sentFrames) * FRAME_MS,
      dtmf: this.#dtmf,
      ...(this.#truncated !== undefined ? { truncated: this.#truncated } : {}),
      sipCallIds: [this.#options.call.sipCallId],
      problems: this.#problems,
    });
  }

  #onFrame(direction: 'received' | 'sent', frame: Int16Array): void {
    if (this.#truncated !== undefined || this.#finishing !== undefined) return;
    const written = direction === 'received' ? this.#receivedFrames : this.#sentFrames;
    if (written >= this.#maxFrames) {
      this.#truncate();
      return;
    }
    if (direction === 'received') {
      this.#receivedFrames++;
      this.#received?.onReceived?.(frame);
    } else {
      this.#sentFrames++;
      this.#sent?.onSent?.(frame);
    }
  }

  #truncate(): void {
    const atMs = this.#maxFrames * FRAME_MS;
    this.#truncated = {
      atMs,
      reason: `recording stopped at the ${Math.round(atMs / 60_000)} min per-call limit; the SIP of the call goes on being recorded`,
    };
    // RTP stops with the audio (it is what makes a capture large); SIP, a few messages, stays complete.
    this.#mediaTap?.dispose();
    this.#mediaTap = undefined;
  }

  #onPacket(record: MediaPacketRecord): void {
    if (this.#truncated !== undefined) return;
    this.#recorder.writeMedia(record);
    if (record.kind !== 'rtp') return;
    const payloadType = this.#options.call.media?.negotiated?.telephoneEvent?.payloadType;
    const start = this.#spotter.push(record.direction, record.bytes, payloadType);
    if (start === undefined) return;
    const frames = start.direction === 'received' ? this.#receivedFrames : this.#sentFrames;
    const marker: CaptureDtmfMarker = { ...start, offsetMs: frames * FRAME_MS };
    this.#dtmf.push(marker);
    this.#options.onDtmf(marker);
  }
}
