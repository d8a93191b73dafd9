import { randomInt } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/common/clock.js';
import { type NegotiatedMedia } from '../../src/media/offer-answer/negotiated-media.js';
import { SdpNegotiator, type SrtpPolicy } from '../../src/media/offer-answer/sdp-negotiator.js';
import { compactNtpFromUnixMs } from '../../src/media/rtcp/ntp-timestamp.js';
import { roundTripTimeMs } from '../../src/media/rtcp/round-trip-time.js';
import {
  type RtcpPacket,
  parseRtcpCompound,
  serializeRtcpCompound,
} from '../../src/media/rtcp/rtcp-compound.js';
import { SDES_ITEM_TYPE, cnameOf } from '../../src/media/rtcp/rtcp-source-description.js';
import { serializeRtpPacket } from '../../src/media/rtp/rtp-packet.js';
import { RtpReceiver } from '../../src/media/rtp/rtp-receiver.js';
import type { RtpTransport } from '../../src/media/rtp/rtp-transport.js';
import { RtpSendStatistics } from '../../src/media/rtp/rtp-send-statistics.js';
import { UdpRtpTransport } from '../../src/media/rtp/udp-rtp-transport.js';
import type { SrtpProfileName } from '../../src/media/srtp/srtp-profile.js';
import { SrtpTransport } from '../../src/media/srtp/srtp-transport.js';
import { decodeMulaw, encodeMulaw } from '../../src/media/codec/g711.js';
import { analyzeTone } from '../../src/media/tone/tone-analysis.js';
import { ToneGenerator } from '../../src/media/tone/tone-generator.js';
import { readWav } from '../../src/media/wav/wav-reader.js';
import { type BaresipControl, baresipRecordingDir, startBaresip } from '../support/baresip.js';
import { requirePeer } from '../support/peer-binary.js';
import { type PeerProcess, PeerProcesses } from '../support/peer-process.js';
import { SipCaller } from '../support/sip-signalling-harness.js';

// Our SDP, SDES, SRTP/SRTCP, RTP and RTCP against baresip 1.0.0 (libre's own SRTP implementation): an independent
// cross-check of everything the known-answer tests cover. We call baresip (auto-answer) through the signalling harness (SIP over UDP on sip/message),
// send it a 1 kHz tone and RTCP, and assert on what baresip observed (the audio it recorded, the reception report
// it sent us) as well as on what we received from it (its 440 Hz sine, its RTCP).

const hasBaresip = requirePeer('baresip');
const TONE_HZ = 1000;
const BARESIP_SINE_HZ = 440;
/** Calls last at least this long, and longer (up to MAX_CALL_MS) until baresip has reported on our SR. */
const MIN_CALL_MS = 4000;
const MAX_CALL_MS = 30_000;
const PTIME_MS = 20;

interface Harness {
  control?: BaresipControl;
  caller?: SipCaller;
  transport?: RtpTransport;
  dir?: string;
}
let harness: Harness = {};
const peers = new PeerProcesses();

