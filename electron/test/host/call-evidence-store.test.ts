// The per-call evidence store with a real SoftphoneUserAgent calling the in-process emulator's echo number over
// UDP: the PCAP (read back with diagnostics' reader: the call's SIP only, RTP both ways), the two WAVs (the echo of
// the 440 Hz tone set with `call.setSource` in what we heard, the tone itself in what we sent) and the DTMF sidecar;
// the per-call duration cap; the size cap (oldest first); crash repair at open; delete.

import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  analyzeCaptureBytes,
  analyzeTone,
  DEMO_TRUNK_IDS,
  Emulator,
  loadEmulatorConfigOrThrow,
  readWav,
  SoftphoneUserAgent,
  ToneSource,
  type Call,
} from '../../../sip-core/src/index.js';
import type { CallCaptureView } from '../../common/index.js';
import { CallEvidenceStore } from '../../host/call-evidence-store.js';
import { seedCapture } from '../support/seed-captures.js';

const ECHO_NUMBER = '+14155550111';
const CALLER_ID = '+14155550101';
const TONE_HZ = 440;

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function phoneOnEmulator(): Promise<SoftphoneUserAgent> {
  const emulatorDir = tempDir('trunkline-evidence-emulator-');
  const emulator = await Emulator.start(
    loadEmulatorConfigOrThrow({
      overrides: { dataDir: emulatorDir, listen: { host: '127.0.0.1', udp: 0, tcp: null, tls: null } },
    }),
    { dataDir: emulatorDir, stopGraceMs: 500 },
  );
  cleanups.push(() => emulator.stop());
  const udp = emulator.addresses().udp!;
  const phone = await SoftphoneUserAgent.start({
    terminationDomain: `${DEMO_TRUNK_IDS.ipAcl}.zt.plivo.com`,
    outboundProxy: `${udp.address}:${udp.port}`,
    transport: 'udp',
    callerIds: [CALLER_ID],
    srtp: 'off',
  });
  cleanups.push(() => phone.stop());
  return phone;
}

