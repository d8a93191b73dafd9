// The fake microphone Chromium reads (`--use-file-for-fake-audio-capture`): a 440 Hz tone (or clicks, for the
// latency benchmark), 16-bit mono PCM WAV.
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
  writeHeader(buffer, samples, sampleRateHz);
  for (let i = 0; i < samples; i++) {
    const value = Math.round(0.5 * 32767 * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz));
    buffer.writeInt16LE(value, HEADER_BYTES + i * 2);
  }
  writeFileSync(path, buffer);
}

/**
 * Clicks for bench:app's mouth-to-ear latency: a 5 ms burst of 1 kHz at 0.8 of full scale once per `periodMs`,
 * silence between (a sharp onset that survives G.711 and the echo, and is easy to find on both sides).
 */
export function writeClickWav(path: string, periodMs = 1000, durationMs = 4000, sampleRateHz = 48_000): void {
  const samples = Math.round((sampleRateHz * durationMs) / 1000);
  const buffer = Buffer.alloc(HEADER_BYTES + samples * 2);
  writeHeader(buffer, samples, sampleRateHz);
  const period = Math.round((sampleRateHz * periodMs) / 1000);
  const burst = Math.round(sampleRateHz * 0.005);
  for (let i = 0; i < samples; i++) {
    const inPeriod = i % period;
    const value =
      inPeriod < burst
        ? Math.round(0.8 * 32767 * Math.sin((2 * Math.PI * 1000 * inPeriod) / sampleRateHz))
        : 0;
    buffer.writeInt16LE(value, HEADER_BYTES + i * 2);
  }
  writeFileSync(path, buffer);
}

function writeHeader(buffer: Buffer, samples: number, sampleRateHz: number): void {
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
}