afterEach(async () => {
  const { control, caller, transport, dir } = harness;
  harness = {};
  await caller?.bye();
  caller?.close();
  transport?.dispose();
  control?.close();
  await peers.stopAll();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A 1 kHz tone at -12 dBFS, µ-law encoded frame by frame with our codec. */
const toneGenerator = new ToneGenerator({ tones: [{ frequencyHz: TONE_HZ, levelDbfs: -12 }] });
function nextToneFrame(): Uint8Array {
  return encodeMulaw(toneGenerator.next(160));
}

interface CallOutcome {
  negotiated: NegotiatedMedia;
  ourSsrc: number;
  received: Buffer[];
  rtcp: RtcpPacket[];
  rttMs: Array<number | undefined>;
  plainRtcpDropped: number;
  receiver: RtpReceiver;
  transport: RtpTransport;
  baresip: PeerProcess;
  dir: string;
}

async function callBaresip(
  policy: SrtpPolicy,
  profile: SrtpProfileName,
  firstSequence: number,
): Promise<CallOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-media-rtp-'));
  harness.dir = dir;
  const {
    control,
    process: baresip,
    sipPort,
  } = await startBaresip(peers, dir, {
    accountParams: `;answermode=auto;audio_codecs=pcmu${policy === 'off' ? '' : ';mediaenc=srtp-mand'}`,
    sineHz: BARESIP_SINE_HZ,
  });
  harness.control = control;

  const udp = await UdpRtpTransport.open({ clock: systemClock });
  harness.transport = udp;
  const negotiator = new SdpNegotiator({
    local: { address: '127.0.0.1', rtpPort: udp.localRtp.port, rtcpPort: udp.localRtcp.port },
    srtpPolicy: policy,
    srtpProfiles: [profile],
  });
  const caller = await SipCaller.open({ host: '127.0.0.1', port: sipPort });
  harness.caller = caller;
  const response = await caller.invite(negotiator.createOffer().sdp);
  expect(response.statusCode, baresip.output()).toBe(200);
  const negotiated = negotiator.processAnswer(response.body.toString('utf8'));

  const transport: RtpTransport = negotiated.srtp ? new SrtpTransport(udp, negotiated.srtp) : udp;
  // baresip 1.0.0 sends some RTCP outside SRTCP (an APP "PING" at the start, its BYE as it hangs up). RFC 3711
  // drops them as unauthentic; count the drops that were such plain RTCP. This listener runs after SrtpTransport's
  // (registered first), and a dropped datagram is left as it arrived.
  let plainRtcpDropped = 0;
  let rtcpDropsSeen = 0;
  udp.on('rtcp', (datagram) => {
    if (!(transport instanceof SrtpTransport) || transport.rtcpDrops.total === rtcpDropsSeen) return;
    rtcpDropsSeen = transport.rtcpDrops.total;
    if (parseRtcpCompound(datagram).ok) plainRtcpDropped++;
  });
  harness.transport = transport;
  transport.setRemote({
    rtp: { address: negotiated.remoteAddress, port: negotiated.remoteRtpPort },
    rtcp: { address: negotiated.remoteRtcpAddress, port: negotiated.remoteRtcpPort },
  });

  const receiver = new RtpReceiver({ clockRateHz: 8000, payloadTypes: [negotiated.codec.payloadType] });
  const received: Buffer[] = [];
  transport.on('rtp', (packet, from, arrivalMs) => {
    const result = receiver.receive(packet, from, arrivalMs);
    if (result.accepted) received.push(Buffer.from(result.packet.payload));
  });
  const rtcp: RtcpPacket[] = [];
  const rttMs: Array<number | undefined> = [];
  const ourSsrc = randomInt(1, 2 ** 32 - 1);
  receiver.setLocalSsrc(ourSsrc);
  transport.on('rtcp', (packet) => {
    const parsed = parseRtcpCompound(packet);
    if (!parsed.ok) return;
    rtcp.push(...parsed.packets);
    for (const p of parsed.packets) {
      if (p.kind === 'sender-report') {
        receiver.source?.onSenderReport(
          { seconds: p.sender.ntpSeconds, fraction: p.sender.ntpFraction },
          systemClock.now(),
        );
      }
      if (p.kind !== 'sender-report' && p.kind !== 'receiver-report') continue;
      for (const block of p.reportBlocks.filter((b) => b.ssrc === ourSsrc)) {
        rttMs.push(
          roundTripTimeMs(
            compactNtpFromUnixMs(systemClock.wallNow()),
            block.lastSenderReport,
            block.delaySinceLastSenderReport,
          ),
        );
      }
    }
  });

  // Send the tone with 20 ms pacing, and an SR + SDES every second.
  const sent = new RtpSendStatistics(8000);
  // libre sends RTCP every 2.5-7.5 s; the call goes on until one of its reports echoes an SR of ours.
  const reported = (): boolean => outcomeReported(rtcp, ourSsrc);
  let sequence = firstSequence;
  const startMs = systemClock.now();
  for (let i = 0; i * PTIME_MS < MAX_CALL_MS && (i * PTIME_MS < MIN_CALL_MS || !reported()); i++) {
    const payload = nextToneFrame();
    const timestamp = (1000 + i * 160) >>> 0;
    transport.sendRtp(
      serializeRtpPacket({
        marker: i === 0,
        payloadType: 0,
        sequenceNumber: sequence,
        timestamp,
        ssrc: ourSsrc,
        csrcs: [],
        payload,
        paddingBytes: 0,
      }),
    );
    sent.onPacketSent(timestamp, payload.length, systemClock.now());
    sequence = (sequence + 1) & 0xffff;
    if (i % 50 === 25) {
      const block = receiver.source?.makeReportBlock(systemClock.now());
      transport.sendRtcp(
        serializeRtcpCompound([
          {
            kind: 'sender-report',
            ssrc: ourSsrc,
            sender: sent.senderInfo(systemClock.now(), systemClock.wallNow()),
            reportBlocks: block ? [block] : [],
          },
          {
            kind: 'source-description',
            chunks: [{ ssrc: ourSsrc, items: [{ type: SDES_ITEM_TYPE.CNAME, text: 'trunkline@127.0.0.1' }] }],
          },
        ]),
      );
    }
    const due = startMs + (i + 1) * PTIME_MS;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - systemClock.now())));
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const bye = await caller.bye();
  expect(bye?.statusCode).toBe(200);
  await control.waitForEvent('CALL_CLOSED');
  await peers.stopAll();
  return {
    negotiated,
    ourSsrc,
    received,
    rtcp,
    rttMs,
    plainRtcpDropped,
    receiver,
    transport,
    baresip,
    dir,
  };
}

/** Whether a report block about `ssrc` echoes one of its sender reports (LSR ≠ 0). */
function outcomeReported(rtcp: readonly RtcpPacket[], ssrc: number): boolean {
  return rtcp.some(
    (p) =>
      (p.kind === 'sender-report' || p.kind === 'receiver-report') &&
      p.reportBlocks.some((b) => b.ssrc === ssrc && b.lastSenderReport !== 0),
  );
}

