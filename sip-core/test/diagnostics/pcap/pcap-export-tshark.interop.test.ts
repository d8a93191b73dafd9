import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/common/clock.js';
import { FilePcapSink, PcapRecorder } from '../../../src/diagnostics/pcap/index.js';
import { ToneSource } from '../../../src/media/session/tone-source.js';
import type { ListenOptions } from '../../../src/sip/transport/index.js';
import { type SessionPair, udpSessionPair } from '../../support/media-session-pair.js';
import { requirePeer, shouldRunWith } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { StackUac } from '../../support/stack-uac.js';
import { StackUas } from '../../support/stack-uas.js';
import { useTempDir } from '../../support/temp-dir.js';
import { createTestPki, type TestCa, type TestCertificate, type TestPki } from '../../support/test-pki.js';
import { tshark, tsharkFields } from '../../support/tshark-capture.js';

// tshark reads what we write: a call of our test stack (UAC → UAS, plain UDP, and TLS + SRTP) is exported with the
// PcapRecorder from the UAC's SIP trace and the UAC-side media session's packet tap, and tshark must dissect every
// SIP message of the call and list an RTP stream in each direction — for TLS + SRTP, in plaintext.

const peers = new PeerProcesses();
const dir = useTempDir('trunkline-pcap-export-');
const closers: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await peers.stopAll();
});

let pki: TestPki;
let ca: TestCa;
let certificate: TestCertificate;
beforeAll(() => {
  pki = createTestPki();
  ca = pki.createCa('Trunkline PCAP CA');
  certificate = ca.issue('localhost', ['DNS:localhost', 'IP:127.0.0.1']);
});
afterAll(() => pki.dispose());

interface ExportedCall {
  readonly file: string;
  readonly sipMessages: string[];
  readonly sipPort: number;
  readonly rtpPorts: readonly [number, number];
}

/** One call UAC → UAS with two media sessions talking for `holdMs`, exported from the UAC's side. */
async function exportCall(transport: 'udp' | 'tls', holdMs: number): Promise<ExportedCall> {
  const listen: ListenOptions[] = [transport === 'tls' ? { transport, tls: certificate } : { transport }];
  const uas = await StackUas.start(listen);
  closers.push(() => uas.close());
  const uac = await StackUac.start(listen, { transport: { tls: { ca: ca.cert } } });
  closers.push(() => uac.close());
  const pair: SessionPair = await udpSessionPair(systemClock, {
    srtpPolicy: transport === 'tls' ? 'mandatory' : 'off',
  });
  closers.push(() => pair.close());
  pair.b.setSource(ToneSource.sine(440));
  const file = join(dir(), `call-${transport}.pcapng`);
  const recorder = new PcapRecorder(new FilePcapSink(file), { application: 'Trunkline interop test' });
  const sipMessages: string[] = [];
  uac.stack.trace.subscribe((record) => {
    if (record.kind === 'message')
      sipMessages.push(Buffer.from(record.bytes).toString('latin1').split('\r\n')[0]);
  });
  recorder.recordSipTrace(uac.stack.trace);
  recorder.recordMedia(pair.a);
  const port = uas.listener(transport).local.port;
  const outcome = await uac.call({
    uri: `sip:service@127.0.0.1:${port}${transport === 'tls' ? ';transport=tls' : ''}`,
    holdMs,
  });
  expect(outcome).toEqual({ ok: true, detail: 'bye 200' });
  await recorder.close();
  return { file, sipMessages, sipPort: port, rtpPorts: [pair.a.localRtpPort!, pair.b.localRtpPort!] };
}

/** The per-stream lines of `tshark -q -z rtp,streams` (each names the SSRC in hex). */
async function rtpStreams(call: ExportedCall): Promise<string[]> {
  const output = await tshark(peers, [
    '-r',
    call.file,
    '-d',
    `udp.port==${call.rtpPorts[0]},rtp`,
    '-d',
    `udp.port==${call.rtpPorts[1]},rtp`,
    '-q',
    '-z',
    'rtp,streams',
  ]);
  return output.split('\n').filter((line) => / 0x[0-9A-Fa-f]{8} /.test(line));
}

describe.skipIf(!shouldRunWith('tshark'))('PCAP export read by tshark', () => {
  it('a plain UDP call: every SIP message dissected, an RTP stream each way', async () => {
    if (!requirePeer('tshark')) return;
    const call = await exportCall('udp', 1500);
    const sip = await tsharkFields(peers, call.file, {
      decodeAs: [`udp.port==${call.sipPort},sip`],
      filter: 'sip',
      fields: ['sip.Request-Line', 'sip.Status-Line'],
    });
    expect(sip.map((row) => row.filter((c) => c !== '')[0])).toEqual(call.sipMessages);
    expect(call.sipMessages).toEqual(
      expect.arrayContaining([expect.stringMatching(/^INVITE /), expect.stringMatching(/^BYE /)]),
    );
    const streams = await rtpStreams(call);
    expect(streams, streams.join('\n')).toHaveLength(2);
    for (const [i, port] of call.rtpPorts.entries()) {
      expect(
        streams.some((line) => line.includes(` ${port} `)),
        `a stream from port ${port} (${i})`,
      ).toBe(true);
    }
  });

  it('a TLS + SRTP call: the SIP shown decrypted and dissected, the RTP in plaintext, both marked', async () => {
    if (!requirePeer('tshark')) return;
    const call = await exportCall('tls', 1500);
    const sip = await tsharkFields(peers, call.file, {
      decodeAs: [`udp.port==${call.sipPort},sip`],
      filter: 'sip',
      fields: ['sip.Request-Line', 'sip.Status-Line', 'frame.comment'],
    });
    expect(sip.map((row) => row[0] || row[1])).toEqual(call.sipMessages);
    for (const row of sip) expect(row[2]).toMatch(/SIP over TLS, shown decrypted/);
    const streams = await rtpStreams(call);
    expect(streams, streams.join('\n')).toHaveLength(2);
    // The UAC side sends silence: PCMU 0xff bytes in plaintext, where SRTP ciphertext would look random.
    const payloads = await tsharkFields(peers, call.file, {
      decodeAs: [`udp.port==${call.rtpPorts[0]},rtp`, `udp.port==${call.rtpPorts[1]},rtp`],
      filter: `rtp && udp.srcport==${call.rtpPorts[0]} && rtp.p_type==0`,
      fields: ['rtp.payload', 'frame.comment'],
    });
    expect(payloads.length).toBeGreaterThan(20);
    for (const [payload, comment] of payloads) {
      expect(payload.replace(/:/g, '')).toMatch(/^(ff)+$/);
      expect(comment).toMatch(/SRTP, exported decrypted/);
    }
  });
});
