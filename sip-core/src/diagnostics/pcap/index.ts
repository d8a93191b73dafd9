// Front door of diagnostics/pcap: capture files written (pcapng/pcap, SIP and decrypted media) and read
// (pcap/pcapng, any link type we meet, TCP reassembly, calls and RTP streams).
export { analyzeCaptureBytes, analyzeCaptureFile } from './analyze-capture-file.js';
export {
  CaptureAnalyzer,
  type CaptureAnalysis,
  type CapturedCall,
  type CapturedSipMessage,
  type RtpStreamSummary,
} from './capture-analyzer.js';
export {
  type CapturedPacket,
  type CaptureFileFormat,
  CaptureFileParser,
  MAX_BLOCK_BYTES,
} from './capture-file-parser.js';
export {
  decodePacket,
  type DecodedSegment,
  type DecodeResult,
  type DecodeSkipReason,
} from './decode-packet.js';
export { internetChecksum } from './internet-checksum.js';
export { buildIpUdpPacket, MAX_UDP_PAYLOAD_BYTES } from './ip-udp-packet.js';
export { LINKTYPE, type LinkType } from './link-types.js';
export {
  PcapEncoder,
  type PcapEncoderOptions,
  type PcapFormat,
  type PcapPacketInput,
} from './pcap-encoder.js';
export { PcapError, type PcapErrorCode } from './pcap-error.js';
export {
  maskSdpKeys,
  type MediaPacketSource,
  PcapRecorder,
  type PcapRecorderOptions,
  type SipRecordInput,
} from './pcap-recorder.js';
export { FilePcapSink, MemoryPcapSink, type PcapSink } from './pcap-sink.js';
export { readCaptureBytes, readCaptureFile } from './read-capture-file.js';
export { looksLikeSipMessage } from './sip-sniffer.js';
export { SslKeyLogFile, type TlsKeyLogSource } from './ssl-key-log.js';
export { TcpSipReassembler, type TcpReassemblyCounters } from './tcp-sip-reassembler.js';
