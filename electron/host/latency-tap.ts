// bench:app's per-stage view of the mouth-to-ear path (ADR 0149). The benchmark's fake microphone plays one loud
// click a second; this tap notes, at each stage the host can see, the moment the click's onset passes:
//
//   page ──WebSocket──► host-mic-in ─► (mic queue, tick) ─► host-rtp-sent ─► emulator-rtp-in ─► (far end)
//        ◄─WebSocket── host-playout ◄─ (jitter buffer, tick) ◄─ host-rtp-in ◄─ emulator-echo-sent ◄─┘
//
// Each moment is milliseconds since the Unix epoch at sub-millisecond resolution (`performance.timeOrigin +
// performance.now()`), the same scale the page uses, so the benchmark can lay the page's and the host's moments on
// one line. It is off unless a shell turns it on (browser mode: TRUNKLINE_LATENCY_TAP=1), and then it costs one
// peak scan per frame and per packet; nothing on the media path knows about it.

import {
  decodeAlawSample,
  decodeMulawSample,
  parseRtpPacket,
  type MediaPacketRecord,
  type PcmPushSourceStats,
} from '../../sip-core/src/index.js';

/** The environment variable that turns the tap on in browser mode. */
export const LATENCY_TAP_ENV = 'TRUNKLINE_LATENCY_TAP';

export type HostLatencyStage =
  'host-mic-in' | 'host-rtp-sent' | 'emulator-rtp-in' | 'emulator-echo-sent' | 'host-rtp-in' | 'host-playout';

/** A sample louder than this (of Int16 full scale) is an onset: the page's threshold (renderer/src/audio/latency-click.ts). */
const ONSET_THRESHOLD = Math.round(0.3 * 32767);
/** Onsets closer than this are one click (the benchmark plays one a second). */
const HOLD_OFF_MS = 500;
/** RTP payload types of the static G.711 codecs (RFC 3551 §6). */
const PCMU = 0;
const PCMA = 8;

function epochNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** Whether a frame or payload holds a loud sample; `decode` maps a code to a linear sample (identity for PCM). */
function isLoud(samples: ArrayLike<number>, decode?: (code: number) => number): boolean {
  for (let i = 0; i < samples.length; i++) {
    const value = decode === undefined ? samples[i] : decode(samples[i]);
    if (Math.abs(value) >= ONSET_THRESHOLD) return true;
  }
  return false;
}

/** The linear loudness test of a G.711 RTP packet; false for anything else (telephone-events, RTCP). */
function isLoudRtp(bytes: Uint8Array): boolean {
  const parsed = parseRtpPacket(bytes);
  if (!parsed.ok) return false;
  const { payloadType, payload } = parsed.packet;
  if (payloadType === PCMU) return isLoud(payload, decodeMulawSample);
  if (payloadType === PCMA) return isLoud(payload, decodeAlawSample);
  return false;
}

export class LatencyTap {
  readonly #report: (stage: HostLatencyStage, epochMs: number) => void;
  readonly #reportMicQueue: ((stats: PcmPushSourceStats) => void) | undefined;
  readonly #lastOnsetMs = new Map<HostLatencyStage, number>();

  /**
   * `report` hears each stage's onset (browser mode writes `latency-tap STAGE MS` to the host log);
   * `reportMicQueue` the call's microphone queue counters at each click (`latency-queue mic {json}`).
   */
  constructor(
    report: (stage: HostLatencyStage, epochMs: number) => void,
    reportMicQueue?: (stats: PcmPushSourceStats) => void,
  ) {
    this.#report = report;
    this.#reportMicQueue = reportMicQueue;
  }

  /** A microphone frame as it reaches the host; `queueStats` reads its call's microphone queue. */
  readonly onMicrophone = (samples: Int16Array, queueStats?: () => PcmPushSourceStats | undefined): void => {
    if (!isLoud(samples) || !this.#onset('host-mic-in')) return;
    const stats = queueStats?.();
    if (stats !== undefined) this.#reportMicQueue?.(stats);
  };

  /** A received frame as the host sends it to the page. */
  readonly onPlayout = (samples: Int16Array): void => {
    if (isLoud(samples)) this.#onset('host-playout');
  };

  /** The softphone call's packets (`Call.tapPackets`). */
  readonly onCallPacket = (record: MediaPacketRecord): void => {
    if (record.kind !== 'rtp' || !isLoudRtp(record.bytes)) return;
    this.#onset(record.direction === 'sent' ? 'host-rtp-sent' : 'host-rtp-in');
  };

  /** The embedded emulator's far-end packets (`Emulator.tapPackets`). */
  readonly onEmulatorPacket = (record: MediaPacketRecord): void => {
    if (record.kind !== 'rtp' || !isLoudRtp(record.bytes)) return;
    this.#onset(record.direction === 'received' ? 'emulator-rtp-in' : 'emulator-echo-sent');
  };

  /** Reports the onset of a click at `stage`; false when it is the same click as the last (hold-off). */
  #onset(stage: HostLatencyStage): boolean {
    const nowMs = epochNowMs();
    const last = this.#lastOnsetMs.get(stage);
    if (last !== undefined && nowMs - last < HOLD_OFF_MS) return false;
    this.#lastOnsetMs.set(stage, nowMs);
    this.#report(stage, nowMs);
    return true;
  }
}
