import type { AudioCodec } from './audio-codec.js';
import { CodecError } from './codec-error.js';
import { PCMA, PCMU } from './g711-codecs.js';

function keyOf(name: string, clockRateHz: number, channels: number): string {
  // RFC 4855 §3: encoding names are case-insensitive.
  return `${name.toUpperCase()}/${clockRateHz}/${channels}`;
}

/**
 * The codecs Trunkline can use, looked up the way SDP names them: by `a=rtpmap` encoding name, clock rate and
 * channels, or by static payload type when an offer lists a payload type without an rtpmap (RFC 3264 §5.1).
 */
export class CodecRegistry {
  readonly #byKey = new Map<string, AudioCodec>();
  readonly #byStaticPayloadType = new Map<number, AudioCodec>();

  constructor(codecs: Iterable<AudioCodec> = []) {
    for (const codec of codecs) this.register(codec);
  }

  /** Adds a codec; the same name, clock rate and channels, or the same static payload type, twice is an error. */
  register(codec: AudioCodec): this {
    const key = keyOf(codec.name, codec.clockRateHz, codec.channels);
    if (this.#byKey.has(key)) {
      throw new CodecError('CODEC_DUPLICATE', `The codec ${key} is already registered.`);
    }
    const pt = codec.staticPayloadType;
    if (pt !== undefined && this.#byStaticPayloadType.has(pt)) {
      throw new CodecError('CODEC_DUPLICATE', `Static payload type ${pt} is already registered.`);
    }
    this.#byKey.set(key, codec);
    if (pt !== undefined) this.#byStaticPayloadType.set(pt, codec);
    return this;
  }

  /** The codec with this encoding name (any case), clock rate and channels, if registered. */
  find(name: string, clockRateHz: number, channels = 1): AudioCodec | undefined {
    return this.#byKey.get(keyOf(name, clockRateHz, channels));
  }

  /** Like `find`, but an unknown codec is a `CodecError` (`CODEC_UNKNOWN`). */
  get(name: string, clockRateHz: number, channels = 1): AudioCodec {
    const codec = this.find(name, clockRateHz, channels);
    if (codec === undefined) {
      throw new CodecError(
        'CODEC_UNKNOWN',
        `No codec ${keyOf(name, clockRateHz, channels)} is registered; known: ${this.list()
          .map((c) => c.name)
          .join(', ')}.`,
      );
    }
    return codec;
  }

  /** The codec of a static RTP payload type (RFC 3551 Table 4), if registered. */
  findByStaticPayloadType(payloadType: number): AudioCodec | undefined {
    return this.#byStaticPayloadType.get(payloadType);
  }

  /** Every registered codec, in registration order (the default order of preference). */
  list(): AudioCodec[] {
    return [...this.#byKey.values()];
  }
}

/** A registry with the codecs Zentrunk carries: PCMU first, then PCMA. */
export function createDefaultCodecRegistry(): CodecRegistry {
  return new CodecRegistry([PCMU, PCMA]);
}
