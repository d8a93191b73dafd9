// G.711 against an independent implementation: sox's µ-law and A-law. Decoding must agree on all 256 codes.
// Encoding may not agree everywhere: sox rounds a 16-bit sample to the nearest 14-bit (µ-law) or 13-bit
// (A-law) value before quantizing, while ITU-T G.191 (our reference, ADR 0040) truncates. So the test pins
// down that every disagreement is between neighbouring quantization levels, at a decision boundary.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAlaw, decodeMulaw, encodeAlaw, encodeMulaw } from '../../../src/media/codec/g711.js';
import { requirePeer } from '../../support/peer-binary.js';
import { runPeer } from '../../support/run-peer.js';
import { useTempDir } from '../../support/temp-dir.js';

const hasSox = requirePeer('sox');

/** Converts a raw 8 kHz mono file from one sample encoding to another with sox (no dither). */
function soxRaw(from: string[], input: string, to: string[], output: string): void {
  runPeer('sox', ['-D', '-t', 'raw', ...from, '-r', '8000', '-c', '1', input, '-t', 'raw', ...to, output]);
}

const LAWS = [
  { name: 'µ-law', soxEncoding: 'u-law', encode: encodeMulaw, decode: decodeMulaw },
  { name: 'A-law', soxEncoding: 'a-law', encode: encodeAlaw, decode: decodeAlaw },
] as const;

describe.skipIf(!hasSox)('G.711 interop with sox', () => {
  const tempDir = useTempDir('trunkline-g711-');

  it.each(LAWS)('$name: sox decodes all 256 codes to exactly our values', async ({ soxEncoding, decode }) => {
    const codes = join(tempDir(), `codes.${soxEncoding}`);
    const linear = join(tempDir(), `decoded-${soxEncoding}.s16`);
    await writeFile(
      codes,
      Uint8Array.from({ length: 256 }, (_, i) => i),
    );
    soxRaw(['-e', soxEncoding, '-b', '8'], codes, ['-e', 'signed', '-b', '16', '-L'], linear);
    const bytes = await readFile(linear);
    const theirs = Array.from({ length: 256 }, (_, i) => bytes.readInt16LE(2 * i));
    expect(Array.from(decode(Uint8Array.from({ length: 256 }, (_, i) => i)))).toEqual(theirs);
  });

  it.each(LAWS)(
    '$name: sox encodes all 65,536 inputs to our code or a neighbouring level',
    async ({ soxEncoding, encode, decode }) => {
      const input = Int16Array.from({ length: 65536 }, (_, i) => i - 32768);
      const linear = join(tempDir(), 'all.s16');
      const coded = join(tempDir(), `all.${soxEncoding}`);
      await writeFile(linear, Buffer.from(input.buffer));
      soxRaw(['-e', 'signed', '-b', '16', '-L'], linear, ['-e', soxEncoding, '-b', '8'], coded);
      const theirs = await readFile(coded);
      const ours = encode(input);
      const levels = [...new Set(decode(Uint8Array.from({ length: 256 }, (_, i) => i)))].sort(
        (a, b) => a - b,
      );
      const levelIndex = new Map(levels.map((value, index) => [value, index]));
      const ourValues = decode(ours);
      const theirValues = decode(theirs);
      let differences = 0;
      for (let i = 0; i < input.length; i++) {
        if (ours[i] === theirs[i]) continue;
        differences++;
        const gap = Math.abs(
          (levelIndex.get(ourValues[i] ?? 0) ?? 0) - (levelIndex.get(theirValues[i] ?? 0) ?? 0),
        );
        // Gap 0: µ-law's two zeros (0x7F and 0xFF) for inputs that truncate to -0 but round to +0.
        expect(gap, `input ${input[i]}`).toBeLessThanOrEqual(1);
        if (gap === 0) expect(ourValues[i]).toBe(0);
      }
      // Rounding versus truncation moves about 1 in 128 (µ-law) or 1 in 64 (A-law) inputs, at boundaries.
      expect(differences).toBeGreaterThan(0);
      expect(differences / input.length).toBeLessThan(0.02);
    },
  );
});
