import { describe, expect, it } from 'vitest';
import {
  buildIpUdpPacket,
  CaptureFileParser,
  decodePacket,
  internetChecksum,
  LINKTYPE,
  MemoryPcapSink,
  PcapEncoder,
  type PcapFormat,
  PcapRecorder,
  readCaptureBytes,
} from '../../../src/diagnostics/pcap/index.js';

const T0_MS = Date.UTC(2026, 0, 15, 10, 30, 0) + 0.123; // 123 µs past the second's first millisecond

function encode(
  format: PcapFormat,
  packets: Array<{ timestampMs: number; data: Uint8Array; comment?: string }>,
) {
  const encoder = new PcapEncoder({ format, linkType: LINKTYPE.RAW, application: 'Trunkline test' });
  return Buffer.concat([encoder.header(), ...packets.map((p) => encoder.packet(p))]);
}

describe('Internet checksum (RFC 1071)', () => {
  it('matches the worked example of RFC 1071 §3', () => {
    // 0001 + f203 + f4f5 + f6f7 = 2ddf0 → fold ddf2 → complement 220d.
    expect(internetChecksum(Uint8Array.from([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]))).toBe(0x220d);
  });
});

describe('buildIpUdpPacket', () => {
  it('writes an IPv4 header and UDP datagram whose checksums verify', () => {
    const payload = Buffer.from('OPTIONS sip:a@b SIP/2.0\r\n\r\n');
    const packet = buildIpUdpPacket(
      { address: '127.0.0.1', port: 5070 },
      { address: '127.0.0.2', port: 5060 },
      payload,
    );
    expect(packet.length).toBe(20 + 8 + payload.length);
    expect(internetChecksum(packet.subarray(0, 20))).toBe(0);
    const pseudo = Buffer.concat([packet.subarray(12, 20), Buffer.from([0, 17, 0, 8 + payload.length])]);
    expect(internetChecksum(Buffer.concat([pseudo, packet.subarray(20)]))).toBe(0);
    const decoded = decodePacket(LINKTYPE.RAW, packet);
    expect(decoded).toMatchObject({
      ok: true,
      segment: { protocol: 'udp', source: { address: '127.0.0.1', port: 5070 }, destination: { port: 5060 } },
    });
  });

  it('writes IPv6 with a verifying UDP checksum and unmaps IPv4-mapped addresses', () => {
    const payload = Buffer.from('x'.repeat(33));
    const v6 = buildIpUdpPacket({ address: '::1', port: 1 }, { address: '2001:db8::2', port: 2 }, payload);
    expect(v6[0] >> 4).toBe(6);
    const length = 8 + payload.length;
    const pseudo = Buffer.concat([
      v6.subarray(8, 40),
      Buffer.from([0, 0, length >> 8, length & 0xff, 0, 0, 0, 17]),
    ]);
    expect(internetChecksum(Buffer.concat([pseudo, v6.subarray(40)]))).toBe(0);
    const mapped = buildIpUdpPacket(
      { address: '::ffff:127.0.0.1', port: 1 },
      { address: '127.0.0.1', port: 2 },
      payload,
    );
    expect(mapped[0] >> 4).toBe(4);
  });
});

describe('PcapEncoder', () => {
  it('writes the classic pcap global header byte for byte', () => {
    const header = new PcapEncoder({ format: 'pcap', linkType: LINKTYPE.RAW }).header();
    expect(Buffer.from(header).toString('hex')).toBe(
      'd4c3b2a1' + '0200' + '0400' + '00000000' + '00000000' + '00000400' + '65000000',
    );
  });

  it('writes a pcapng section header whose blocks are 32-bit aligned and self-delimiting', () => {
    const header = new PcapEncoder({ format: 'pcapng', linkType: LINKTYPE.RAW, application: 'abc' }).header();
    expect(Buffer.from(header.subarray(0, 4)).toString('hex')).toBe('0a0d0d0a');
    expect(Buffer.from(header.subarray(8, 12)).toString('hex')).toBe('4d3c2b1a');
    expect(header.length % 4).toBe(0);
  });
});

