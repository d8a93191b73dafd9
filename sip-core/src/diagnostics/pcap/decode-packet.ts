// From a captured frame to a UDP datagram or TCP segment: strips the link layer (Ethernet with VLAN tags, Linux
// cooked v1/v2, BSD loopback, raw IP), then IPv4 (RFC 791) or IPv6 (RFC 8200, skipping extension headers), then
// UDP (RFC 768) or TCP (RFC 9293). Never throws: a frame it cannot use comes back as a reason, which the analysis
// counts. IP fragments are not reassembled (SIP over UDP rarely fragments on the paths Trunkline sees; a
// fragmented message is counted as `ip-fragment` rather than misread).
//
// Link headers (offset of the protocol field → start of IP):
//   Ethernet     dst(6) src(6) ethertype(2) [802.1Q/802.1ad: tag(4) ethertype(2)]...      → 14 (+4 per tag)
//   Linux SLL    packet type(2) ARPHRD(2) addr len(2) addr(8) protocol(2)                  → 16
//   Linux SLL2   protocol(2) reserved(2) ifindex(4) ARPHRD(2) type(1) addr len(1) addr(8)  → 20
//   BSD NULL     family(4, the writer's byte order: 2 = IPv4; 24, 28, 30 = IPv6)          → 4
//   Raw          the IP header itself (version nibble)                                     → 0
//
// TCP header (RFC 9293 §3.1): ports (4), sequence (4), acknowledgment (4), data offset (4 bits) + flags, window,
// checksum, urgent pointer, options up to data offset × 4.

import ipaddr from 'ipaddr.js';
import { LINKTYPE } from './link-types.js';

export interface SegmentAddress {
  readonly address: string;
  readonly port: number;
}

export type DecodedSegment =
  | {
      readonly protocol: 'udp';
      readonly source: SegmentAddress;
      readonly destination: SegmentAddress;
      readonly payload: Uint8Array;
    }
  | {
      readonly protocol: 'tcp';
      readonly source: SegmentAddress;
      readonly destination: SegmentAddress;
      readonly sequence: number;
      readonly syn: boolean;
      readonly fin: boolean;
      readonly rst: boolean;
      readonly payload: Uint8Array;
    };

export type DecodeSkipReason =
  'unsupported-link-type' | 'not-ip' | 'truncated' | 'ip-fragment' | 'not-udp-or-tcp';

export type DecodeResult =
  | { readonly ok: true; readonly segment: DecodedSegment }
  | { readonly ok: false; readonly reason: DecodeSkipReason };

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = 0x8100;
const ETHERTYPE_QINQ = 0x88a8;
const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;
const IPV6_HOP_BY_HOP = 0;
const IPV6_ROUTING = 43;
const IPV6_FRAGMENT = 44;
const IPV6_DESTINATION_OPTIONS = 60;
const BSD_AF_INET = 2;
const BSD_AF_INET6 = new Set([10, 24, 28, 30]);

const skip = (reason: DecodeSkipReason): DecodeResult => ({ ok: false, reason });

export function decodePacket(linkType: number, frame: Uint8Array): DecodeResult {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      let offset = 12;
      for (;;) {
        if (frame.length < offset + 2) return skip('truncated');
        const etherType = view.getUint16(offset);
        if (etherType !== ETHERTYPE_VLAN && etherType !== ETHERTYPE_QINQ) {
          return byEtherType(etherType, frame.subarray(offset + 2));
        }
        offset += 4;
      }
    }
    case LINKTYPE.LINUX_SLL:
      if (frame.length < 16) return skip('truncated');
      return byEtherType(view.getUint16(14), frame.subarray(16));
    case LINKTYPE.LINUX_SLL2:
      if (frame.length < 20) return skip('truncated');
      return byEtherType(view.getUint16(0), frame.subarray(20));
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (frame.length < 4) return skip('truncated');
      // DLT_NULL is in the capturing host's byte order: whichever reading gives a small number is right.
      const big = view.getUint32(0, false);
      const family = linkType === LINKTYPE.LOOP || big < 256 ? big : view.getUint32(0, true);
      if (family === BSD_AF_INET) return decodeIpv4(frame.subarray(4));
      if (BSD_AF_INET6.has(family)) return decodeIpv6(frame.subarray(4));
      return skip('not-ip');
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_BSD_12:
    case LINKTYPE.RAW_BSD_14:
    case LINKTYPE.IPV4:
    case LINKTYPE.IPV6:
      return decodeIp(frame);
    default:
      return skip('unsupported-link-type');
  }
}

