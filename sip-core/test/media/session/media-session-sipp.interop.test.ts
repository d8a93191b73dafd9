import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import { decodeAlaw } from '../../../src/media/codec/g711.js';
import { FRAME_SAMPLES } from '../../../src/media/codec/pcm-frame.js';
import type { DtmfDigitEnd, DtmfReceiverEvent } from '../../../src/media/dtmf/dtmf-receiver.js';
import type { JitterBufferFrameKind } from '../../../src/media/jitter/jitter-buffer.js';
import { SdpNegotiator } from '../../../src/media/offer-answer/sdp-negotiator.js';
import { MediaSession } from '../../../src/media/session/media-session.js';
import { PcmFrameSink } from '../../../src/media/session/pcm-frame-sink.js';
import { freeUdpPort } from '../../support/free-port.js';
import { requirePeer } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { SipAnswerer } from '../../support/sip-signalling-harness.js';
import { useTeardown } from '../../support/teardown.js';
import { tsharkFields } from '../../support/tshark-capture.js';

// The SIPp acceptance: SIPp 3.6.1 runs `uac_pcap.xml` (copied into test/fixtures/sipp) against a MediaSession
// answered by the signalling harness. SIPp replays Debian's g711a.pcap (A-law, 30 ms packets) and then an RFC 2833
// digit '1'. The audio our session plays out must be the pcap's audio — its payload read by tshark and decoded with
// our A-law decoder — sample for sample, whatever delay the jitter buffer added; and the digit must be reported with
// the duration its end packets carry (2240 samples, 280 ms). `play_pcap_audio` needs root (CI runs as root).

const hasSipp = requirePeer('sipp') && requirePeer('tshark');
const SCENARIO = join(dirname(fileURLToPath(import.meta.url)), '../../fixtures/sipp/uac_pcap.xml');
const AUDIO_PCAP = '/usr/share/sip-tester/g711a.pcap';

const peers = new PeerProcesses();
const teardown = useTeardown(peers);

/** The pcap's audio: every RTP payload in order, decoded with our A-law decoder. */
async function expectedAudio(): Promise<Int16Array> {
  const rows = await tsharkFields(peers, AUDIO_PCAP, {
    decodeAs: ['udp.port==2006,rtp'],
    fields: ['rtp.seq', 'rtp.payload'],
  });
  const payloads = rows
    .map(([seq = '', hex = '']) => ({ seq: Number(seq), bytes: Buffer.from(hex.replaceAll(':', ''), 'hex') }))
    .sort((a, b) => a.seq - b.seq);
  expect(payloads.length).toBe(236);
  return decodeAlaw(Buffer.concat(payloads.map((p) => p.bytes)));
}

/**
 * A finder for where a 160-sample frame occurs in `signal` after a given offset (indexed by its first samples).
 * Silent stretches repeat, so the first occurrence after the previous frame's is the one that counts.
 */
function frameIndex(signal: Int16Array): (frame: Int16Array, after: number) => number | undefined {
  const byPrefix = new Map<string, number[]>();
  for (let offset = 0; offset + FRAME_SAMPLES <= signal.length; offset++) {
    const key = signal.subarray(offset, offset + 8).join(',');
    const list = byPrefix.get(key) ?? [];
    list.push(offset);
    byPrefix.set(key, list);
  }
  const at = (frame: Int16Array, offset: number): boolean =>
    frame.every((sample, i) => sample === signal[offset + i]);
  return (frame, after) => {
    // Silent stretches match anywhere inside themselves: the frame right after the previous one comes first.
    if (after >= 0 && at(frame, after + FRAME_SAMPLES)) return after + FRAME_SAMPLES;
    for (const offset of byPrefix.get(frame.subarray(0, 8).join(',')) ?? []) {
      if (offset > after && at(frame, offset)) return offset;
    }
    return undefined;
  };
}

