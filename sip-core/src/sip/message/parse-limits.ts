/**
 * Bounds on the work the parser does for one message, so that hostile input costs at most a known amount of
 * memory and time. Every bound is checked before the work it protects; exceeding one is a `SipParseError`.
 */
export interface ParseLimits {
  /** The whole message, start line to end of body. A UDP datagram is at most 65,535 bytes anyway. */
  readonly maxMessageBytes: number;
  /** Header fields (lines after unfolding), all names counted. RFC 4475's `longreq` needs about 45. */
  readonly maxHeaderCount: number;
  /** One header field after unfolding, name included; also applies to the start line. */
  readonly maxHeaderBytes: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = Object.freeze({
  maxMessageBytes: 262_144,
  maxHeaderCount: 256,
  maxHeaderBytes: 16_384,
});
