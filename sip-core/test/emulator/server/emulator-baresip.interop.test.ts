// baresip 1.0.0 as the PBX against the running emulator over TLS with SRTP mandatory (issue 4, "Done means"):
// baresip trusts the emulator's exported CA and reaches the demo secure trunk (10000000000003.zt.plivo.com)
// through an outbound proxy, the emulator's TLS listener. A call to the echo number must bring baresip's own sine
// back (measured in baresip's recording with our Goertzel), its DTMF must reach the emulator's events, its blind
// transfer must complete (NOTIFY 100/200, BYE to baresip), and an inbound call to the DID routed to baresip's
// address — directly, or by failover from a dead primary URI — must be answered.

import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNT_CONFIG } from '../../../src/policy/index.js';
import { analyzeTone } from '../../../src/media/tone/tone-analysis.js';
import { readWav } from '../../../src/media/wav/wav-reader.js';
import { baresipRecordingDir, startBaresip, type StartedBaresip } from '../../support/baresip.js';
import { eventually, startEmulator, type EmulatorHarness } from '../../support/emulator-harness.js';
import { freeTcpPort } from '../../support/free-port.js';
import { requirePeer, shouldRunWith } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { testCa } from '../../support/softphone-fixtures.js';

const ECHO = '+14155550111';
const TONE = '+14155550112';
const CALLER = '+14155550101';
const DID = '+14155550100';
const SECURE_TRUNK = '10000000000003.zt.plivo.com';
const SINE_HZ = 600;

const peers = new PeerProcesses();
let harness: EmulatorHarness | undefined;
let baresip: StartedBaresip | undefined;
let dir: string | undefined;

