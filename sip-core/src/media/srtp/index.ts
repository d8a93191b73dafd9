// Front door of media/srtp: the RFC 3711 transforms, their keys and the SrtpTransport adapter.
export { SRTP_PROFILES, type SrtpProfile, type SrtpProfileName, isSrtpProfileName } from './srtp-profile.js';
export { SrtpMasterKey } from './srtp-master-key.js';
export { SrtpError } from './srtp-error.js';
export {
  SrtpSession,
  type SrtpDropReason,
  type SrtpSessionOptions,
  type SrtpUnprotectResult,
} from './srtp-session.js';
export { type SrtpKeying, SrtpTransport, type SrtpTransportOptions } from './srtp-transport.js';
export {
  DEFAULT_REPLAY_WINDOW_SIZE,
  MIN_REPLAY_WINDOW_SIZE,
  type ReplayCheck,
  ReplayWindow,
} from './replay-window.js';
export { SRTP_LABEL, type SrtpSessionKeys, deriveSessionKeys, deriveSrtpKey } from './srtp-key-derivation.js';
export { estimateRolloverCounter, packetIndex } from './srtp-packet-index.js';
export { AES_BLOCK_BYTES, AesCounterMode } from './aes-counter-mode.js';
export { HmacSha1 } from './hmac-sha1.js';
export { DEFAULT_PACKETS_PER_RUN, RtpKeystreamCache } from './rtp-keystream-cache.js';
