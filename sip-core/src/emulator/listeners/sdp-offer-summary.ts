// The parts of an SDP offer the policy looks at (policy's `SdpOfferSummary`, README "Filling in a CallAttempt"):
// the first usable audio stream's profile, payload types, codec names, SDES suites and whether telephone-event is
// offered. An offer without an audio stream gives an empty summary, which the codec rule refuses (488 + 4620).

import {
  parseSdp,
  payloadFormatsOf,
  type MediaDescription,
  type SessionDescription,
} from '../../media/sdp/index.js';
import type { SdpOfferSummary } from '../../policy/index.js';

const NO_AUDIO: SdpOfferSummary = {
  profile: '',
  payloadTypes: [],
  codecs: [],
  cryptoSuites: [],
  telephoneEvent: false,
};

/** Summarises an offer's text; throws `SdpParseError` when it is not SDP. */
export function summarizeSdpOffer(sdp: string | SessionDescription): SdpOfferSummary {
  const description = typeof sdp === 'string' ? parseSdp(sdp) : sdp;
  const audio = description.media.find((m) => m.media === 'audio' && m.port !== 0);
  return audio === undefined ? NO_AUDIO : summarizeAudio(audio);
}

function summarizeAudio(media: MediaDescription): SdpOfferSummary {
  const formats = payloadFormatsOf(media);
  return {
    profile: media.proto,
    payloadTypes: media.formats.filter((f) => /^\d+$/.test(f)).map(Number),
    codecs: formats.map((f) => f.encodingName),
    cryptoSuites: media.cryptos.map((c) => c.suite),
    telephoneEvent: formats.some((f) => f.encodingName.toLowerCase() === 'telephone-event'),
  };
}
