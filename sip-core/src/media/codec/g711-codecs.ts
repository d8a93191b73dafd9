import type { AudioCodec } from './audio-codec.js';
import {
  decodeAlaw,
  decodeAlawRange,
  decodeMulaw,
  decodeMulawRange,
  encodeAlaw,
  encodeMulaw,
} from './g711.js';
import { NARROWBAND_SAMPLE_RATE_HZ } from './pcm-frame.js';

/** Static payload types of RFC 3551 Table 4. */
export const PCMU_PAYLOAD_TYPE = 0;
export const PCMA_PAYLOAD_TYPE = 8;

function g711Codec(
  name: string,
  staticPayloadType: number,
  encode: AudioCodec['encode'],
  decode: AudioCodec['decode'],
  decodeRange: AudioCodec['decodeRange'],
): AudioCodec {
  // G.711 carries one octet per sample (RFC 3551 §4.5.14), so sizes convert one to one.
  return Object.freeze({
    name,
    staticPayloadType,
    clockRateHz: NARROWBAND_SAMPLE_RATE_HZ,
    channels: 1,
    payloadBytesFor: (samples: number) => samples,
    samplesIn: (payloadBytes: number) => payloadBytes,
    encode,
    decode,
    decodeRange,
  });
}

/** G.711 µ-law, RTP/AVP payload type 0. */
export const PCMU: AudioCodec = g711Codec(
  'PCMU',
  PCMU_PAYLOAD_TYPE,
  encodeMulaw,
  decodeMulaw,
  decodeMulawRange,
);

/** G.711 A-law, RTP/AVP payload type 8. */
export const PCMA: AudioCodec = g711Codec('PCMA', PCMA_PAYLOAD_TYPE, encodeAlaw, decodeAlaw, decodeAlawRange);
