// Test-only reader of 16-bit PCM WAV files (what baresip's sndfile module writes). The real WAV support lives in
// media/wav (another slice).

export interface PcmWav {
  readonly sampleRateHz: number;
  readonly channels: number;
  /** The first channel's samples. */
  readonly samples: Int16Array;
}

export function readPcmWav(data: Buffer): PcmWav {
  if (data.toString('ascii', 0, 4) !== 'RIFF' || data.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a WAV file');
  }
  let at = 12;
  let channels = 1;
  let sampleRateHz = 8000;
  while (at + 8 <= data.length) {
    const id = data.toString('ascii', at, at + 4);
    const size = data.readUInt32LE(at + 4);
    if (id === 'fmt ') {
      if (data.readUInt16LE(at + 8) !== 1 || data.readUInt16LE(at + 22) !== 16) {
        throw new Error('not 16-bit PCM');
      }
      channels = data.readUInt16LE(at + 10);
      sampleRateHz = data.readUInt32LE(at + 12);
    } else if (id === 'data') {
      const end = Math.min(data.length, at + 8 + size);
      const frames = Math.floor((end - at - 8) / (2 * channels));
      const samples = new Int16Array(frames);
      for (let i = 0; i < frames; i++) samples[i] = data.readInt16LE(at + 8 + i * 2 * channels);
      return { sampleRateHz, channels, samples };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('no data chunk');
}
