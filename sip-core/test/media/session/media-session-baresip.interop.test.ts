import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import type { DtmfDigitEnd, DtmfReceiverEvent } from '../../../src/media/dtmf/dtmf-receiver.js';
import { SdpNegotiator, type SrtpPolicy } from '../../../src/media/offer-answer/sdp-negotiator.js';
import type { MediaSessionStats } from '../../../src/media/session/media-session-stats.js';
import { MediaSession } from '../../../src/media/session/media-session.js';
import { ToneDetectorSink } from '../../../src/media/session/tone-detector-sink.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import { type ToneAnalysis, analyzeTone } from '../../../src/media/tone/tone-analysis.js';
import { readWav } from '../../../src/media/wav/wav-reader.js';
import {
  type BaresipControl,
  baresipRecordingDir,
  baresipRtpPortBase,
  startBaresip,
} from '../../support/baresip.js';
import { requirePeer } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { SipCaller } from '../../support/sip-signalling-harness.js';
import { useTeardown } from '../../support/teardown.js';
import { type LiveCapture, startCapture, tsharkFields } from '../../support/tshark-capture.js';

// The acceptance against baresip 1.0.0 with SRTP mandatory (mediaenc=srtp-mand): one MediaSession of ours,
// set up by the minimal signalling harness, exchanges audio with baresip for 10 s. Asserted on what each side
// observed: baresip's recording of our tone (read with media/wav, measured with our Goertzel analysis), our detector
// sink's measurement of baresip's ausine tone, baresip's CALL_DTMF_START/END events for our RFC 4733 digits, and our
// DtmfReceiver's reports of the digits baresip sends with `sndcode`.

const hasBaresip = requirePeer('baresip') && requirePeer('tshark');
const OUR_TONE_HZ = 1000;
const BARESIP_SINE_HZ = 440;
const CALL_MS = 10_000;
const OUR_DIGITS = '0123456789*#';
const BARESIP_DIGITS = '147*0#';
/** What libre (baresip 1.0.0) puts in the end packets of a `sndcode` key. */
const BARESIP_DIGIT_SAMPLES = 1440;

const peers = new PeerProcesses();
const teardown = useTeardown(peers);

interface CallOutcome {
  readonly dir: string;
  readonly remoteRtpPort: number;
  readonly control: BaresipControl;
  readonly stats: MediaSessionStats;
  readonly heardBaresip: ToneAnalysis | undefined;
  readonly dtmf: DtmfReceiverEvent[];
}

/** One 10 s call to baresip: tones both ways, our digits, then baresip's `sndcode` digits. */
async function callBaresip(
  policy: SrtpPolicy,
  onAnswered?: (remoteRtpPort: number) => Promise<void>,
): Promise<CallOutcome> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-media-session-'));
  teardown(() => rmSync(dir, { recursive: true, force: true }));
  const {
    control,
    process: baresip,
    sipPort,
  } = await startBaresip(peers, dir, {
    accountParams: `;answermode=auto;audio_codecs=pcmu${policy === 'mandatory' ? ';mediaenc=srtp-mand' : ''}`,
    sineHz: BARESIP_SINE_HZ,
  });
  teardown(() => control.close());

  // Our ports stay clear of the ten baresip uses.
  const baresipRtp = baresipRtpPortBase(sipPort);
  const session = await MediaSession.open({
    clock: systemClock,
    portRange:
      baresipRtp < 40_000 ? { minPort: 40_000, maxPort: 44_999 } : { minPort: 10_000, maxPort: 14_999 },
  });
  teardown(() => session.close());
  const negotiator = new SdpNegotiator({
    local: { address: '127.0.0.1', rtpPort: session.localRtpPort!, rtcpPort: session.localRtcpPort! },
    srtpPolicy: policy,
  });
  const caller = await SipCaller.open({ host: '127.0.0.1', port: sipPort });
  teardown(() => caller.close());
  teardown(async () => void (await caller.bye()));

  const response = await caller.invite(negotiator.createOffer().sdp);
  expect(response.statusCode, baresip.output()).toBe(200);
  const negotiated = negotiator.processAnswer(response.body.toString('utf8'));
  expect(negotiated.srtp?.profile).toBe(policy === 'mandatory' ? 'AES_CM_128_HMAC_SHA1_80' : undefined);
  expect(negotiated.telephoneEvent).toBeDefined();
  await onAnswered?.(negotiated.remoteRtpPort);

  const dtmf: DtmfReceiverEvent[] = [];
  session.on('dtmf', (event) => dtmf.push(event));
  const heard = new ToneDetectorSink({ windowMs: 1500 });
  session.addSink(heard);
  session.setSource(ToneSource.sine(OUR_TONE_HZ));
  const startedMs = Date.now();
  session.start(negotiated);
  await control.waitForEvent('CALL_ESTABLISHED');

  // 0-2 s: tones only (baresip's recording of these seconds is analysed), then our digits, then baresip's.
  await sleep(2000);
  const heardBaresip = heard.analyze(BARESIP_SINE_HZ);
  session.sendDtmf(OUR_DIGITS);
  while (session.sendingDtmf) await sleep(50);
  await sleep(500);
  control.command('sndcode', BARESIP_DIGITS);
  await sleep(Math.max(0, CALL_MS - (Date.now() - startedMs)));

  const stats = session.stats();
  const bye = await caller.bye();
  expect(bye?.statusCode).toBe(200);
  await control.waitForEvent('CALL_CLOSED');
  control.close();
  await peers.stopAll();
  return { dir, remoteRtpPort: negotiated.remoteRtpPort, control, stats, heardBaresip, dtmf };
}

