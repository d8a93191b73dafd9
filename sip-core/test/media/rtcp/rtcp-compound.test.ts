import { describe, expect, it } from 'vitest';
import {
  type RtcpPacket,
  parseRtcpCompound,
  serializeRtcpCompound,
} from '../../../src/media/rtcp/rtcp-compound.js';
import { SDES_ITEM_TYPE, cnameOf } from '../../../src/media/rtcp/rtcp-source-description.js';
import { hex } from '../../support/hex.js';

const SR = hex(`
  81c8000c 11223344 e5a1b2c3 80000000 00003e80 00000064 00003e80
  55667788 40000005 0001000a 00000012 b2c38000 00010000`);
const SDES = hex('81ca0004 11223344 0109 7472756e6b6c696e65 00');
const BYE = hex('81cb0002 11223344 03 627965');
const COMPOUND = Buffer.concat([SR, SDES, BYE]);

const PACKETS: RtcpPacket[] = [
  {
    kind: 'sender-report',
    ssrc: 0x1122_3344,
    sender: {
      ntpSeconds: 0xe5a1_b2c3,
      ntpFraction: 0x8000_0000,
      rtpTimestamp: 16000,
      packetCount: 100,
      octetCount: 16000,
    },
    reportBlocks: [
      {
        ssrc: 0x5566_7788,
        fractionLost: 0x40,
        cumulativeLost: 5,
        extendedHighestSequence: 0x1_000a,
        jitter: 18,
        lastSenderReport: 0xb2c3_8000,
        delaySinceLastSenderReport: 0x1_0000,
      },
    ],
    profileExtension: undefined,
  },
  {
    kind: 'source-description',
    chunks: [{ ssrc: 0x1122_3344, items: [{ type: SDES_ITEM_TYPE.CNAME, text: 'trunkline' }] }],
  },
  { kind: 'goodbye', ssrcs: [0x1122_3344], reason: 'bye' },
];

function parsed(data: Uint8Array): readonly RtcpPacket[] {
  const result = parseRtcpCompound(data);
  if (!result.ok) throw new Error(result.reason);
  return result.packets;
}

describe('compound RTCP (RFC 3550 §6)', () => {
  it('parses SR + SDES + BYE from known bytes', () => {
    expect(parsed(COMPOUND)).toEqual(PACKETS);
    expect(cnameOf(parsed(SDES)[0] as never, 0x1122_3344)).toBe('trunkline');
  });

  it('serializes the same packets to the same bytes', () => {
    expect(serializeRtcpCompound(PACKETS).equals(COMPOUND)).toBe(true);
  });

  it('round-trips an RR with a negative cumulative loss, two blocks and a profile extension', () => {
    const rr: RtcpPacket = {
      kind: 'receiver-report',
      ssrc: 9,
      reportBlocks: [1, 2].map((ssrc) => ({
        ssrc,
        fractionLost: 255,
        cumulativeLost: -3,
        extendedHighestSequence: 0xffff_ffff,
        jitter: 0,
        lastSenderReport: 0,
        delaySinceLastSenderReport: 0,
      })),
      profileExtension: hex('deadbeef'),
    };
    const bytes = serializeRtcpCompound([rr]);
    expect(bytes.subarray(0, 4).toString('hex')).toBe('82c9000e');
    expect(bytes.subarray(12, 16).toString('hex')).toBe('fffffffd');
    const [back] = parsed(bytes);
    expect(back).toMatchObject({ kind: 'receiver-report', ssrc: 9, reportBlocks: rr.reportBlocks });
    expect(Buffer.from((back as { profileExtension: Uint8Array }).profileExtension).toString('hex')).toBe(
      'deadbeef',
    );
  });

  it('round-trips SDES chunks of every padding length and several items', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'ünïcödé']) {
      const sdes: RtcpPacket = {
        kind: 'source-description',
        chunks: [
          {
            ssrc: 1,
            items: [
              { type: SDES_ITEM_TYPE.CNAME, text },
              { type: SDES_ITEM_TYPE.TOOL, text: 'trunkline' },
            ],
          },
          { ssrc: 2, items: [] },
        ],
      };
      const bytes = serializeRtcpCompound([sdes]);
      expect(bytes.length % 4).toBe(0);
      expect(parsed(bytes)).toEqual([sdes]);
    }
  });

  it('round-trips BYE without a reason and with several sources', () => {
    const bye: RtcpPacket = { kind: 'goodbye', ssrcs: [1, 2, 3], reason: undefined };
    expect(serializeRtcpCompound([bye]).toString('hex')).toBe('83cb0003000000010000000200000003');
    expect(parsed(serializeRtcpCompound([bye]))).toEqual([bye]);
  });

  it('keeps packet types it does not interpret (APP) whole', () => {
    const app = hex('81cc0003 11223344 6e616d65 64617461');
    const [packet] = parsed(Buffer.concat([SR, app]).subarray(0)).slice(1);
    expect(packet).toMatchObject({ kind: 'other', packetType: 204, count: 1 });
    expect(serializeRtcpCompound(parsed(Buffer.concat([SR, app]))).equals(Buffer.concat([SR, app]))).toBe(
      true,
    );
  });

  it('honours padding on the last packet', () => {
    const padded = hex('a0c90002 11223344 00000004');
    expect(parsed(padded)).toEqual([
      { kind: 'receiver-report', ssrc: 0x1122_3344, reportBlocks: [], profileExtension: undefined },
    ]);
  });

  // [what, datagram, reason]
  const bad: Array<[string, Buffer, string]> = [
    ['empty', Buffer.alloc(0), 'truncated'],
    ['shorter than a header', hex('80c9'), 'truncated'],
    ['version 1', hex('40c90001 11223344'), 'wrong-version'],
    ['a length beyond the datagram', hex('80c90005 11223344'), 'bad-length'],
    ['trailing octets after the last packet', Buffer.concat([BYE, hex('00')]), 'truncated'],
    ['a second packet of the wrong version', Buffer.concat([BYE, hex('00cb0000')]), 'wrong-version'],
    [
      'a report count larger than the packet',
      hex('82c90007 11223344 00000000 00000000 00000000 00000000 00000000 00000000'),
      'malformed',
    ],
    ['an SDES item running past the packet', hex('81ca0002 11223344 0109 7472'), 'malformed'],
    ['an SDES chunk without its end octet', hex('81ca0002 11223344 01027472'), 'malformed'],
    ['a BYE reason longer than the packet', hex('81cb0002 11223344 09627965'), 'malformed'],
    ['a padding count of 0', hex('a0c90001 11223300'), 'bad-padding'],
    ['a padding count larger than the packet', hex('a0c90001 11223309'), 'bad-padding'],
  ];
  it.each(bad)('drops %s as %s without throwing', (_what, datagram, reason) => {
    expect(parseRtcpCompound(datagram)).toEqual({ ok: false, reason });
  });
});
