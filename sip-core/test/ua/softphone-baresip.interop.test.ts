// The softphone against baresip 1.0.0 directly, over TLS with SRTP mandatory (TESTING.md): outbound and inbound
// calls with two-way audio (our tone in baresip's recording, baresip's sine in our detector sink), RFC 4733
// digits both ways (baresip `sndcode` → our `dtmf` events; ours → baresip's CALL_DTMF_START/END), and baresip's
// blind `transfer` of our call, where we are the transferee and call the target through the test trunk.
// Assertions are on what each side observed: baresip's events and recordings, the test trunk's call.

import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToneDetectorSink, ToneSource } from '../../src/media/session/index.js';
import { analyzeTone } from '../../src/media/tone/tone-analysis.js';
import { readWav } from '../../src/media/wav/wav-reader.js';
import type { Call } from '../../src/ua/call.js';
import type { TransferProgress } from '../../src/ua/call-events.js';
import { SoftphoneUserAgent } from '../../src/ua/softphone-user-agent.js';
import {
  baresipRecordingDir,
  baresipRtpPortBase,
  startBaresip,
  type StartedBaresip,
} from '../support/baresip.js';
import { requirePeer, shouldRunWith } from '../support/peer-binary.js';
import { PeerProcesses } from '../support/peer-process.js';
import { CALLER_ID, DID, endOf, sleep, testCa, until, untilState } from '../support/softphone-fixtures.js';
import { useTeardown } from '../support/teardown.js';
import { TestTrunk } from '../support/test-trunk.js';

const peers = new PeerProcesses();
const teardown = useTeardown(peers);
const OUR_HZ = 1000;
const BARESIP_HZ = 440;
const OUR_DIGITS = '159#';
const BARESIP_DIGITS = '147*';
const BARESIP_NUMBER = '+14155550177';

interface Setup {
  readonly dir: string;
  readonly baresip: StartedBaresip;
  readonly phone: SoftphoneUserAgent;
}

/** baresip (TLS, SRTP mandatory, auto-answer) and a phone whose trunk is baresip itself. */
async function setup(): Promise<Setup> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-ua-baresip-'));
  teardown(() => rmSync(dir, { recursive: true, force: true }));
  const ca = testCa();
  const baresip = await startBaresip(peers, dir, {
    ...ca.issue('127.0.0.1', ['IP:127.0.0.1']),
    ca: ca.cert,
    accountParams: ';answermode=auto;audio_codecs=pcmu,pcma;mediaenc=srtp-mand',
    sineHz: BARESIP_HZ,
    // baresip answers only requests to its account: the number the phone dials.
    accountUser: BARESIP_NUMBER,
  });
  teardown(() => baresip.control.close());
  const baresipRtp = baresipRtpPortBase(baresip.sipPort);
  const phone = await SoftphoneUserAgent.start({
    terminationDomain: `127.0.0.1:${baresip.sipPort + 1}`,
    transport: 'tls',
    callerIds: [CALLER_ID],
    dids: [DID],
    srtp: 'mandatory',
    tls: { caPem: [ca.cert], useSystemCas: false },
    // Our RTP ports stay clear of the ten baresip uses.
    rtpPortRange:
      baresipRtp < 40_000 ? { minPort: 40_000, maxPort: 44_999 } : { minPort: 10_000, maxPort: 14_999 },
  });
  teardown(() => phone.stop());
  return { dir, baresip, phone };
}

/** Tones both ways for a while, then digits both ways; returns what we heard of baresip. */
async function exchangeAudioAndDigits(call: Call, heard: ToneDetectorSink, baresip: StartedBaresip) {
  const received: string[] = [];
  call.on('dtmf', (dtmf) => received.push(dtmf.digit));
  await sleep(2_000);
  const heardBaresip = heard.analyze(BARESIP_HZ);
  call.sendDtmf(OUR_DIGITS);
  await until(
    () => baresip.control.eventsOf('CALL_DTMF_END').length === OUR_DIGITS.length,
    'baresip to report our digits',
    8_000,
  );
  baresip.control.command('sndcode', BARESIP_DIGITS);
  await until(() => received.join('') === BARESIP_DIGITS, 'the phone to report baresip’s digits', 8_000);
  return heardBaresip;
}

function expectBaresipHeardUs(dir: string): void {
  const rec = baresipRecordingDir(dir);
  const decoded = readdirSync(rec).find((file) => file.includes('dec'));
  expect(decoded, `recordings: ${readdirSync(rec).join(', ')}`).toBeDefined();
  const wav = readWav(readFileSync(join(rec, decoded!)), { outputRateHz: 8000 });
  // The first 1.5 s after the answer are our tone alone (the digits come later).
  const ours = analyzeTone(wav.samples.subarray(2_000, 12_000), OUR_HZ);
  expect(ours.present, JSON.stringify(ours)).toBe(true);
}