function byEtherType(etherType: number, packet: Uint8Array): DecodeResult {
  if (etherType === ETHERTYPE_IPV4) return decodeIpv4(packet);
  if (etherType === ETHERTYPE_IPV6) return decodeIpv6(packet);
  return skip('not-ip');
}

function decodeIp(packet: Uint8Array): DecodeResult {
  if (packet.length < 1) return skip('truncated');
  const version = packet[0] >> 4;
  if (version === 4) return decodeIpv4(packet);
  if (version === 6) return decodeIpv6(packet);
  return skip('not-ip');
}

function decodeIpv4(packet: Uint8Array): DecodeResult {
  if (packet.length < 20 || packet[0] >> 4 !== 4)
    return packet.length < 20 ? skip('truncated') : skip('not-ip');
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const headerBytes = (packet[0] & 0x0f) * 4;
  const totalLength = view.getUint16(2);
  if (headerBytes < 20 || packet.length < headerBytes) return skip('truncated');
  const flagsAndOffset = view.getUint16(6);
  const moreFragments = (flagsAndOffset & 0x2000) !== 0;
  if (moreFragments || (flagsAndOffset & 0x1fff) !== 0) return skip('ip-fragment');
  // A total length of 0 appears with TCP segmentation offload: trust the captured bytes then.
  const end = totalLength >= headerBytes ? Math.min(totalLength, packet.length) : packet.length;
  const source = formatIpv4(packet.subarray(12, 16));
  const destination = formatIpv4(packet.subarray(16, 20));
  return decodeTransport(view.getUint8(9), packet.subarray(headerBytes, end), source, destination);
}

function decodeIpv6(packet: Uint8Array): DecodeResult {
  if (packet.length < 40) return skip('truncated');
  if (packet[0] >> 4 !== 6) return skip('not-ip');
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const payloadLength = view.getUint16(4);
  const end = Math.min(40 + payloadLength, packet.length);
  let next = view.getUint8(6);
  let offset = 40;
  while (next === IPV6_HOP_BY_HOP || next === IPV6_ROUTING || next === IPV6_DESTINATION_OPTIONS) {
    if (end < offset + 8) return skip('truncated');
    const length = (view.getUint8(offset + 1) + 1) * 8;
    next = view.getUint8(offset);
    offset += length;
  }
  if (next === IPV6_FRAGMENT) return skip('ip-fragment');
  if (offset > end) return skip('truncated');
  const source = formatIpv6(packet.subarray(8, 24));
  const destination = formatIpv6(packet.subarray(24, 40));
  return decodeTransport(next, packet.subarray(offset, end), source, destination);
}

function decodeTransport(
  protocol: number,
  segment: Uint8Array,
  source: string,
  destination: string,
): DecodeResult {
  const view = new DataView(segment.buffer, segment.byteOffset, segment.byteLength);
  if (protocol === IPPROTO_UDP) {
    if (segment.length < 8) return skip('truncated');
    const length = view.getUint16(4);
    // A length below the header is nonsense; one beyond the bytes means the capture was cut (snap length).
    const end = length >= 8 ? Math.min(length, segment.length) : segment.length;
    return {
      ok: true,
      segment: {
        protocol: 'udp',
        source: { address: source, port: view.getUint16(0) },
        destination: { address: destination, port: view.getUint16(2) },
        payload: segment.subarray(8, end),
      },
    };
  }
  if (protocol === IPPROTO_TCP) {
    if (segment.length < 20) return skip('truncated');
    const dataOffset = (segment[12] >> 4) * 4;
    if (dataOffset < 20 || dataOffset > segment.length) return skip('truncated');
    const flags = segment[13];
    return {
      ok: true,
      segment: {
        protocol: 'tcp',
        source: { address: source, port: view.getUint16(0) },
        destination: { address: destination, port: view.getUint16(2) },
        sequence: view.getUint32(4),
        fin: (flags & 0x01) !== 0,
        syn: (flags & 0x02) !== 0,
        rst: (flags & 0x04) !== 0,
        payload: segment.subarray(dataOffset),
      },
    };
  }
  return skip('not-udp-or-tcp');
}

function formatIpv4(bytes: Uint8Array): string {
  return `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
}

function formatIpv6(bytes: Uint8Array): string {
  return ipaddr.fromByteArray(Array.from(bytes)).toString();
}