describe.each<PcapFormat>(['pcapng', 'pcap'])('%s write → read round trip', (format) => {
  const packets = [
    {
      timestampMs: T0_MS,
      data: buildIpUdpPacket(
        { address: '127.0.0.1', port: 1 },
        { address: '127.0.0.1', port: 2 },
        Buffer.from('abc'),
      ),
      comment: 'Trunkline: SIP over TLS',
    },
    { timestampMs: T0_MS + 20.5, data: Uint8Array.from([0x45]) },
    { timestampMs: T0_MS + 1000, data: new Uint8Array(1501).fill(7) },
  ];
  const bytes = encode(format, packets);

  it('returns the packets, times to the microsecond, and (pcapng) the comments', () => {
    const read = readCaptureBytes(bytes);
    expect(read).toHaveLength(3);
    read.forEach((packet, i) => {
      expect(packet.linkType).toBe(LINKTYPE.RAW);
      expect(Buffer.from(packet.data)).toEqual(Buffer.from(packets[i].data));
      expect(packet.timestampMs).toBeCloseTo(packets[i].timestampMs, 3);
    });
    expect(read[0].comment).toBe(format === 'pcapng' ? 'Trunkline: SIP over TLS' : undefined);
  });

  it.each([1, 3, 7, 64, 4096])('reads the same packets when the bytes arrive in %i-byte chunks', (size) => {
    const parser = new CaptureFileParser();
    const read = [];
    for (let offset = 0; offset < bytes.length; offset += size)
      read.push(...parser.push(bytes.subarray(offset, offset + size)));
    parser.end();
    expect(read.map((p) => p.data.length)).toEqual(packets.map((p) => p.data.length));
    expect(parser.format).toBe(format);
  });
});

describe('PcapRecorder', () => {
  it('writes SIP records as UDP between the real ends, commented for TCP, TLS and retransmissions', () => {
    const sink = new MemoryPcapSink();
    const recorder = new PcapRecorder(sink);
    const base = {
      wallTimeMs: T0_MS,
      monotonicTimeMs: 500,
      local: { address: '127.0.0.1', port: 5070 },
      remote: { address: '127.0.0.1', port: 5061 },
    };
    recorder.writeSip({
      ...base,
      direction: 'sent',
      transport: 'tls',
      bytes: Buffer.from('INVITE sip:x SIP/2.0\r\n\r\n'),
    });
    recorder.writeSip({
      ...base,
      monotonicTimeMs: 500.25,
      direction: 'received',
      transport: 'tcp',
      bytes: Buffer.from('b'),
    });
    recorder.writeSip({
      ...base,
      monotonicTimeMs: 501,
      direction: 'sent',
      transport: 'udp',
      retransmission: true,
      bytes: Buffer.from('c'),
    });
    recorder.writeMedia({
      kind: 'rtp',
      direction: 'received',
      wallTimeMs: T0_MS,
      monotonicTimeMs: 9,
      local: base.local,
      remote: base.remote,
      bytes: Buffer.from('d'),
      srtp: true,
    });
    const read = readCaptureBytes(sink.bytes());
    expect(recorder.packets).toBe(4);
    const segments = read.map((p) => decodePacket(p.linkType, p.data));
    expect(
      segments.map((s) => (s.ok ? `${s.segment.source.port}>${s.segment.destination.port}` : 'x')),
    ).toEqual(['5070>5061', '5061>5070', '5070>5061', '5061>5070']);
    expect(read.map((p) => p.comment)).toEqual([
      expect.stringContaining('SIP over TLS, shown decrypted'),
      expect.stringContaining('SIP over TCP'),
      'Trunkline: retransmission',
      expect.stringContaining('SRTP, exported decrypted'),
    ]);
    // Sub-millisecond order from the monotonic clock on top of the first record's wall time.
    expect(read[1].timestampMs - read[0].timestampMs).toBeCloseTo(0.25, 3);
  });

  it.each([false, true])(
    'masks SDES keys in exported SIP unless asked to keep them (keep: %s)',
    (keepSdpKeys) => {
      const sink = new MemoryPcapSink();
      const recorder = new PcapRecorder(sink, { keepSdpKeys });
      const key = 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz';
      const text = `INVITE sip:x SIP/2.0\r\nContent-Length: 58\r\n\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:${key}|2^31\r\n`;
      const local = { address: '127.0.0.1', port: 1 };
      recorder.writeSip({
        wallTimeMs: T0_MS,
        monotonicTimeMs: 0,
        direction: 'sent',
        transport: 'udp',
        local,
        remote: local,
        bytes: Buffer.from(text),
      });
      const [packet] = readCaptureBytes(sink.bytes());
      const payload = Buffer.from(packet.data.subarray(28)).toString('latin1');
      expect(payload.length).toBe(text.length);
      if (keepSdpKeys) expect(payload).toBe(text);
      else {
        expect(payload).toBe(text.replace(key, 'X'.repeat(key.length)));
        expect(packet.comment).toContain('SRTP keys in the SDP masked');
      }
    },
  );
});
