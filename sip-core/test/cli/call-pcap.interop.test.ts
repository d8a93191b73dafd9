// `trunkline call --pcap` read back by the real tshark (TESTING.md): the bin runs as a child process against an
// in-process emulator's echo number. A plain-UDP call's capture has every SIP message of the call dissected as SIP
// and `-z rtp,streams` lists the RTP both ways; a TLS + SRTP call on the secure trunk shows its SIP decrypted
// (carried as UDP with the TLS ports) and its RTP decrypted, PCMU both ways, with the key log written 0600.

import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { requirePeer, shouldRunWith } from '../support/peer-binary.js';
import { PeerProcesses } from '../support/peer-process.js';
import {
  DEMO_CALLER_ID,
  demoTrunkDomain,
  ECHO_NUMBER,
  startRoomyEmulator,
} from '../support/phone-and-emulator.js';
import { useTeardown } from '../support/teardown.js';
import { useTempDir } from '../support/temp-dir.js';
import { tshark, tsharkFields } from '../support/tshark-capture.js';
import { callResultOf, TRUNKLINE_BIN } from '../support/trunkline-cli.js';

const peers = new PeerProcesses();
const teardown = useTeardown(peers);
const tempDir = useTempDir('trunkline-call-pcap-');

/**
 * `tshark -z rtp,streams` rows: start, end, source address and port, destination address and port, SSRC, payload,
 * packets, …
 */
function rtpStreams(
  output: string,
): Array<{ srcPort: number; dstPort: number; payload: string; packets: number }> {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols.length >= 9 && /^0x[0-9A-Fa-f]+$/.test(cols[6] ?? ''))
    .map((cols) => ({
      srcPort: Number(cols[3]),
      dstPort: Number(cols[5]),
      payload: cols[7] ?? '',
      packets: Number(cols[8]),
    }));
}

describe.skipIf(!shouldRunWith('tshark'))('trunkline call --pcap, read by tshark', () => {
  it('a plain-UDP echo call: every SIP message dissected, RTP streams both ways', async () => {
    requirePeer('tshark');
    const harness = await startRoomyEmulator(teardown);
    const udp = harness.emulator.addresses().udp!;
    const pcap = join(tempDir(), 'udp-call.pcapng');
    const run = await peers.run(process.execPath, [
      TRUNKLINE_BIN,
      'call',
      ECHO_NUMBER,
      '--domain',
      demoTrunkDomain('ip-acl'),
      '--proxy',
      `${udp.address}:${udp.port}`,
      '--transport',
      'udp',
      '--caller-id',
      DEMO_CALLER_ID,
      '--play',
      'tone:440',
      '--hangup-after',
      '2s',
      '--pcap',
      pcap,
      '--json',
    ]);
    expect(callResultOf(run.output), run.output).toMatchObject({ outcome: 'answered', matched: true });
    expect(run.output).toMatch(/capture: \d+ packet\(s\) in /);

    const sip = await tsharkFields(peers, pcap, {
      filter: 'sip',
      fields: ['sip.Method', 'sip.Status-Code', 'sip.CSeq.method', 'udp.srcport', 'udp.dstport'],
    });
    const labels = sip.map(([method, status, cseq]) => (method ? method : `${status} ${cseq}`));
    // The emulator acknowledges the admitted INVITE with 100 Trying, and the echo number rings before its immediate
    // answer (docs/adr/0088).
    expect(labels).toEqual(['INVITE', '100 INVITE', '180 INVITE', '200 INVITE', 'ACK', 'BYE', '200 BYE']);
    expect(labels.indexOf('INVITE')).toBe(0);
    // Every packet that is not RTP/RTCP is a dissected SIP message: nothing of the call is left as bare UDP data.
    const all = await tsharkFields(peers, pcap, { fields: ['frame.protocols'] });
    const notMedia = all.filter(([protocols]) => !/:(rtp|rtcp|srtp|srtcp)$/.test(protocols ?? ''));
    expect(notMedia.length).toBe(sip.length);
    expect(sip.every(([, , , src, dst]) => [src, dst].includes(String(udp.port)))).toBe(true);

    const streams = rtpStreams(await tshark(peers, ['-r', pcap, '-q', '-z', 'rtp,streams']));
    expect(streams.length, 'both directions').toBeGreaterThanOrEqual(2);
    const [first, second] = streams;
    expect(first.srcPort).toBe(second.dstPort);
    expect(first.dstPort).toBe(second.srcPort);
    for (const stream of streams.slice(0, 2)) {
      expect(stream.payload).toMatch(/g711U|PCMU/i);
      expect(stream.packets).toBeGreaterThan(40);
    }
  });

  it('a TLS + SRTP echo call: the SIP decrypted on the TLS ports, the RTP decrypted (PCMU) both ways', async () => {
    requirePeer('tshark');
    const harness = await startRoomyEmulator(teardown);
    const tls = harness.emulator.addresses().tls!;
    const ca = join(tempDir(), 'emulator-ca.pem');
    await writeFile(ca, harness.emulator.caCertificatePem!);
    const pcap = join(tempDir(), 'tls-call.pcapng');
    const keyLog = join(tempDir(), 'tls-call.keys');
    const run = await peers.run(process.execPath, [
      TRUNKLINE_BIN,
      'call',
      ECHO_NUMBER,
      '--domain',
      demoTrunkDomain('secure'),
      '--proxy',
      `${tls.address}:${tls.port}`,
      '--transport',
      'tls',
      '--ca',
      ca,
      '--no-system-cas',
      '--caller-id',
      DEMO_CALLER_ID,
      '--play',
      'tone:440',
      '--hangup-after',
      '2s',
      '--pcap',
      pcap,
      '--keylog',
      keyLog,
      '--json',
    ]);
    expect(callResultOf(run.output), run.output).toMatchObject({
      outcome: 'answered',
      srtp: 'AES_CM_128_HMAC_SHA1_80',
    });
    expect((await stat(keyLog)).mode & 0o777).toBe(0o600);
    expect(run.output).toMatch(/TLS key log: [1-9]\d* secret\(s\)/);

    const sip = await tsharkFields(peers, pcap, {
      filter: 'sip',
      fields: ['sip.Method', 'sip.Status-Code', 'udp.srcport', 'udp.dstport', 'frame.comment'],
    });
    const labels = sip.map(([method, status]) => method || status);
    expect(labels).toEqual(expect.arrayContaining(['INVITE', '200', 'ACK', 'BYE']));
    expect(sip.every(([, , src, dst]) => [src, dst].includes(String(tls.port)))).toBe(true);
    expect(sip.every(([, , , , comment]) => /SIP over TLS, shown decrypted/.test(comment ?? ''))).toBe(true);
    // The SDES keys are masked in the exported SDP: the media is in the file decrypted already.
    const crypto = await tsharkFields(peers, pcap, { filter: 'sdp', fields: ['sdp.media_attr'] });
    expect(crypto.flat().join(' ')).toMatch(/inline:X+/);

    const rtp = await tsharkFields(peers, pcap, {
      filter: 'rtp',
      fields: ['rtp.p_type', 'udp.srcport', 'udp.dstport', 'frame.comment'],
    });
    const directions = new Set(rtp.map(([, src, dst]) => `${src}>${dst}`));
    expect(directions.size, 'RTP both ways').toBe(2);
    expect(new Set(rtp.map(([pt]) => pt))).toEqual(new Set(['0']));
    expect(rtp.length).toBeGreaterThan(80);
    expect(rtp.every(([, , , comment]) => /SRTP, exported decrypted/.test(comment ?? ''))).toBe(true);
  });
});
