import { describe, expect, it, vi } from 'vitest';
import { LatencyTap, type HostLatencyStage } from '../../host/latency-tap.js';
import type { MediaPacketRecord } from '../../../sip-core/src/index.js';

// bench:app's host tap (ADR 0149): one moment per click and stage, from loud PCM frames and loud G.711 packets;
// quiet audio, telephone-events and RTCP never count. Time comes from performance.now(), faked here.

const ADDRESS = { address: '127.0.0.1', port: 4000 };

/** An RTP packet (RFC 3550 §5.1, no CSRC, no extension) of `payloadType` carrying `payload`. */
function rtp(payloadType: number, payload: number[]): Uint8Array {
  return Uint8Array.from([0x80, payloadType, 0, 1, 0, 0, 0, 160, 0, 0, 0, 7, ...payload]);
}

function record(
  direction: 'sent' | 'received',
  bytes: Uint8Array,
  kind: 'rtp' | 'rtcp' = 'rtp',
): MediaPacketRecord {
  return {
    kind,
    direction,
    wallTimeMs: 0,
    monotonicTimeMs: 0,
    local: ADDRESS,
    remote: ADDRESS,
    bytes,
    srtp: false,
  };
}

// µ-law 0x80 and A-law 0xaa are near full scale (+32124 and +32256); 0xff (µ-law) and 0xd5 (A-law) are silence.
const LOUD_PCMU = rtp(0, [0xff, 0x80, 0xff]);
const QUIET_PCMU = rtp(0, [0xff, 0xff, 0xff]);
const LOUD_PCMA = rtp(8, [0xd5, 0xaa]);
const LOUD_EVENT = rtp(101, [0x80, 0x80, 0x80, 0x80]);

function tapAt(times: number[]): { tap: LatencyTap; moments: [HostLatencyStage, number][] } {
  const moments: [HostLatencyStage, number][] = [];
  const now = vi.spyOn(performance, 'now');
  for (const t of times) now.mockReturnValueOnce(t);
  return {
    tap: new LatencyTap((stage, epochMs) => moments.push([stage, epochMs - performance.timeOrigin])),
    moments,
  };
}

describe('LatencyTap', () => {
  it.each<[string, (tap: LatencyTap) => void, HostLatencyStage | undefined]>([
    ['a loud microphone frame', (t) => t.onMicrophone(Int16Array.from([0, 20_000])), 'host-mic-in'],
    ['a quiet microphone frame', (t) => t.onMicrophone(Int16Array.from([0, 9_000])), undefined],
    ['a loud frame to the page', (t) => t.onPlayout(Int16Array.from([-20_000])), 'host-playout'],
    [
      'a loud PCMU packet the softphone sends',
      (t) => t.onCallPacket(record('sent', LOUD_PCMU)),
      'host-rtp-sent',
    ],
    [
      'a loud PCMA packet the softphone receives',
      (t) => t.onCallPacket(record('received', LOUD_PCMA)),
      'host-rtp-in',
    ],
    ['a quiet PCMU packet', (t) => t.onCallPacket(record('sent', QUIET_PCMU)), undefined],
    ['a telephone-event', (t) => t.onCallPacket(record('sent', LOUD_EVENT)), undefined],
    ['RTCP', (t) => t.onEmulatorPacket(record('received', LOUD_PCMU, 'rtcp')), undefined],
    ['a malformed packet', (t) => t.onCallPacket(record('sent', Uint8Array.from([1, 2, 3]))), undefined],
    [
      'a loud packet the emulator receives',
      (t) => t.onEmulatorPacket(record('received', LOUD_PCMU)),
      'emulator-rtp-in',
    ],
    [
      'a loud packet the emulator echoes',
      (t) => t.onEmulatorPacket(record('sent', LOUD_PCMU)),
      'emulator-echo-sent',
    ],
  ])('%s', (_name, feed, stage) => {
    const { tap, moments } = tapAt([1000]);
    feed(tap);
    expect(moments.map(([s]) => s)).toEqual(stage === undefined ? [] : [stage]);
    vi.restoreAllMocks();
  });

  it('notes each click once per stage: onsets within 500 ms are the same click', () => {
    const { tap, moments } = tapAt([1000, 1020, 1499, 1600]);
    for (let i = 0; i < 4; i++) tap.onPlayout(Int16Array.from([30_000]));
    expect(moments).toEqual([
      ['host-playout', 1000],
      ['host-playout', 1600],
    ]);
    vi.restoreAllMocks();
  });

  it("reports the call's microphone queue with each click at the host's door", () => {
    const queues: unknown[] = [];
    const stats = { pushed: 50, played: 49, underruns: 0, overruns: 0, trimmed: 1, queued: 1 };
    const tap = new LatencyTap(
      () => undefined,
      (s) => queues.push(s),
    );
    tap.onMicrophone(Int16Array.from([30_000]), () => stats);
    tap.onMicrophone(Int16Array.from([30_000]), () => stats);
    expect(queues).toEqual([stats]);
  });
});
