// Front door of media/sdp: the SDP data model, its parser and writer, and read-only helpers. Data only (no sockets,
// no timers, no key material handling), so that the policy layer may import it.
export { parseSdp } from './parse-sdp.js';
export { createMediaDescription } from './create-media-description.js';
export { writeSdp } from './write-sdp.js';
export { redactSdp } from './redact-sdp.js';
export { SdpParseError } from './sdp-parse-error.js';
export { effectiveConnection, effectiveDirection, effectiveRtcp, isHoldAddress } from './media-context.js';
export { type PayloadFormat, STATIC_AUDIO_PAYLOAD_TYPES, payloadFormatsOf } from './payload-formats.js';
export {
  type MediaDescription,
  type MediaDirection,
  type SdpAttribute,
  type SdpBandwidth,
  type SdpConnection,
  SdpCrypto,
  type SdpFmtp,
  type SdpOrigin,
  type SdpRtcp,
  type SdpRtpmap,
  type SdpTiming,
  type SessionDescription,
  redactKeyParams,
} from './session-description.js';