describe.skipIf(!shouldRunWith('baresip'))(
  'the softphone against baresip 1.0.0 (TLS, SRTP mandatory)',
  () => {
    it('calls baresip: two-way audio, DTMF both ways, hangs up', async () => {
      requirePeer('baresip');
      const { dir, baresip, phone } = await setup();
      const heard = new ToneDetectorSink({ windowMs: 1500 });
      const call = phone.call(BARESIP_NUMBER, { source: ToneSource.sine(OUR_HZ), sinks: [heard] });
      await untilState(call, 'answered', 10_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${baresip.process.output()}`);
      });
      expect(call.mediaState).toMatchObject({ srtpSuite: 'AES_CM_128_HMAC_SHA1_80', telephoneEvent: true });
      await baresip.control.waitForEvent('CALL_ESTABLISHED');

      const heardBaresip = await exchangeAudioAndDigits(call, heard, baresip);
      expect(heardBaresip?.present, JSON.stringify(heardBaresip)).toBe(true);
      expect(
        baresip.control
          .eventsOf('CALL_DTMF_START')
          .map((e) => e.param)
          .join(''),
      ).toBe(OUR_DIGITS);

      await call.hangup();
      const end = await endOf(call);
      expect(end).toMatchObject({ outcome: 'answered', endedBy: 'local' });
      expect(end.stats?.srtp).toEqual({ authFailures: 0, replays: 0 });
      await baresip.control.waitForEvent('CALL_CLOSED');
      await peers.stopAll();
      expectBaresipHeardUs(dir);
    });

    it('takes baresip’s call to a DID: two-way audio, DTMF both ways, baresip hangs up', async () => {
      requirePeer('baresip');
      const { dir, baresip, phone } = await setup();
      const incoming: Call[] = [];
      phone.on('incoming', (call) => incoming.push(call));
      const port = phone.listener.local.port;
      baresip.control.command('dial', `sip:${DID}@127.0.0.1:${port};transport=tls`);
      await until(() => incoming.length === 1, 'baresip’s call to ring', 10_000);
      const call = incoming[0];
      expect(call.number).toBe(DID);
      const heard = new ToneDetectorSink({ windowMs: 1500 });
      await call.accept({ source: ToneSource.sine(OUR_HZ), sinks: [heard] });
      await untilState(call, 'answered');
      expect(call.mediaState).toMatchObject({ srtpSuite: 'AES_CM_128_HMAC_SHA1_80' });
      await baresip.control.waitForEvent('CALL_ESTABLISHED');

      const heardBaresip = await exchangeAudioAndDigits(call, heard, baresip);
      expect(heardBaresip?.present, JSON.stringify(heardBaresip)).toBe(true);

      baresip.control.command('hangup');
      const end = await endOf(call);
      expect(end).toMatchObject({ outcome: 'answered', endedBy: 'remote' });
      await peers.stopAll();
      expectBaresipHeardUs(dir);
    });

    it('is transferred by baresip (REFER): calls the target with our audio; baresip ends the old leg after our NOTIFY 200', async () => {
      requirePeer('baresip');
      const { baresip, phone } = await setup();
      const target = await TestTrunk.start({
        listen: [{ transport: 'tls', tls: testCa().issue('127.0.0.1', ['IP:127.0.0.1']) }],
        srtpPolicy: 'mandatory',
        toneHz: 700,
      });
      teardown(() => target.close());
      const calls: Call[] = [];
      phone.on('call', (call) => {
        calls.push(call);
        // The app gives the referred call its audio as it appears.
        if (calls.length === 2) call.setSource(ToneSource.sine(OUR_HZ));
      });
      const first = phone.call(BARESIP_NUMBER, { source: ToneSource.sine(OUR_HZ) });
      const transfers: TransferProgress[] = [];
      first.on('transfer', (progress) => transfers.push(progress));
      await untilState(first, 'answered', 10_000);
      await baresip.control.waitForEvent('CALL_ESTABLISHED');

      const targetPort = target.listener('tls').local.port;
      baresip.control.command('transfer', `sip:+14155550166@127.0.0.1:${targetPort};transport=tls`);
      await until(() => calls.length === 2, 'the phone to place the referred call', 10_000);
      const referred = calls[1];
      await untilState(referred, 'answered', 10_000);
      expect(transfers).toContainEqual(expect.objectContaining({ kind: 'referred' }));
      expect(target.callTo('+14155550166'), 'the target got our INVITE').toBeDefined();

      // baresip ends the transferred leg once our NOTIFY says 200 (RFC 3515 §2.4.5).
      const firstEnd = await endOf(first);
      expect(firstEnd).toMatchObject({ endedBy: 'remote' });
      await sleep(1_200);
      const far = target.callTo('+14155550166')!;
      expect(far.detector.analyze(OUR_HZ)?.present, 'the target hears us').toBe(true);
      await referred.hangup();
      await endOf(referred);
    });
  },
);
