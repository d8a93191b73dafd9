// The fake microphone Chromium reads (`--use-file-for-fake-audio-capture`): a 440 Hz tone, 16-bit mono PCM WAV.
// Written by the fixture so the suite needs no binary fixture file.

import { writeFileSync } from 'node:fs';

/**
 * RIFF/WAVE with one `fmt ` and one `data` chunk (little-endian):
 *
 *   0 "RIFF" · 4 riff size · 8 "WAVE" · 12 "fmt " · 16 fmt size (16) · 20 format (1 = PCM) · 22 channels
 *   24 sample rate · 28 byte rate · 32 block align · 34 bits per sample · 36 "data" · 40 data size · 44 samples
 */
const HEADER_BYTES = 44;

export function writeToneWav(
  path: string,
  frequencyHz = 440,
  durationMs = 3000,
  sampleRateHz = 48_000,
): void {
  const samples = Math.round((sampleRateHz * durationMs) / 1000);
  const buffer = Buffer.alloc(HEADER_BYTES + samples * 2);
  buffer.write('RIFF', 0, 'ascii');
  buffer.writeUInt32LE(buffer.length - 8, 4);
  buffer.write('WAVE', 8, 'ascii');
  buffer.write('fmt ', 12, 'ascii');
  buffer.writeUInt32LE(16, 16);
  buffer.writeUInt16LE(1, 20);
  buffer.writeUInt16LE(1, 22);
  buffer.writeUInt32LE(sampleRateHz, 24);
  buffer.writeUInt32LE(sampleRateHz * 2, 28);
  buffer.writeUInt16LE(2, 32);
  buffer.writeUInt16LE(16, 34);
  buffer.write('data', 36, 'ascii');
  buffer.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const value = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz));
    buffer.writeInt16LE(value, HEADER_BYTES + i * 2);
  }
  writeFileSync(path, buffer);
}
