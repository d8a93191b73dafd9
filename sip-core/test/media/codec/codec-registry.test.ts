import { describe, expect, it } from 'vitest';
import type { AudioCodec } from '../../../src/media/codec/audio-codec.js';
import { CodecRegistry, createDefaultCodecRegistry } from '../../../src/media/codec/codec-registry.js';
import { PCMA, PCMU } from '../../../src/media/codec/g711-codecs.js';
import { FRAME_SAMPLES } from '../../../src/media/codec/pcm-frame.js';

describe('CodecRegistry', () => {
  it('holds PCMU and PCMA by default, in that order of preference', () => {
    const registry = createDefaultCodecRegistry();
    expect(registry.list().map((c) => [c.name, c.staticPayloadType, c.clockRateHz, c.channels])).toEqual([
      ['PCMU', 0, 8000, 1],
      ['PCMA', 8, 8000, 1],
    ]);
  });

  it.each([
    ['PCMU', 8000, PCMU],
    ['pcmu', 8000, PCMU],
    ['PcMa', 8000, PCMA],
    ['PCMU', 16000, undefined],
    ['G729', 8000, undefined],
  ])('finds %s/%i case-insensitively by name and clock rate', (name, rate, expected) => {
    expect(createDefaultCodecRegistry().find(name, rate)).toBe(expected);
  });

  it('finds codecs by static payload type', () => {
    const registry = createDefaultCodecRegistry();
    expect(registry.findByStaticPayloadType(0)).toBe(PCMU);
    expect(registry.findByStaticPayloadType(8)).toBe(PCMA);
    expect(registry.findByStaticPayloadType(18)).toBeUndefined();
  });

  it('names the known codecs when asked for an unknown one', () => {
    expect(() => createDefaultCodecRegistry().get('opus', 48000, 2)).toThrowError(
      /No codec OPUS\/48000\/2 is registered; known: PCMU, PCMA/,
    );
  });

  it('refuses a second codec with the same name or static payload type', () => {
    const registry = createDefaultCodecRegistry();
    expect(() => registry.register({ ...PCMU })).toThrowError(
      expect.objectContaining({ code: 'CODEC_DUPLICATE' }),
    );
    const impostor: AudioCodec = { ...PCMA, name: 'X-PCMA' };
    expect(() => registry.register(impostor)).toThrowError(/Static payload type 8/);
  });

  it('registers a dynamic codec as the next one (how a new codec is added)', () => {
    const l16: AudioCodec = {
      name: 'L16',
      staticPayloadType: undefined,
      clockRateHz: 8000,
      channels: 1,
      payloadBytesFor: (samples) => samples * 2,
      samplesIn: (bytes) => bytes / 2,
      encode: (frame) => new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength),
      decode: (payload) => new Int16Array(payload.buffer, payload.byteOffset, payload.byteLength / 2),
      decodeRange: (bytes, start, end, out) => {
        // RFC 3551 §4.5.11: L16 samples are big-endian.
        for (let i = 0; i < (end - start) / 2; i++)
          out[i] = ((bytes[start + 2 * i] << 24) >> 16) | bytes[start + 2 * i + 1];
        return (end - start) / 2;
      },
    };
    const registry = new CodecRegistry([PCMU]).register(l16);
    expect(registry.get('l16', 8000)).toBe(l16);
  });

  it.each([PCMU, PCMA])('$name converts a 20 ms frame to 160 octets and back', (codec) => {
    const frame = Int16Array.from({ length: FRAME_SAMPLES }, (_, i) => Math.round(8000 * Math.sin(i / 5)));
    const payload = codec.encode(frame);
    expect(payload.length).toBe(codec.payloadBytesFor(FRAME_SAMPLES));
    const decoded = codec.decode(payload);
    expect(decoded.length).toBe(codec.samplesIn(payload.length));
    for (let i = 0; i < frame.length; i++) {
      expect(Math.abs((decoded[i] ?? 0) - (frame[i] ?? 0))).toBeLessThanOrEqual(256);
    }
  });
});