function digitEnds(outcome: CallOutcome): DtmfDigitEnd[] {
  return outcome.dtmf.filter((e): e is DtmfDigitEnd => e.type === 'digit-end');
}

describe.skipIf(!hasBaresip)('MediaSession against baresip 1.0.0', () => {
  it('SRTP mandatory: 10 s of two-way audio, RFC 4733 digits both ways', async () => {
    const outcome = await callBaresip('mandatory');
    const { stats, heardBaresip, control } = outcome;

    // We heard baresip's sine (decrypted and authenticated), without loss or drops.
    expect(heardBaresip?.present, JSON.stringify(heardBaresip)).toBe(true);
    expect(heardBaresip!.levelDbfs).toBeGreaterThan(-30);
    expect(stats.srtp).toEqual({ authFailures: 0, replays: 0 });
    expect(stats.received.packets).toBeGreaterThan(400);
    expect(stats.received.lost).toBe(0);
    expect(stats.sent.packets).toBeGreaterThan(400);

    // baresip recorded our tone: the seconds before the digits are our 1 kHz, loud and clean.
    const rec = baresipRecordingDir(outcome.dir);
    const decoded = readdirSync(rec).find((f) => f.includes('dec'));
    expect(decoded, `recordings: ${readdirSync(rec).join(', ')}`).toBeDefined();
    const wav = readWav(readFileSync(join(rec, decoded!)), { outputRateHz: 8000 });
    const ours = analyzeTone(wav.samples.subarray(4000, 16_000), OUR_TONE_HZ);
    expect(ours.present, JSON.stringify(ours)).toBe(true);
    expect(ours.levelDbfs).toBeGreaterThan(-20);

    // baresip reported every digit we sent, in order, start and end.
    const starts = control.eventsOf('CALL_DTMF_START').map((e) => e.param);
    expect(starts.join(''), JSON.stringify(control.events.map((e) => e.type))).toBe(OUR_DIGITS);
    expect(control.eventsOf('CALL_DTMF_END').length).toBe(OUR_DIGITS.length);

    // We reported every digit baresip sent, ended by their E bit, with the duration libre gives a `sndcode` key
    // (1440 samples, 180 ms; the plain-RTP case below reads the same from the wire with tshark).
    const ends = digitEnds(outcome);
    expect(ends.map((e) => e.symbol).join('')).toBe(BARESIP_DIGITS);
    for (const end of ends)
      expect([end.durationSamples, end.reason]).toEqual([BARESIP_DIGIT_SAMPLES, 'end-bit']);
  });

  it("plain RTP: the durations we report are the ones baresip's end packets carry on the wire (tshark)", async () => {
    let capture: LiveCapture | undefined;
    let file = '';
    const outcome = await callBaresip('off', async (remoteRtpPort) => {
      file = join(mkdtempSync(join(tmpdir(), 'trunkline-baresip-wire-')), 'call.pcap');
      teardown(() => rmSync(dirname(file), { recursive: true, force: true }));
      capture = await startCapture(peers, { filter: `udp src port ${remoteRtpPort}`, file });
    });
    await capture?.stop();
    const rows = await tsharkFields(peers, file, {
      decodeAs: [`udp.port==${outcome.remoteRtpPort},rtp`],
      filter: 'rtpevent && rtpevent.end_of_event == 1',
      fields: ['rtp.timestamp', 'rtpevent.event_id', 'rtpevent.duration'],
    });
    // One row per end packet (three per digit); keep one per event timestamp.
    const onWire = new Map(
      rows.map(([timestamp = '', event = '', duration = '']) => [timestamp, [event, duration]]),
    );
    const reported = digitEnds(outcome).map((e) => [
      String(e.timestamp),
      [String(e.event), String(e.durationSamples)],
    ]);
    expect(reported.length).toBe(BARESIP_DIGITS.length);
    expect(reported).toEqual([...onWire.entries()]);
    expect([...onWire.values()].every(([, duration]) => Number(duration) === BARESIP_DIGIT_SAMPLES)).toBe(
      true,
    );
    expect(
      outcome.control
        .eventsOf('CALL_DTMF_START')
        .map((e) => e.param)
        .join(''),
    ).toBe(OUR_DIGITS);
  });
});
