import type { Disposable } from '../../common/disposable.js';
import type { TransportAddress } from './transport-address.js';

// The seam between a media stream and the network (pjmedia's "media transport"). A stream hands serialized RTP and
// RTCP to `sendRtp`/`sendRtcp` and listens for datagrams; what is underneath may be UDP sockets, an in-memory
// loopback for tests, or an SrtpTransport wrapping either (it looks like a transport to the stream and like a
// stream to the transport it wraps).

export interface RtpRemote {
  readonly rtp: TransportAddress;
  /** Where RTCP goes; the RTP address itself under rtcp-mux. */
  readonly rtcp: TransportAddress;
}

export interface RtpTransportEvents {
  /** A datagram for the RTP port, with its source and its arrival on the monotonic clock. */
  rtp: (packet: Buffer, from: TransportAddress, arrivalMs: number) => void;
  rtcp: (packet: Buffer, from: TransportAddress, arrivalMs: number) => void;
  /** A send or socket failure. The transport stays usable; the owner decides what to do. */
  error: (error: Error) => void;
}

export interface RtpTransport extends Disposable {
  readonly remote: RtpRemote | undefined;
  /** Changes where packets go (SDP answer, re-INVITE, symmetric-RTP latch). */
  setRemote(remote: RtpRemote | undefined): void;
  sendRtp(packet: Uint8Array): void;
  sendRtcp(packet: Uint8Array): void;
  on<K extends keyof RtpTransportEvents>(event: K, listener: RtpTransportEvents[K]): Disposable;
}