/**
 * Checks the audio baresip decoded from us, second by second from 0.5 s to 3.5 s (past our sequence wrap at about
 * 1.1 s in the first case): every second must be loud and be our tone. Silence would pass a tone-share test alone.
 */
function expectBaresipHeardOurTone(outcome: CallOutcome): void {
  const rec = baresipRecordingDir(outcome.dir);
  const files = readdirSync(rec);
  const decoded = files.find((f) => f.includes('dec'));
  if (!decoded)
    throw new Error(`no decoded recording among ${files.join(', ')}\n${outcome.baresip.output()}`);
  const wav = readWav(readFileSync(join(rec, decoded)));
  for (let second = 0; second < 3; second++) {
    const start = Math.floor(8000 * (0.5 + second));
    const window = wav.samples.subarray(start, start + 8000);
    expect(window.length, `recording shorter than ${second + 1.5} s`).toBe(8000);
    const tone = analyzeTone(window, TONE_HZ);
    expect(tone.levelDbfs, `level of second ${second}`).toBeGreaterThan(-20);
    expect(tone.snrDb, `tone-to-rest ratio of second ${second}`).toBeGreaterThan(10);
  }
}

describe.skipIf(!hasBaresip)('media against baresip 1.0.0 (SDES-SRTP, RTP, RTCP)', () => {
  it.each([
    ['AES_CM_128_HMAC_SHA1_80', 65_480],
    ['AES_CM_128_HMAC_SHA1_32', 1000],
  ] as const)(
    '%s: two-way audio, authenticated SRTCP both ways, RTCP reports (our first sequence number %i)',
    async (profile, firstSequence) => {
      const outcome = await callBaresip('mandatory', profile, firstSequence);
      const { negotiated, receiver, transport } = outcome;
      expect(negotiated.srtp?.profile).toBe(profile);
      expect(negotiated.codec.encodingName).toBe('PCMU');

      // We authenticated and decrypted everything baresip sent, and heard its 440 Hz sine.
      const srtp = transport as SrtpTransport;
      expect(srtp.rtpDrops.total, JSON.stringify(srtp.rtpDrops.snapshot())).toBe(0);
      // The only SRTCP drops are the plain RTCP packets baresip sends outside SRTCP.
      expect(srtp.rtcpDrops.total, JSON.stringify(srtp.rtcpDrops.snapshot())).toBe(outcome.plainRtcpDropped);
      expect(outcome.plainRtcpDropped).toBeLessThanOrEqual(3);
      expect(outcome.received.length).toBeGreaterThan(150);
      expect(receiver.drops.total).toBe(0);
      expect(receiver.source?.snapshot().lost).toBe(0);
      const heard = decodeMulaw(Buffer.concat(outcome.received.slice(25, 75)));
      expect(analyzeTone(heard, BARESIP_SINE_HZ).snrDb).toBeGreaterThan(10);

      // baresip sent SRTCP we could authenticate: an SR and its CNAME.
      const senderReports = outcome.rtcp.filter((p) => p.kind === 'sender-report');
      expect(senderReports.length, outcome.baresip.output()).toBeGreaterThan(0);
      const theirSsrc = receiver.source!.ssrc;
      expect(senderReports.some((p) => p.ssrc === theirSsrc)).toBe(true);
      const sdes = outcome.rtcp.find((p) => p.kind === 'source-description');
      expect(sdes && cnameOf(sdes, theirSsrc)).toBeTruthy();

      // baresip authenticated our SRTCP: its report about our stream echoes our SR (LSR), so a round trip is known,
      // and it received our packets across the sequence wrap without loss.
      const aboutUs = outcome.rtcp
        .flatMap((p) => (p.kind === 'sender-report' || p.kind === 'receiver-report' ? p.reportBlocks : []))
        .filter((b) => b.ssrc === outcome.ourSsrc);
      expect(aboutUs.length).toBeGreaterThan(0);
      expect(aboutUs.every((b) => b.cumulativeLost === 0)).toBe(true);
      expect(aboutUs.some((b) => b.lastSenderReport !== 0)).toBe(true);
      expect(outcome.rttMs.some((rtt) => rtt !== undefined)).toBe(true);
      // libre cuts SRTCP tags to 32 bits with _32 (FreeSWITCH keeps 80): we accepted its tags and sent it the same.
      const tagBytes = profile === 'AES_CM_128_HMAC_SHA1_32' ? 4 : 10;
      expect(srtp.srtcpTagBytes).toEqual({ received: tagBytes, sent: tagBytes });

      // baresip decrypted our SRTP (across the ROC rollover for the first case) and decoded our 1 kHz tone.
      expectBaresipHeardOurTone(outcome);
    },
  );

  it('plain RTP/AVP: the same call without SRTP', async () => {
    const outcome = await callBaresip('off', 'AES_CM_128_HMAC_SHA1_80', 30_000);
    expect(outcome.negotiated.srtp).toBeUndefined();
    expect(outcome.received.length).toBeGreaterThan(150);
    expectBaresipHeardOurTone(outcome);
  });
});
