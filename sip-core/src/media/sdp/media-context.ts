import type {
  MediaDescription,
  MediaDirection,
  SdpConnection,
  SessionDescription,
} from './session-description.js';

// Values of an m= section once session-level defaults are applied (RFC 4566 §5: media-level c= and direction
// attributes override the session level; RFC 3264 §5.1: sendrecv when neither says).

export function effectiveDirection(session: SessionDescription, media: MediaDescription): MediaDirection {
  return media.direction ?? session.direction ?? 'sendrecv';
}

export function effectiveConnection(
  session: SessionDescription,
  media: MediaDescription,
): SdpConnection | undefined {
  return media.connection ?? session.connection;
}

/**
 * Whether the connection address is the "hold" address of RFC 2543 (c=0.0.0.0), which RFC 3264 §8.4 asks an answerer
 * to understand as "do not send to me".
 */
export function isHoldAddress(connection: SdpConnection | undefined): boolean {
  return connection?.address === '0.0.0.0' || connection?.address === '::';
}

/** The RTCP port and address: a=rtcp (RFC 3605), or the RTP port + 1 (RFC 3550 §11). */
export function effectiveRtcp(
  session: SessionDescription,
  media: MediaDescription,
): { port: number; address: string | undefined } {
  const address = media.rtcp?.address ?? effectiveConnection(session, media)?.address;
  return { port: media.rtcp?.port ?? media.port + 1, address };
}
