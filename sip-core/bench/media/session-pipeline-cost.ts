import { ManualClock } from '../../src/common/manual-clock.js';
import { TypedEmitter } from '../../src/common/typed-emitter.js';
import { encodeMulaw } from '../../src/media/codec/g711.js';
import { serializeRtpPacket } from '../../src/media/rtp/rtp-packet.js';
import type { RtpRemote, RtpTransport, RtpTransportEvents } from '../../src/media/rtp/rtp-transport.js';
import { EchoSource } from '../../src/media/session/echo-source.js';
import { FrameScheduler } from '../../src/media/session/frame-scheduler.js';
import { MediaSession } from '../../src/media/session/media-session.js';
import { SrtpMasterKey } from '../../src/media/srtp/srtp-master-key.js';
import { SrtpSession } from '../../src/media/srtp/srtp-session.js';
import { ToneGenerator } from '../../src/media/tone/tone-generator.js';
import { WindowProfiler } from './window-profiler.js';
import { ECHO_SRTP_PROFILE, echoNegotiatedMedia } from './echo-negotiated-media.js';

// The CPU cost of our own per-packet code in an SRTP echo session, without sockets or an event loop: N MediaSessions
// (AES_CM_128_HMAC_SHA1_80, PCMU, EchoSource) on one ManualClock and one FrameScheduler, each fed one SRTP packet per
// 20 ms frame through an in-memory transport that only counts what the session sends. The far ends' packets are
// protected before the measurement, so the figure is the session's work alone: receive (authenticate, replay check,
// decrypt, RTP parse and statistics, G.711 decode; no jitter buffer, since nothing plays an echo's audio, ADR 0155),
// the 20 ms tick (pacing, echo, encode, RTP header) and protect. It is CPU time (process.cpuUsage), so other jobs on
// the machine move it little; the session-capacity part adds the sockets and the event loop.
//
// `npx tsx sip-core/bench/media/session-pipeline-cost.ts [sessions] [seconds] [rounds]`; BENCH_PROFILE_DIR=dir writes
// a CPU and an allocation profile of the measured loop (the last round's).

const PROFILE = ECHO_SRTP_PROFILE;
const FRAME_MS = 20;
const REMOTE = { address: '127.0.0.1', port: 40_000 };

/** The transport under the session: datagrams are injected by the bench, and what the session sends is counted. */
class CountingTransport extends TypedEmitter<RtpTransportEvents> implements RtpTransport {
  remote: RtpRemote | undefined = { rtp: REMOTE, rtcp: REMOTE };
  sentRtp = 0;
  firstSent: Buffer | undefined;
  lastSent: Uint8Array | undefined;
  setRemote(remote: RtpRemote | undefined): void {
    this.remote = remote;
  }
  sendRtp(packet: Uint8Array): void {
    this.sentRtp++;
    this.firstSent ??= Buffer.from(packet);
    this.lastSent = packet;
  }
  sendRtcp(): void {}
  dispose(): void {
    this.removeAllListeners();
  }
}

interface Lane {
  readonly session: MediaSession;
  readonly transport: CountingTransport;
  readonly packets: Buffer[];
  readonly verifier: SrtpSession;
}

export interface PipelineCost {
  readonly sessions: number;
  readonly frames: number;
  /** CPU µs per session per second of audio (50 frames each way). */
  readonly cpuMicrosPerSessionSecond: number;
  readonly sent: number;
  readonly echoesAuthenticated: boolean;
}

export async function measurePipelineCost(sessions: number, seconds: number): Promise<PipelineCost> {
  const clock = new ManualClock({ startMs: 1000 });
  const scheduler = new FrameScheduler(clock);
  const frames = Math.round((seconds * 1000) / FRAME_MS);
  const payload = encodeMulaw(
    new ToneGenerator({ tones: [{ frequencyHz: 1000, levelDbfs: -12 }] }).next(160),
  );
  const lanes: Lane[] = [];
  for (let s = 0; s < sessions; s++) {
    const transport = new CountingTransport();
    const session = new MediaSession({ clock, transport, statsIntervalMs: 0, scheduler });
    session.setSource(new EchoSource());
    const sendKey = SrtpMasterKey.generate(PROFILE);
    const receiveKey = SrtpMasterKey.generate(PROFILE);
    const farEnd = new SrtpSession({ profile: PROFILE, masterKey: receiveKey });
    const ssrc = (0x1000_0000 + s) >>> 0;
    const packets: Buffer[] = [];
    for (let f = 0; f < frames; f++) {
      const rtp = serializeRtpPacket({
        marker: f === 0,
        payloadType: 0,
        sequenceNumber: (65_000 + f) & 0xffff,
        timestamp: (f * 160) >>> 0,
        ssrc,
        csrcs: [],
        payload,
        paddingBytes: 0,
      });
      packets.push(farEnd.protectRtp(rtp));
    }
    const negotiated = echoNegotiatedMedia(REMOTE, { sendKey, receiveKey });
    session.start(negotiated);
    lanes.push({
      session,
      transport,
      packets,
      verifier: new SrtpSession({ profile: PROFILE, masterKey: sendKey }),
    });
  }
  // BENCH_PROFILE_DIR: a CPU and an allocation profile of the measured loop only (not of the far ends' protect).
  const profiler = new WindowProfiler({
    profileDir: process.env.BENCH_PROFILE_DIR,
    label: `pipeline-${sessions}`,
  });
  await profiler.start();
  const start = process.cpuUsage();
  for (let f = 0; f < frames; f++) {
    const arrivalMs = clock.now();
    for (let s = 0; s < lanes.length; s++) {
      const lane = lanes[s];
      lane.transport.emit('rtp', lane.packets[f], REMOTE, arrivalMs);
    }
    clock.advance(FRAME_MS);
  }
  const cpu = process.cpuUsage(start);
  await profiler.stop();
  let sent = 0;
  let echoesAuthenticated = true;
  for (const lane of lanes) {
    sent += lane.transport.sentRtp;
    const last = lane.transport.lastSent;
    // The first echo gives the verifier the stream's starting sequence number, so that it follows a rollover of
    // the sequence number to the last one.
    const first = lane.transport.firstSent;
    if (first === undefined || last === undefined) echoesAuthenticated = false;
    else if (!lane.verifier.unprotectRtp(first).ok || !lane.verifier.unprotectRtp(Buffer.from(last)).ok) {
      echoesAuthenticated = false;
    }
    await lane.session.close();
  }

  const cpuMicros = cpu.user + cpu.system;
  return {
    sessions,
    frames,
    cpuMicrosPerSessionSecond: cpuMicros / sessions / (frames * (FRAME_MS / 1000)),
    sent,
    echoesAuthenticated,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sessions = Number(process.argv[2] ?? 100);
  const seconds = Number(process.argv[3] ?? 10);
  const rounds = Number(process.argv[4] ?? 5);
  const costs: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const cost = await measurePipelineCost(sessions, seconds);
    costs.push(cost.cpuMicrosPerSessionSecond);
    console.log(
      `${cost.sessions} sessions × ${cost.frames} frames: ${cost.cpuMicrosPerSessionSecond.toFixed(0)} µs CPU ` +
        `per session-second; ${cost.sent} sent; echoes authenticate: ${cost.echoesAuthenticated}`,
    );
  }
  costs.sort((x, y) => x - y);
  // The first round also pays for compiling the hot paths; the lowest and the median of all rounds are reported.
  console.log(
    `lowest ${costs[0].toFixed(0)} µs, median ${costs[Math.floor(costs.length / 2)].toFixed(0)} µs CPU per session-second`,
  );
}
