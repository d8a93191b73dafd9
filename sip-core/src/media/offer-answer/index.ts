// Front door of media/offer-answer: RFC 3264 for one audio stream, and what it produces for the media session.
export {
  type AnswerOptions,
  type CodecName,
  type LocalDescription,
  type LocalMediaAddress,
  type OfferOptions,
  SdpNegotiator,
  type SdpNegotiatorOptions,
  type SrtpPolicy,
} from './sdp-negotiator.js';
export type {
  NegotiatedCodec,
  NegotiatedMedia,
  NegotiatedSrtp,
  NegotiatedTelephoneEvent,
} from './negotiated-media.js';
export { NegotiationError, type NegotiationFailure } from './negotiation-error.js';
export {
  directionReceives,
  directionSends,
  intersectDirections,
  mirrorDirection,
} from './media-direction.js';
