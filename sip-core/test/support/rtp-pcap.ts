// Just enough PCAP to hand RTP packets to tshark in tests: a classic libpcap file of Ethernet/IPv4/UDP frames
// from 127.0.0.1 to 127.0.0.1, and a 12-byte RTP header (RFC 3550 §5.1) in front of each payload. Checksums
// are left zero, which tshark accepts (it does not verify them by default).

export interface RtpForPcap {
  readonly atMs: number;
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequence: number;
  readonly timestamp: number;
  readonly ssrc: number;
  readonly payload: Uint8Array;
}

const LINKTYPE_ETHERNET = 1;

export function rtpPcap(packets: RtpForPcap[], sourcePort = 40000, destinationPort = 40002): Buffer {
  const global = Buffer.alloc(24);
  global.writeUInt32LE(0xa1b2c3d4, 0);
  global.writeUInt16LE(2, 4);
  global.writeUInt16LE(4, 6);
  global.writeUInt32LE(65535, 16);
  global.writeUInt32LE(LINKTYPE_ETHERNET, 20);
  const records = packets.map((p) => {
    const rtp = Buffer.alloc(12 + p.payload.length);
    rtp[0] = 0x80;
    rtp[1] = (p.marker ? 0x80 : 0) | p.payloadType;
    rtp.writeUInt16BE(p.sequence & 0xffff, 2);
    rtp.writeUInt32BE(p.timestamp >>> 0, 4);
    rtp.writeUInt32BE(p.ssrc >>> 0, 8);
    Buffer.from(p.payload).copy(rtp, 12);
    const udp = Buffer.alloc(8);
    udp.writeUInt16BE(sourcePort, 0);
    udp.writeUInt16BE(destinationPort, 2);
    udp.writeUInt16BE(8 + rtp.length, 4);
    const ip = Buffer.alloc(20);
    ip[0] = 0x45;
    ip.writeUInt16BE(20 + udp.length + rtp.length, 2);
    ip[8] = 64;
    ip[9] = 17;
    ip.writeUInt32BE(0x7f000001, 12);
    ip.writeUInt32BE(0x7f000001, 16);
    const ethernet = Buffer.alloc(14);
    ethernet.writeUInt16BE(0x0800, 12);
    const frame = Buffer.concat([ethernet, ip, udp, rtp]);
    const header = Buffer.alloc(16);
    header.writeUInt32LE(Math.floor(p.atMs / 1000), 0);
    header.writeUInt32LE(Math.round((p.atMs % 1000) * 1000), 4);
    header.writeUInt32LE(frame.length, 8);
    header.writeUInt32LE(frame.length, 12);
    return Buffer.concat([header, frame]);
  });
  return Buffer.concat([global, ...records]);
}
