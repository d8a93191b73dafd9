// Synthetic IPv4/IPv6 + UDP headers around a payload, for the PCAP writer's LINKTYPE_RAW packets. Checksums are
// computed (not zero), so that Wireshark shows no checksum warnings and tools that verify them accept the file.
//
// IPv4 header (RFC 791 §3.1), 20 bytes, no options:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-------+-------+---------------+-------------------------------+
//   |Version|  IHL  |      TOS      |         Total Length          |  0
//   +-------+-------+---------------+-----+-------------------------+
//   |        Identification         |Flags|    Fragment Offset      |  4
//   +---------------+---------------+-----+-------------------------+
//   |      TTL      |   Protocol    |        Header Checksum        |  8
//   +---------------+---------------+-------------------------------+
//   |                        Source Address                         | 12
//   +---------------------------------------------------------------+
//   |                     Destination Address                       | 16
//   +---------------------------------------------------------------+
//
// IPv6 header (RFC 8200 §3), 40 bytes: version/class/flow (4), payload length (2), next header (1), hop limit (1),
// source (16), destination (16).
//
// UDP header (RFC 768), 8 bytes: source port, destination port, length, checksum — the checksum covering a
// pseudo-header of both addresses, the protocol and the UDP length.

import ipaddr from 'ipaddr.js';
import { addChecksumWords, finishChecksum } from './internet-checksum.js';
import { PcapError } from './pcap-error.js';

const IPV4_HEADER_BYTES = 20;
const IPV6_HEADER_BYTES = 40;
const UDP_HEADER_BYTES = 8;
const IPPROTO_UDP = 17;
const DEFAULT_TTL = 64;
const IPV4_DONT_FRAGMENT = 0x4000;

/** The largest UDP payload one IPv4 packet can carry (65535 − 20 − 8); IPv6 allows 65535 − 8 without jumbograms. */
export const MAX_UDP_PAYLOAD_BYTES = 65_535 - IPV4_HEADER_BYTES - UDP_HEADER_BYTES;

export interface UdpEndpointAddress {
  readonly address: string;
  readonly port: number;
}

/** The bytes of an IP address; IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, Node's dual-stack form) become IPv4. */
export function addressBytes(address: string): Uint8Array {
  if (!ipaddr.isValid(address)) {
    throw new PcapError(
      'PCAP_WRITE_FAILED',
      `'${address}' is not an IP address; a PCAP needs numeric addresses.`,
    );
  }
  const parsed = ipaddr.process(address);
  return Uint8Array.from(parsed.toByteArray());
}

/**
 * One IP packet carrying one UDP datagram from `source` to `destination`. Both addresses must be of the same family
 * (after unmapping IPv4-mapped ones); a payload above `MAX_UDP_PAYLOAD_BYTES` is cut to it.
 */
export function buildIpUdpPacket(
  source: UdpEndpointAddress,
  destination: UdpEndpointAddress,
  payload: Uint8Array,
  identification = 0,
): Uint8Array {
  const src = addressBytes(source.address);
  const dst = addressBytes(destination.address);
  if (src.length !== dst.length) {
    throw new PcapError(
      'PCAP_WRITE_FAILED',
      `Cannot write a packet from ${source.address} to ${destination.address}: the address families differ.`,
    );
  }
  const body = payload.length > MAX_UDP_PAYLOAD_BYTES ? payload.subarray(0, MAX_UDP_PAYLOAD_BYTES) : payload;
  const udpLength = UDP_HEADER_BYTES + body.length;
  const ipHeaderBytes = src.length === 4 ? IPV4_HEADER_BYTES : IPV6_HEADER_BYTES;
  const packet = new Uint8Array(ipHeaderBytes + udpLength);
  const view = new DataView(packet.buffer);
  if (src.length === 4) {
    view.setUint8(0, 0x45);
    view.setUint16(2, packet.length);
    view.setUint16(4, identification & 0xffff);
    view.setUint16(6, IPV4_DONT_FRAGMENT);
    view.setUint8(8, DEFAULT_TTL);
    view.setUint8(9, IPPROTO_UDP);
    packet.set(src, 12);
    packet.set(dst, 16);
    view.setUint16(10, finishChecksum(addChecksumWords(0, packet.subarray(0, IPV4_HEADER_BYTES))));
  } else {
    view.setUint32(0, 0x6000_0000);
    view.setUint16(4, udpLength);
    view.setUint8(6, IPPROTO_UDP);
    view.setUint8(7, DEFAULT_TTL);
    packet.set(src, 8);
    packet.set(dst, 24);
  }
  const udp = ipHeaderBytes;
  view.setUint16(udp, source.port);
  view.setUint16(udp + 2, destination.port);
  view.setUint16(udp + 4, udpLength);
  packet.set(body, udp + UDP_HEADER_BYTES);
  let sum = addChecksumWords(0, src);
  sum = addChecksumWords(sum, dst);
  sum += IPPROTO_UDP + udpLength;
  sum = addChecksumWords(sum, packet.subarray(udp, udp + udpLength));
  // RFC 768: a computed zero is sent as all ones (zero means "no checksum", which IPv6 forbids).
  view.setUint16(udp + 6, finishChecksum(sum) || 0xffff);
  return packet;
}