afterEach(async () => {
  baresip?.control.close();
  baresip = undefined;
  await peers.stopAll();
  await harness?.close();
  harness = undefined;
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

type UriSetup = (baresipTls: string) => { primary: string; fallback: string };

/**
 * The emulator with UDP and TLS listeners (TLS material generated in its data folder) and the demo account, its
 * inbound trunk's URIs pointing where `uris` says; then baresip with a certificate from the test CA, trusting the
 * emulator's CA, with one account (`user`) whose outbound proxy is the emulator's TLS listener.
 */
async function start(user: string, uris?: UriSetup): Promise<{ h: EmulatorHarness; b: StartedBaresip }> {
  dir = await mkdtemp(join(tmpdir(), 'emulator-baresip-'));
  // baresip's ports are chosen before the emulator's config names them.
  const placeholder = '127.0.0.1:9;transport=udp';
  harness = await startEmulator({ listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: 0 } });
  const tls = harness.emulator.addresses().tls!;
  const proxy = `sip:${tls.address}:${tls.port};transport=tls`;
  baresip = await startBaresip(peers, join(dir, 'baresip'), {
    ...testCa().issue('127.0.0.1', ['IP:127.0.0.1']),
    ca: harness.emulator.caCertificatePem!,
    account:
      `<sip:${user}@${SECURE_TRUNK};transport=tls>;outbound="${proxy}";regint=0` +
      `;answermode=auto;audio_codecs=pcmu;mediaenc=srtp-mand`,
    sineHz: SINE_HZ,
  });
  if (uris !== undefined) {
    // The inbound trunk's URIs need baresip's port: restart the emulator on a config naming it.
    await harness.close();
    const { primary, fallback } = uris(`127.0.0.1:${baresip.sipPort + 1};transport=tls`);
    harness = await startEmulator({
      listen: { host: '127.0.0.1', udp: 0, tcp: 0, tls: 0 },
      account: {
        ...DEMO_ACCOUNT_CONFIG,
        origination_uris: [
          { uri_uuid: 'demo-primary-uri', name: 'primary', uri: primary || placeholder },
          { uri_uuid: 'demo-fallback-uri', name: 'fallback', uri: fallback || placeholder },
        ],
      },
    });
  }
  return { h: harness, b: baresip };
}

function dial(b: StartedBaresip, number: string): void {
  b.control.command('dial', `sip:${number}@${SECURE_TRUNK};transport=tls`);
}

/** baresip's recording of what it decoded (the emulator's audio), as 8 kHz samples. */
function decodedRecording(b: StartedBaresip, baresipDir: string): Int16Array {
  const rec = baresipRecordingDir(baresipDir);
  const files = readdirSync(rec);
  const decoded = files.find((f) => f.includes('dec'));
  if (!decoded) throw new Error(`no decoded recording among ${files.join(', ')}\n${b.process.output()}`);
  return readWav(readFileSync(join(rec, decoded))).samples;
}

describe.skipIf(!shouldRunWith('baresip'))('emulator ← baresip over TLS with SRTP mandatory', () => {
  it('echo: baresip hears its own sine back; its DTMF reaches the emulator’s events; CDR names tls + SRTP', async () => {
    requirePeer('baresip');
    const { h, b } = await start(CALLER);
    dial(b, ECHO);
    await b.control.waitForEvent('CALL_ESTABLISHED', 20_000);
    await sleep(1_500);
    b.control.command('sndcode', '159#');
    await eventually(() => (h.events.dtmf ?? []).length >= 4, 10_000, 'four DTMF events');
    await sleep(1_000);
    b.control.command('hangup');
    await b.control.waitForEvent('CALL_CLOSED');

    expect((h.events.dtmf ?? []).map((e) => e.digit).join('')).toBe('159#');
    const cdr = await h.cdr((c) => c.to_number === ECHO);
    expect(cdr).toMatchObject({
      transport_protocol: 'tls',
      hangup_cause_code: 3010,
      trunk_id: '10000000000003',
    });
    expect(cdr.srtp).toBeTruthy();
    const samples = decodedRecording(b, join(dir!, 'baresip'));
    // Skip the first half second (the echo path filling up); the rest must be baresip's own sine.
    const heard = samples.subarray(4_000, samples.length - 800);
    expect(heard.length).toBeGreaterThan(8_000);
    const tone = analyzeTone(heard, SINE_HZ);
    expect(tone.present, JSON.stringify(tone)).toBe(true);
    expect(tone.levelDbfs).toBeGreaterThan(-40);
  });

  it('blind transfer by baresip: 202, NOTIFY 100 then 200, BYE to baresip, CDRs for both legs', async () => {
    requirePeer('baresip');
    const { h, b } = await start(CALLER);
    dial(b, ECHO);
    await b.control.waitForEvent('CALL_ESTABLISHED', 20_000);
    await sleep(500);
    b.control.command('transfer', `sip:${TONE}@${SECURE_TRUNK}`);
    await b.control.waitForEvent('CALL_CLOSED', 20_000);

    const stages = (h.events.transfer ?? []).map((e) => `${e.stage}${e.sipStatus ? ` ${e.sipStatus}` : ''}`);
    expect(stages, JSON.stringify(stages)).toEqual(
      expect.arrayContaining(['accepted 202', 'trying 100', 'succeeded 200']),
    );
    const original = await h.cdr((c) => c.to_number === ECHO);
    expect(original).toMatchObject({ hangup_cause_code: 3000 });
    // The original call's trace: baresip's REFER answered 202, NOTIFYs with sipfrag 100 and 200, the BYE sent.
    const trace = h.emulator.store.getSipTrace(original.call_uuid).map((m) => ({
      direction: m.direction,
      text: Buffer.from(m.bytes).toString('utf8'),
    }));
    const sent = trace.filter((m) => m.direction === 'sent').map((m) => m.text);
    expect(sent.some((t) => t.startsWith('SIP/2.0 202'))).toBe(true);
    expect(sent.some((t) => t.startsWith('NOTIFY ') && t.includes('SIP/2.0 100'))).toBe(true);
    expect(sent.some((t) => t.startsWith('NOTIFY ') && t.includes('SIP/2.0 200'))).toBe(true);
    expect(sent.some((t) => t.startsWith('BYE '))).toBe(true);
    const succeeded = (h.events.transfer ?? []).find((e) => e.stage === 'succeeded');
    expect(succeeded?.transferCallUuid).toBeTruthy();
    // The new leg with the far end stays up until the emulator stops; stopping writes its CDR (the linking of
    // the two CDRs is covered by emulator-calls.test.ts).
    await h.emulator.stop();
    const written = (h.events.cdrWritten ?? []).find((e) => e.callUuid === succeeded?.transferCallUuid);
    expect(written).toMatchObject({ hangupCauseCode: 5250 });
    // baresip reports the call closed by the transfer (not a local hangup or an error).
    const closed = b.control.eventsOf('CALL_CLOSED')[0];
    expect(closed?.param, JSON.stringify(closed)).toMatch(/transfer/i);
  });

  it('inbound: a PSTN call to the DID is answered by baresip at the primary URI over TLS with SRTP', async () => {
    requirePeer('baresip');
    const { h } = await start(DID, (baresipTls) => ({ primary: baresipTls, fallback: '' }));
    const result = await h.emulator.placeInboundCall({ from: CALLER, to: DID, hangupAfterMs: 1_500 });
    expect(result).toMatchObject({ outcome: 'answered', leg: 'primary' });
    const cdr = await h.cdr((c) => c.call_direction === 'inbound', 10_000);
    expect(cdr).toMatchObject({ transport_protocol: 'tls', sip_status: 200 });
    expect(cdr.srtp).toBeTruthy();
  });

  it('failover: the primary URI is a dead port, the fallback (baresip) gets the call', async () => {
    requirePeer('baresip');
    // A TCP port nobody listens on refuses at once; a dead UDP port would cost Timer B (32 s) first.
    const dead = await freeTcpPort();
    const { h } = await start(DID, (baresipTls) => ({
      primary: `127.0.0.1:${dead};transport=tcp`,
      fallback: baresipTls,
    }));
    const result = await h.emulator.placeInboundCall({ from: CALLER, to: DID, hangupAfterMs: 1_000 });
    expect(result).toMatchObject({ outcome: 'answered', leg: 'fallback' });
    expect((h.events.inboundCall ?? []).map((e) => e.stage)).toContain('failover');
  });
});
