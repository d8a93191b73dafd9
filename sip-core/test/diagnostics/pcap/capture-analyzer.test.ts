import { describe, expect, it } from 'vitest';
import {
  analyzeCaptureBytes,
  buildIpUdpPacket,
  CaptureAnalyzer,
  LINKTYPE,
  MemoryPcapSink,
  PcapRecorder,
  TcpSipReassembler,
} from '../../../src/diagnostics/pcap/index.js';
import { flowInputs, offerSdp, rejectedFlow, sipText } from '../../support/call-flows.js';
import { seededRandom } from '../../support/seeded-random.js';

const A = { address: '192.0.2.10', port: 5070 };
const B = { address: '192.0.2.20', port: 5060 };

/** An IPv4 + TCP segment (checksums left zero: the reader does not verify them, as tshark does not by default). */
function tcpPacket(
  source: typeof A,
  destination: typeof A,
  sequence: number,
  payload: Uint8Array,
  flags = 0x18,
) {
  const tcp = Buffer.alloc(20);
  tcp.writeUInt16BE(source.port, 0);
  tcp.writeUInt16BE(destination.port, 2);
  tcp.writeUInt32BE(sequence >>> 0, 4);
  tcp[12] = 5 << 4;
  tcp[13] = flags;
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip.writeUInt16BE(20 + 20 + payload.length, 2);
  ip[8] = 64;
  ip[9] = 6;
  Buffer.from(source.address.split('.').map(Number)).copy(ip, 12);
  Buffer.from(destination.address.split('.').map(Number)).copy(ip, 16);
  return Buffer.concat([ip, tcp, payload]);
}

function rtp(ssrc: number, sequence: number, payloadType = 0): Buffer {
  const packet = Buffer.alloc(12 + 160);
  packet[0] = 0x80;
  packet[1] = payloadType;
  packet.writeUInt16BE(sequence & 0xffff, 2);
  packet.writeUInt32BE(sequence * 160, 4);
  packet.writeUInt32BE(ssrc, 8);
  return packet;
}

describe('TcpSipReassembler', () => {
  const invite = Buffer.from(flowInputs(rejectedFlow())[0].bytes);
  const ack = Buffer.from(flowInputs(rejectedFlow())[3].bytes);
  const segment = (
    sequence: number,
    payload: Uint8Array,
    extra: Partial<{ syn: boolean; fin: boolean }> = {},
  ) => ({
    protocol: 'tcp' as const,
    source: A,
    destination: B,
    sequence,
    payload,
    syn: false,
    fin: false,
    rst: false,
    timestampMs: sequence,
    ...extra,
  });

  it('joins a message split over segments, and splits two messages sharing one', () => {
    const reassembler = new TcpSipReassembler();
    const stream = Buffer.concat([invite, ack]);
    const cut1 = 100;
    const cut2 = invite.length + 10;
    const out = [
      ...reassembler.push(segment(999, Buffer.alloc(0), { syn: true })),
      ...reassembler.push(segment(1000, stream.subarray(0, cut1))),
      ...reassembler.push(segment(1000 + cut1, stream.subarray(cut1, cut2))),
      ...reassembler.push(segment(1000 + cut2, stream.subarray(cut2))),
    ];
    expect(out.map((m) => Buffer.from(m.bytes).toString())).toEqual([invite.toString(), ack.toString()]);
  });

  it('puts out-of-order segments back in order and ignores retransmitted ones', () => {
    const reassembler = new TcpSipReassembler();
    const parts = [invite.subarray(0, 50), invite.subarray(50, 300), invite.subarray(300)];
    const at = [0, 50, 300];
    const out = [
      ...reassembler.push(segment(at[0], parts[0])),
      ...reassembler.push(segment(at[2], parts[2])),
      ...reassembler.push(segment(at[0], parts[0])),
      ...reassembler.push(segment(at[1], parts[1])),
    ];
    expect(out.map((m) => Buffer.from(m.bytes).toString())).toEqual([invite.toString()]);
    expect(reassembler.counters.retransmittedSegments).toBe(1);
  });

  it('handles sequence numbers that wrap around 2^32', () => {
    const reassembler = new TcpSipReassembler();
    const start = 0xffffff00;
    const out = [
      ...reassembler.push(segment(start, invite.subarray(0, 0x100))),
      ...reassembler.push(segment(0, invite.subarray(0x100))),
    ];
    expect(out).toHaveLength(1);
  });

  it('ignores a stream that is not SIP, and a stream joined mid-message until a message starts', () => {
    const reassembler = new TcpSipReassembler();
    const tls = Buffer.from('\x16\x03\x01 TLS handshake bytes');
    const tail = invite.subarray(40);
    expect(reassembler.push(segment(0, tls))).toEqual([]);
    expect(reassembler.push(segment(tls.length, tail))).toEqual([]);
    expect(reassembler.push(segment(tls.length + tail.length, invite))).toHaveLength(1);
  });
});

