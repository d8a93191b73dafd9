import { describe, expect, it } from 'vitest';
import {
  buildIpUdpPacket,
  CaptureFileParser,
  decodePacket,
  LINKTYPE,
  MAX_BLOCK_BYTES,
  PcapError,
  readCaptureBytes,
} from '../../../src/diagnostics/pcap/index.js';
import { expectErrorCode } from '../../support/expect-error-code.js';
import { seededRandom } from '../../support/seeded-random.js';

const ip = buildIpUdpPacket(
  { address: '10.0.0.1', port: 5060 },
  { address: '10.0.0.2', port: 5080 },
  Buffer.from('SIP'),
);

/** A classic pcap with one packet, in the given byte order and timestamp precision. */
function classic(options: { bigEndian: boolean; nanoseconds: boolean; linkType: number; frame: Uint8Array }) {
  const le = !options.bigEndian;
  const header = Buffer.alloc(24);
  header.writeUInt32BE(options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  if (le) header.writeUInt32LE(options.nanoseconds ? 0xa1b23c4d : 0xa1b2c3d4, 0);
  const u16 = (v: number, o: number, b: Buffer) => (le ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o));
  const u32 = (v: number, o: number, b: Buffer) => (le ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  u16(2, 4, header);
  u16(4, 6, header);
  u32(65535, 16, header);
  u32(options.linkType, 20, header);
  const record = Buffer.alloc(16);
  u32(1_700_000_000, 0, record);
  u32(options.nanoseconds ? 123_456_789 : 123_456, 4, record);
  u32(options.frame.length, 8, record);
  u32(options.frame.length, 12, record);
  return Buffer.concat([header, record, options.frame]);
}

/** pcapng blocks by hand, big-endian or little-endian. */
function block(le: boolean, type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const out = Buffer.alloc(12 + padded.length);
  const u32 = (v: number, o: number) => (le ? out.writeUInt32LE(v, o) : out.writeUInt32BE(v, o));
  u32(type, 0);
  u32(out.length, 4);
  padded.copy(out, 8);
  u32(out.length, out.length - 4);
  return out;
}

function pcapng(
  le: boolean,
  options: { tsresol?: number; linkType?: number; frames: Uint8Array[]; extra?: Buffer[] },
) {
  const u16 = (v: number) => {
    const b = Buffer.alloc(2);
    if (le) b.writeUInt16LE(v);
    else b.writeUInt16BE(v);
    return b;
  };
  const u32 = (v: number) => {
    const b = Buffer.alloc(4);
    if (le) b.writeUInt32LE(v);
    else b.writeUInt32BE(v);
    return b;
  };
  const shb = block(le, 0x0a0d0d0a, Buffer.concat([u32(0x1a2b3c4d), u16(1), u16(0), Buffer.alloc(8, 0xff)]));
  const tsOption =
    options.tsresol !== undefined
      ? Buffer.concat([u16(9), u16(1), Buffer.from([options.tsresol, 0, 0, 0]), u16(0), u16(0)])
      : Buffer.alloc(0);
  const idb = block(le, 1, Buffer.concat([u16(options.linkType ?? LINKTYPE.RAW), u16(0), u32(0), tsOption]));
  const ticks = options.tsresol === 9 ? 1_700_000_000_123_456_789n : 1_700_000_000_123_456n;
  const epbs = options.frames.map((frame) =>
    block(
      le,
      6,
      Buffer.concat([
        u32(0),
        u32(Number(ticks >> 32n)),
        u32(Number(ticks & 0xffffffffn)),
        u32(frame.length),
        u32(frame.length),
        Buffer.from(frame),
        Buffer.alloc((4 - (frame.length % 4)) % 4),
      ]),
    ),
  );
  const spb = block(le, 3, Buffer.concat([u32(options.frames[0].length), Buffer.from(options.frames[0])]));
  return Buffer.concat([shb, idb, ...(options.extra ?? []), ...epbs, spb]);
}

describe('reading captures other tools write', () => {
  it.each([
    { bigEndian: false, nanoseconds: false },
    { bigEndian: true, nanoseconds: false },
    { bigEndian: false, nanoseconds: true },
    { bigEndian: true, nanoseconds: true },
  ])('classic pcap %o', (variant) => {
    const [packet] = readCaptureBytes(classic({ ...variant, linkType: LINKTYPE.RAW, frame: ip }));
    expect(Buffer.from(packet.data)).toEqual(Buffer.from(ip));
    const fraction = variant.nanoseconds ? 123.456789 : 123.456;
    expect(packet.timestampMs).toBeCloseTo(1_700_000_000_000 + fraction, 4);
  });

  it.each([true, false])(
    'pcapng (little-endian %s) with if_tsresol, simple packet blocks and unknown blocks',
    (le) => {
      const unknown = block(le, 0x00000bad, Buffer.from('vendor data'));
      const packets = readCaptureBytes(pcapng(le, { tsresol: 9, frames: [ip, ip], extra: [unknown] }));
      expect(packets).toHaveLength(3);
      expect(packets[0].timestampMs - 1_700_000_000_123).toBeCloseTo(0.456789, 4);
      // The simple packet block has no time of its own: it takes the previous packet's.
      expect(packets[2].timestampMs).toBe(packets[1].timestampMs);
      expect(packets.every((p) => Buffer.from(p.data).equals(Buffer.from(ip)))).toBe(true);
    },
  );

  it('reads several sections, each with its own byte order', () => {
    const file = Buffer.concat([pcapng(true, { frames: [ip] }), pcapng(false, { frames: [ip] })]);
    expect(readCaptureBytes(file)).toHaveLength(4);
  });
});

describe('decodePacket link types', () => {
  const ethernet = (etherType: number, payload: Uint8Array, vlan = false) =>
    Buffer.concat([
      Buffer.alloc(12),
      ...(vlan ? [Buffer.from([0x81, 0x00, 0x00, 0x05])] : []),
      Buffer.from([etherType >> 8, etherType & 0xff]),
      payload,
    ]);
  const sll = Buffer.concat([Buffer.alloc(14), Buffer.from([0x08, 0x00]), ip]);
  const sll2 = Buffer.concat([Buffer.from([0x08, 0x00]), Buffer.alloc(18), ip]);
  const nullLe = Buffer.concat([Buffer.from([2, 0, 0, 0]), ip]);
  const nullBe = Buffer.concat([Buffer.from([0, 0, 0, 2]), ip]);
  const v6 = buildIpUdpPacket(
    { address: 'fe80::1', port: 5060 },
    { address: 'fe80::2', port: 5062 },
    Buffer.from('x'),
  );
  it.each([
    ['Ethernet', LINKTYPE.ETHERNET, ethernet(0x0800, ip)],
    ['Ethernet + 802.1Q', LINKTYPE.ETHERNET, ethernet(0x0800, ip, true)],
    ['Linux SLL', LINKTYPE.LINUX_SLL, sll],
    ['Linux SLL2', LINKTYPE.LINUX_SLL2, sll2],
    ['BSD null (little-endian)', LINKTYPE.NULL, nullLe],
    ['BSD null (big-endian)', LINKTYPE.NULL, nullBe],
    ['raw', LINKTYPE.RAW, ip],
    ['IPv4', LINKTYPE.IPV4, ip],
  ])('%s', (_name, linkType, frame) => {
    expect(decodePacket(linkType, frame)).toMatchObject({
      ok: true,
      segment: {
        protocol: 'udp',
        source: { address: '10.0.0.1', port: 5060 },
        destination: { address: '10.0.0.2', port: 5080 },
      },
    });
  });

  it('IPv6 on Ethernet', () => {
    expect(decodePacket(LINKTYPE.ETHERNET, ethernet(0x86dd, v6))).toMatchObject({
      ok: true,
      segment: { source: { address: 'fe80::1', port: 5060 }, destination: { address: 'fe80::2' } },
    });
  });

  it.each([
    ['an unknown link type', 147, ip, 'unsupported-link-type'],
    ['ARP', LINKTYPE.ETHERNET, ethernet(0x0806, Buffer.alloc(28)), 'not-ip'],
    ['a cut IPv4 header', LINKTYPE.RAW, ip.subarray(0, 10), 'truncated'],
    [
      'an IPv4 fragment',
      LINKTYPE.RAW,
      Buffer.concat([ip.subarray(0, 6), Buffer.from([0x20, 0x00]), ip.subarray(8)]),
      'ip-fragment',
    ],
    [
      'ICMP',
      LINKTYPE.RAW,
      Buffer.concat([ip.subarray(0, 9), Buffer.from([1]), ip.subarray(10)]),
      'not-udp-or-tcp',
    ],
  ])('skips %s with a reason', (_name, linkType, frame, reason) => {
    expect(decodePacket(linkType, frame as Uint8Array)).toEqual({ ok: false, reason });
  });
});

describe('hostile and damaged files', () => {
  const good = pcapng(true, { frames: [ip, ip] });
  const goodClassic = classic({ bigEndian: false, nanoseconds: false, linkType: LINKTYPE.RAW, frame: ip });

  it('names an empty file, a foreign file and a truncated one', () => {
    expectErrorCode(() => readCaptureBytes(Buffer.alloc(0)), 'PCAP_NOT_A_CAPTURE');
    const foreign = expectErrorCode(
      () => readCaptureBytes(Buffer.from('GIF89a, not a capture at all')),
      'PCAP_NOT_A_CAPTURE',
    );
    expect(foreign.message).toContain('0x47494638');
    const cut = expectErrorCode(() => readCaptureBytes(good.subarray(0, good.length - 5)), 'PCAP_TRUNCATED');
    expect(cut.message).toMatch(/offset \d+/);
  });

  it('refuses a length field that lies, before allocating for it', () => {
    const lying = Buffer.from(goodClassic);
    lying.writeUInt32LE(0xfffffff0, 24 + 8);
    expectErrorCode(() => readCaptureBytes(lying), 'PCAP_BAD_LENGTH');
    const block = Buffer.from(good);
    block.writeUInt32LE(MAX_BLOCK_BYTES + 4, 4);
    expectErrorCode(() => readCaptureBytes(block), 'PCAP_BAD_LENGTH');
  });

  it('throws nothing but PcapError for every truncation of valid files', () => {
    for (const file of [good, goodClassic]) {
      for (let end = 0; end < file.length; end++) {
        try {
          readCaptureBytes(file.subarray(0, end));
        } catch (error) {
          expect(error).toBeInstanceOf(PcapError);
        }
      }
    }
  });

  it('throws nothing but PcapError for random bytes and random corruptions (seeded)', () => {
    const random = seededRandom(0x7a11);
    const byte = () => Math.floor(random() * 256);
    for (let round = 0; round < 2000; round++) {
      let bytes: Buffer;
      if (round % 2 === 0) {
        bytes = Buffer.from(Array.from({ length: Math.floor(random() * 200) }, byte));
        // Half of the random files start like a capture, so that the fuzzing gets past the magic number.
        if (round % 4 === 0)
          (round % 8 === 0 ? good : goodClassic).copy(bytes, 0, 0, Math.min(bytes.length, 28));
      } else {
        bytes = Buffer.from(round % 3 === 0 ? goodClassic : good);
        for (let i = 0; i < 1 + Math.floor(random() * 4); i++)
          bytes[Math.floor(random() * bytes.length)] = byte();
      }
      try {
        const parser = new CaptureFileParser();
        for (const packet of parser.push(bytes)) decodePacket(packet.linkType, packet.data);
        parser.end();
      } catch (error) {
        expect(error, `round ${round}`).toBeInstanceOf(PcapError);
      }
    }
  });
});
