// An INVITE's SDP offer, parsed once per request. The policy reads the offer (codecs, crypto suites) when it
// builds the call attempt, and the far end answers the same offer a moment later: parsing it twice cost about 3 %
// of the emulator's CPU per call (docs/adr/0152). The parsed description is read-only (media/sdp's types), so
// both can share it. Only a successful parse is remembered; a damaged offer throws `SdpParseError` each time,
// for each caller to turn into its own response.

import { parseSdp, type SessionDescription } from '../../media/sdp/index.js';
import type { SipRequest } from '../../sip/message/index.js';

const parsedOffers = new WeakMap<SipRequest, SessionDescription>();

/** The request body parsed as SDP; the caller has checked that the body is SDP. Throws `SdpParseError`. */
export function offeredSdpOf(request: SipRequest): SessionDescription {
  let description = parsedOffers.get(request);
  if (description === undefined) {
    description = parseSdp(request.body.toString('utf8'));
    parsedOffers.set(request, description);
  }
  return description;
}