describe('CaptureAnalyzer', () => {
  it('groups SIP on any port into calls and matches RTP to the call by its SDP ports', () => {
    const analyzer = new CaptureAnalyzer();
    let t = 1_700_000_000_000;
    const udp = (from: typeof A, to: typeof A, payload: Uint8Array) =>
      analyzer.push({
        timestampMs: t++,
        linkType: LINKTYPE.RAW,
        data: buildIpUdpPacket(from, to, payload),
        originalLength: 0,
      });
    const inputs = flowInputs(rejectedFlow({ hangupCode: 4190 }));
    for (const input of inputs) udp(input.source, input.destination, input.bytes);
    // RTP to the offer's port (127.0.0.1:40000), and a stream no SDP announced.
    for (let i = 0; i < 10; i++)
      udp({ address: '127.0.0.1', port: 30_000 }, { address: '127.0.0.1', port: 40_000 }, rtp(0x1234, i));
    for (let i = 0; i < 10; i++)
      udp({ address: '127.0.0.9', port: 7000 }, { address: '127.0.0.8', port: 7002 }, rtp(0x99, 100 + i, 8));
    // Noise: two datagrams that happen to have the RTP version bits.
    udp({ address: '127.0.0.9', port: 53 }, { address: '127.0.0.8', port: 53 }, rtp(0x42, 1));
    udp({ address: '127.0.0.9', port: 53 }, { address: '127.0.0.8', port: 53 }, Buffer.from('plain text'));
    const analysis = analyzer.finish();
    expect(analysis.calls).toHaveLength(1);
    expect(analysis.calls[0].messages.map((m) => m.message.startLine.split(' ')[0])).toEqual([
      'INVITE',
      'SIP/2.0',
      'SIP/2.0',
      'ACK',
    ]);
    expect(analysis.calls[0].rtpStreams).toMatchObject([{ ssrc: 0x1234, packets: 10, matchedBy: 'sdp' }]);
    expect(analysis.rtpStreams.filter((s) => s.matchedBy === 'heuristic')).toMatchObject([
      { ssrc: 0x99, payloadType: 8, packets: 10 },
    ]);
    expect(analysis.skipped['not-sip-or-rtp']).toBe(2);
  });

  it('reassembles SIP over TCP between real ports', () => {
    const invite = Buffer.from(
      sipText({
        startLine: 'INVITE sip:+442071234567@192.0.2.20 SIP/2.0',
        branch: 'z9hG4bK-tcp',
        cseq: '1 INVITE',
        fromTag: 'a',
        callId: 'tcp-call@x',
        sdp: offerSdp(),
      }),
    );
    const analyzer = new CaptureAnalyzer();
    const push = (data: Uint8Array) =>
      analyzer.push({ timestampMs: 1, linkType: LINKTYPE.RAW, data, originalLength: data.length });
    push(tcpPacket(A, B, 41, Buffer.alloc(0), 0x02));
    push(tcpPacket(A, B, 42, invite.subarray(0, 200)));
    push(tcpPacket(A, B, 242, invite.subarray(200)));
    const analysis = analyzer.finish();
    expect(analysis.calls[0]).toMatchObject({ callId: 'tcp-call@x' });
    expect(analysis.calls[0].messages[0]).toMatchObject({ transport: 'tcp', source: A, destination: B });
  });

  it('reads the transport our writer noted in the comment back into the ladder input', () => {
    const sink = new MemoryPcapSink();
    const recorder = new PcapRecorder(sink);
    for (const input of flowInputs(rejectedFlow())) {
      recorder.writeSip({
        wallTimeMs: input.timestampMs,
        monotonicTimeMs: input.timestampMs,
        direction: 'sent',
        transport: 'tls',
        local: input.source,
        remote: input.destination,
        bytes: input.bytes,
      });
    }
    const analysis = analyzeCaptureBytes(sink.bytes());
    expect(analysis.format).toBe('pcapng');
    expect(analysis.calls[0].messages.map((m) => m.transport)).toEqual(['tls', 'tls', 'tls', 'tls']);
  });

  it('never throws on random frames of any link type (seeded)', () => {
    const random = seededRandom(99);
    const analyzer = new CaptureAnalyzer();
    const linkTypes = Object.values(LINKTYPE);
    const inputs = flowInputs(rejectedFlow());
    for (let i = 0; i < 3000; i++) {
      const valid = buildIpUdpPacket(A, B, inputs[i % inputs.length].bytes);
      const data = Buffer.from(
        i % 2 === 0
          ? valid
          : Array.from({ length: Math.floor(random() * 120) }, () => Math.floor(random() * 256)),
      );
      for (let k = 0; k < 3; k++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      const linkType = i % 2 === 0 ? LINKTYPE.RAW : linkTypes[i % linkTypes.length];
      expect(() =>
        analyzer.push({ timestampMs: i, linkType, data, originalLength: data.length }),
      ).not.toThrow();
    }
    expect(() => analyzer.finish()).not.toThrow();
  });
});