async function until(condition: () => boolean, what: string, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function answered(call: Call): Promise<void> {
  return until(() => call.state === 'answered', 'the answer');
}

function available(view: CallCaptureView) {
  if (view.state !== 'available') throw new Error(`the capture is ${view.state}`);
  return view;
}

function samplesOf(base64: string): Int16Array {
  return readWav(Buffer.from(base64, 'base64')).samples;
}

function openStore(dataDir: string, options: Partial<Parameters<typeof CallEvidenceStore.open>[0]> = {}) {
  const store = CallEvidenceStore.open({ dataDir, sipGraceMs: 300, ...options });
  cleanups.push(() => store.close());
  return store;
}

describe('CallEvidenceStore with a real call to the emulator echo', () => {
  it('records the PCAP, both WAVs and the DTMF sidecar of one call', async () => {
    const phone = await phoneOnEmulator();
    const store = openStore(tempDir('trunkline-evidence-'));
    // The host's attach point: every call the user agent creates, before its INVITE goes out.
    phone.on('call', (created) => store.attach(`uuid-${created.id}`, created, phone));
    // Other SIP of the same user agent (an OPTIONS ping, its own Call-ID) must not leak into this call's PCAP.
    await phone.pingTrunk();
    const call = phone.call(ECHO_NUMBER);
    call.setSource(ToneSource.sine(TONE_HZ));
    await answered(call);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    call.sendDtmf('12#', { durationMs: 100 });
    await until(() => call.media?.sendingDtmf === false, 'the digits to be sent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(store.getCapture(`uuid-${call.id}`).state).toBe('recording');
    await call.hangup();
    await call.ended;
    await store.settled(`uuid-${call.id}`);

    const capture = available(store.getCapture(`uuid-${call.id}`));
    expect(capture.sampleRateHz).toBe(8000);
    expect(capture.durationMs).toBeGreaterThan(1_000);
    const heard = samplesOf(capture.received.wavBase64);
    const sent = samplesOf(capture.sent.wavBase64);
    expect(Math.abs(heard.length - sent.length)).toBeLessThanOrEqual(160);
    // The second before the digits of what we heard is the emulator's echo of our tone. (Not the last second: the
    // echo loops back what arrives as it arrives (ADR 0148), so the digits' gaps come back as gated tone, whose
    // splatter fails the 10 dB purity test; the old echo concealed the gaps and smoothed them.)
    expect(analyzeTone(heard.subarray(1600, 9600), TONE_HZ).present).toBe(true);
    expect(analyzeTone(sent.subarray(0, 8000), TONE_HZ).present).toBe(true);

    const sentDigits = capture.dtmf.filter((marker) => marker.direction === 'sent');
    expect(sentDigits.map((marker) => marker.digit)).toEqual(['1', '2', '#']);
    const offsets = sentDigits.map((marker) => marker.offsetMs);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    expect(offsets[0]).toBeGreaterThanOrEqual(1_000);
    expect(offsets[2]).toBeLessThanOrEqual(capture.durationMs);

    const chunks = store.pcapChunks(`uuid-${call.id}`)!;
    const analysis = analyzeCaptureBytes(Buffer.concat([...chunks()]));
    expect(analysis.calls.map((c) => c.callId)).toEqual([call.sipCallId]);
    const labels = analysis.calls[0].messages.map(({ message }) =>
      message.kind === 'request' ? message.method : `${message.statusCode}`,
    );
    expect(labels.filter((label) => !label.startsWith('1'))).toEqual(['INVITE', '200', 'ACK', 'BYE', '200']);
    const rtp = analysis.rtpStreams.filter((stream) => stream.kind === 'rtp' && stream.payloadType === 0);
    const localPort = call.mediaState!.localPort;
    expect(rtp.some((s) => s.source.port === localPort && s.packets > 40)).toBe(true);
    expect(rtp.some((s) => s.destination.port === localPort && s.packets > 40)).toBe(true);
  });

  it('stops the audio and RTP at the per-call duration cap and says so', async () => {
    const phone = await phoneOnEmulator();
    const store = openStore(tempDir('trunkline-evidence-'), { maxCallDurationMs: 1_000 });
    const call = phone.call(ECHO_NUMBER, { source: ToneSource.sine(TONE_HZ) });
    store.attach('capped', call, phone);
    await answered(call);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await call.hangup();
    await store.settled('capped');
    const capture = available(store.getCapture('capped'));
    expect(capture.durationMs).toBe(1_000);
    expect(capture.truncated).toMatchObject({ atMs: 1_000 });
    expect(capture.truncated?.reason).toMatch(/per-call limit/);
    expect(samplesOf(capture.received.wavBase64)).toHaveLength(8_000);
    expect(samplesOf(capture.sent.wavBase64)).toHaveLength(8_000);
    // The SIP is complete even though the media stopped.
    const analysis = analyzeCaptureBytes(Buffer.concat([...store.pcapChunks('capped')!()]));
    expect(
      analysis.calls[0].messages.some(
        ({ message }) => message.kind === 'request' && message.method === 'BYE',
      ),
    ).toBe(true);
    const rtpPackets = analysis.rtpStreams.filter((s) => s.kind === 'rtp').reduce((n, s) => n + s.packets, 0);
    expect(rtpPackets).toBeLessThan(2 * 60);
  });
});

describe('CallEvidenceStore bounds and repair', () => {
  it('deletes the oldest finished captures first when over the size cap, leaving a tombstone', () => {
    const dataDir = tempDir('trunkline-evidence-');
    seedCapture(dataDir, 'oldest', 1_000, 2);
    seedCapture(dataDir, 'middle', 2_000, 2);
    seedCapture(dataDir, 'newest', 3_000, 2);
    // Each capture is ~64 KB of audio; room for two.
    const store = openStore(dataDir, { maxTotalBytes: () => 140_000 });
    store.prune();
    expect(store.getCapture('oldest')).toMatchObject({ state: 'deleted', reason: 'size-cap' });
    expect(store.getCapture('middle').state).toBe('available');
    expect(store.getCapture('newest').state).toBe('available');
    expect(store.pcapChunks('oldest')).toBeUndefined();
  });

  it('deletes a capture on request: files gone, the view says deleted', async () => {
    const dataDir = tempDir('trunkline-evidence-');
    const folder = seedCapture(dataDir, 'mine', 1_000, 1);
    const store = openStore(dataDir);
    expect(store.getCapture('mine').state).toBe('available');
    expect(await store.deleteCapture('mine')).toMatchObject({ state: 'deleted', reason: 'user' });
    expect(() => statSync(join(folder, 'received.wav'))).toThrow();
    expect(() => statSync(join(folder, 'call.pcapng'))).toThrow();
    expect(store.getCapture('mine').state).toBe('deleted');
    expect(store.getCapture('never-recorded')).toEqual({ state: 'none', callUuid: 'never-recorded' });
    expect(await store.deleteCapture('never-recorded')).toEqual({
      state: 'none',
      callUuid: 'never-recorded',
    });
  });

  it('repairs a capture a crash left recording: WAV sizes written, PCAP cut to whole blocks', () => {
    const dataDir = tempDir('trunkline-evidence-');
    const folder = seedCapture(dataDir, 'crashed', 1_000, 1, { state: 'recording' });
    // A sample cut in half and a PCAP block cut in the middle, as a killed process leaves them.
    writeFileSync(
      join(folder, 'received.wav'),
      Buffer.concat([readFileSync(join(folder, 'received.wav')), Buffer.alloc(1)]),
    );
    const pcap = readFileSync(join(folder, 'call.pcapng'));
    writeFileSync(join(folder, 'call.pcapng'), pcap.subarray(0, pcap.length - 10));

    const store = openStore(dataDir);
    expect(store.recoveryNotes).toHaveLength(1);
    expect(store.recoveryNotes[0]).toMatch(/crashed: .*repaired/);
    const capture = available(store.getCapture('crashed'));
    expect(capture.durationMs).toBe(1_000);
    expect(capture.recovered).toMatch(/repaired and holds its first 1\.0 s/);
    const received = Buffer.from(capture.received.wavBase64, 'base64');
    expect(received.length).toBe(44 + 16_000);
    expect(received.readUInt32LE(40)).toBe(16_000);
    expect(received.readUInt32LE(4)).toBe(36 + 16_000);
    const analysis = analyzeCaptureBytes(Buffer.concat([...store.pcapChunks('crashed')!()]));
    expect(analysis.calls[0].messages).toHaveLength(2);
  });

  it('discards what it cannot repair, with a note, and never serves it', () => {
    const dataDir = tempDir('trunkline-evidence-');
    const folder = seedCapture(dataDir, 'garbage', 1_000, 1, { state: 'recording' });
    writeFileSync(join(folder, 'sent.wav'), Buffer.from('not a wav at all'));
    const orphan = join(dataDir, 'captures', 'orphan');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(join(orphan, 'received.wav'), Buffer.alloc(10));

    const store = openStore(dataDir);
    expect(store.recoveryNotes.join('\n')).toMatch(/garbage .*could not be repaired .*discarded/);
    expect(store.recoveryNotes.join('\n')).toMatch(/orphan.*removed/);
    expect(store.getCapture('garbage')).toMatchObject({ state: 'deleted', reason: 'unrecoverable' });
    expect(store.pcapChunks('garbage')).toBeUndefined();
    expect(() => statSync(orphan)).toThrow();
  });
});