describe.skipIf(!hasSipp)(
  'MediaSession answering SIPp 3.6.1 uac_pcap.xml (g711a.pcap + RFC 2833 digit)',
  () => {
    it('plays out exactly the pcap audio, and reports digit 1 with its duration', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'trunkline-sipp-media-'));
      teardown(() => rmSync(dir, { recursive: true, force: true }));
      const session = await MediaSession.open({
        clock: systemClock,
        portRange: { minPort: 40_000, maxPort: 44_999 },
      });
      teardown(() => session.close());
      const played: Array<{ frame: Int16Array; kind: JitterBufferFrameKind | 'sent' }> = [];
      session.addSink(
        new PcmFrameSink((frame, kind) => played.push({ frame: Int16Array.from(frame), kind })),
      );
      const dtmf: DtmfReceiverEvent[] = [];
      session.on('dtmf', (event) => dtmf.push(event));

      const answerer = await SipAnswerer.open();
      teardown(() => answerer.close());
      const negotiator = new SdpNegotiator({
        local: { address: '127.0.0.1', rtpPort: session.localRtpPort!, rtcpPort: session.localRtcpPort! },
        srtpPolicy: 'off',
      });
      const call = answerer.accept((offer) => {
        const { sdp, negotiated } = negotiator.processOffer(offer);
        expect(negotiated.codec.encodingName).toBe('PCMA');
        session.start(negotiated);
        return sdp;
      });

      const sipp = peers.start(
        'sipp',
        [
          `127.0.0.1:${answerer.port}`,
          '-sf',
          SCENARIO,
          '-i',
          '127.0.0.1',
          '-p',
          String(await freeUdpPort()),
          '-mp',
          String((await freeUdpPort()) & ~1),
          '-m',
          '1',
          '-timeout',
          '60',
          '-nostdin',
          '-trace_err',
        ],
        { cwd: dir },
      );
      await call;
      const exitCode = await sipp.exited;
      expect(exitCode, sipp.output()).toBe(0);
      const stats = session.stats();

      // The digit: reported once, ended by its E bit, 2240 samples long as its end packets say.
      const ends = dtmf.filter((e): e is DtmfDigitEnd => e.type === 'digit-end');
      expect(ends.map((e) => [e.symbol, e.durationSamples, e.reason])).toEqual([['1', 2240, 'end-bit']]);

      // The audio: every frame played as received audio is a run of the pcap's decoded samples, in order, and
      // together they cover nearly all of it (the jitter buffer may conceal or skip a frame while it adapts).
      const expected = await expectedAudio();
      const find = frameIndex(expected);
      const audio = played.filter((p) => p.kind === 'audio');
      const matched: number[] = [];
      for (const { frame } of audio) {
        const offset = find(frame, matched.at(-1) ?? -1);
        if (offset !== undefined) matched.push(offset);
      }
      expect(matched.length / audio.length, JSON.stringify(stats.jitterBuffer)).toBeGreaterThan(0.97);
      expect(matched.length * FRAME_SAMPLES, JSON.stringify(stats.jitterBuffer)).toBeGreaterThan(
        0.95 * expected.length,
      );
      // In step: consecutive frames are 160 samples apart except where the buffer skipped or repeated a frame.
      const steps = matched.slice(1).map((offset, i) => offset - matched[i]);
      expect(steps.filter((step) => step === FRAME_SAMPLES).length / steps.length).toBeGreaterThan(0.95);
      // SIPp replays each pcap's RTP headers as they are, and the digit's pcap has another SSRC: the session takes the
      // new source only after it persists (3 packets), so the first two event packets count as a stray SSRC. The digit
      // is still whole: RFC 4733 receivers report an event from any packet, and the duration comes from its end.
      expect(stats.drops).toEqual({ 'session:wrong-ssrc': 2 });
      expect(dtmf.find((e) => e.type === 'digit-start')).toMatchObject({ symbol: '1', markerSeen: false });
    });
  },
);
