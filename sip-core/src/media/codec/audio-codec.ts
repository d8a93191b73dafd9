// A codec is a small self-describing object (baresip's habit): it says which RTP payload format it is and
// converts frames. The media session picks one from the registry by the SDP's rtpmap and never branches on
// codec names itself, so adding a codec is adding an object, not editing the session.

/** An audio codec for RTP: what it is (RFC 3551 / SDP `a=rtpmap`) and how to convert frames. */
export interface AudioCodec {
  /** The encoding name as in SDP `a=rtpmap` (RFC 4855: compared case-insensitively), e.g. `PCMU`. */
  readonly name: string;
  /** The static RTP payload type of RFC 3551 Table 4, or undefined for a dynamically assigned one. */
  readonly staticPayloadType: number | undefined;
  /** The RTP clock rate. */
  readonly clockRateHz: number;
  /** Audio channels per sample. */
  readonly channels: number;
  /** Payload octets produced for `samples` PCM samples. */
  payloadBytesFor(samples: number): number;
  /** PCM samples carried by a payload of `payloadBytes` octets. */
  samplesIn(payloadBytes: number): number;
  /** Encodes a PCM frame at `clockRateHz`; writes into `out` when given (it must be large enough). */
  encode(frame: Int16Array, out?: Uint8Array): Uint8Array;
  /** Decodes an RTP payload to PCM; writes into `out` when given (it must be large enough). */
  decode(payload: Uint8Array, out?: Int16Array): Int16Array;
  /**
   * Decodes the payload at `bytes[start..end)` into `out` (large enough for it) and returns the samples written.
   * The receive path decodes straight from the datagram this way: a view per packet would be garbage 50 times a
   * second per call (docs/adr/0155).
   */
  decodeRange(bytes: Uint8Array, start: number, end: number, out: Int16Array): number;
}
