// Test-only G.711 µ-law encoding of a tone, so that a media interop suite can send audio a peer can record. The real
// codec lives in media/codec (another slice); once it is merged these suites should use it instead of this.

const BIAS = 0x84;
const CLIP = 32635;

/** ITU-T G.711 µ-law for one 16-bit sample. */
export function linearToMulaw(sample: number): number {
  let value = Math.max(-CLIP, Math.min(CLIP, Math.round(sample)));
  const sign = value < 0 ? 0x80 : 0;
  if (sign) value = -value;
  value += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (value & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (value >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

/** ITU-T G.711 µ-law to a 16-bit sample. */
export function mulawToLinear(octet: number): number {
  const value = ~octet & 0xff;
  const exponent = (value >> 4) & 0x07;
  const magnitude = ((((value & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return value & 0x80 ? -magnitude : magnitude;
}

/** `count` µ-law octets of a sine at `frequencyHz`, 8 kHz, starting at sample `offset`. */
export function mulawTone(frequencyHz: number, count: number, offset: number, amplitude = 8000): Buffer {
  const out = Buffer.alloc(count);
  for (let i = 0; i < count; i++) {
    out[i] = linearToMulaw(amplitude * Math.sin((2 * Math.PI * frequencyHz * (offset + i)) / 8000));
  }
  return out;
}

/** Relative power of `frequencyHz` in 16-bit samples (Goertzel), normalised by the total power: 0…1. */
export function toneShare(samples: Int16Array, sampleRateHz: number, frequencyHz: number): number {
  const coefficient = 2 * Math.cos((2 * Math.PI * frequencyHz) / sampleRateHz);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (const sample of samples) {
    const s0 = sample + coefficient * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += sample * sample;
  }
  const power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
  return total === 0 ? 0 : (2 * power) / (samples.length * total);
}
