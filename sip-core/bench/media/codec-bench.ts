// Micro-benchmarks of the media-codec slice. Run: npx tsx sip-core/bench/media/codec-bench.ts
//
// The machine is shared and noisy, so every number is printed next to a reference measured in the same run,
// and the ratio is what to read: G.711 table lookup against the segment arithmetic it replaces, and the
// signal processors (resampler, DTMF detector, jitter buffer) against real time (how many seconds of audio
// one second of CPU handles).

import { pathToFileURL } from 'node:url';
import {
  alawFromLinear,
  encodeAlaw,
  encodeMulaw,
  decodeMulaw,
  mulawFromLinear,
} from '../../src/media/codec/g711.js';
import { JitterBuffer } from '../../src/media/jitter/jitter-buffer.js';
import { PolyphaseResampler } from '../../src/media/resample/polyphase-resampler.js';
import { DtmfDetector } from '../../src/media/tone/dtmf-detector.js';
import { dtmfTones, ToneGenerator } from '../../src/media/tone/tone-generator.js';

export interface BenchResult {
  readonly name: string;
  readonly nsPerOp: number;
  readonly reference: string;
  readonly ratio: number;
}

/** Median time per call of `fn` over several rounds, after a warm-up, in nanoseconds. */
function timeNs(fn: () => void, callsPerRound: number, rounds = 7): number {
  for (let i = 0; i < callsPerRound; i++) fn();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < callsPerRound; i++) fn();
    samples.push(Number(process.hrtime.bigint() - start) / callsPerRound);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(rounds / 2)] ?? 0;
}

let sink = 0;

export function runCodecBenchmarks(): BenchResult[] {
  const results: BenchResult[] = [];
  const frame = new ToneGenerator({ tones: [{ frequencyHz: 440, levelDbfs: -10 }] }).next(160);
  const out = new Uint8Array(160);

  // G.711: the table against the segment arithmetic, per 20 ms frame.
  const laws = [
    { name: 'µ-law', table: encodeMulaw, arithmetic: mulawFromLinear },
    { name: 'A-law', table: encodeAlaw, arithmetic: alawFromLinear },
  ];
  for (const law of laws) {
    const table = timeNs(() => law.table(frame, out), 20000);
    const arithmetic = timeNs(() => {
      for (let i = 0; i < frame.length; i++) out[i] = law.arithmetic(frame[i] ?? 0);
    }, 20000);
    results.push({
      name: `${law.name} encode, 64 Ki table (per frame)`,
      nsPerOp: table,
      reference: 'segment arithmetic',
      ratio: arithmetic / table,
    });
  }
  const decoded = new Int16Array(160);
  const payload = encodeMulaw(frame);
  const decode = timeNs(() => decodeMulaw(payload, decoded), 20000);
  results.push({
    name: 'µ-law decode (per frame)',
    nsPerOp: decode,
    reference: 'real time (20 ms)',
    ratio: 20e6 / decode,
  });

  // The resampler: one second of 48 kHz audio to 8 kHz.
  const second48k = new ToneGenerator({
    sampleRateHz: 48000,
    tones: [{ frequencyHz: 440, levelDbfs: -10 }],
  }).next(48000);
  const resample = timeNs(
    () => {
      const r = new PolyphaseResampler({ inputRateHz: 48000, outputRateHz: 8000 });
      sink += r.process(second48k).length + r.flush().length;
    },
    3,
    5,
  );
  results.push({
    name: 'resample 1 s of 48 kHz → 8 kHz',
    nsPerOp: resample,
    reference: 'real time (1 s)',
    ratio: 1e9 / resample,
  });

  // The in-band DTMF detector over one second of keys.
  const keys = new ToneGenerator({ tones: dtmfTones('5') }).next(8000);
  const detect = timeNs(
    () => {
      const detector = new DtmfDetector();
      for (let i = 0; i < keys.length; i += 160) sink += detector.push(keys.subarray(i, i + 160)).length;
    },
    20,
    5,
  );
  results.push({
    name: 'DTMF detector over 1 s',
    nsPerOp: detect,
    reference: 'real time (1 s)',
    ratio: 1e9 / detect,
  });

  // The jitter buffer: push and pull one 20 ms frame with a full 250-packet estimation window.
  const buffer = new JitterBuffer();
  let sequence = 0;
  const cycle = timeNs(() => {
    const now = sequence * 20;
    buffer.push({
      sequence: sequence & 0xffff,
      timestamp: (sequence * 160) >>> 0,
      payload: frame,
      arrivalMs: now + (sequence % 5) * 3,
    });
    sink += buffer.pull(now + 10).frame.length;
    sequence++;
  }, 5000);
  results.push({
    name: 'jitter buffer push + pull (per frame)',
    nsPerOp: cycle,
    reference: 'real time (20 ms)',
    ratio: 20e6 / cycle,
  });
  return results;
}

function main(): void {
  const results = runCodecBenchmarks();
  for (const r of results) {
    const time =
      r.nsPerOp >= 1e6 ? `${(r.nsPerOp / 1e6).toFixed(2)} ms` : `${(r.nsPerOp / 1e3).toFixed(2)} µs`;
    console.log(
      `${r.name.padEnd(42)} ${time.padStart(11)}   ${r.ratio.toFixed(1).padStart(8)}× faster than ${r.reference}`,
    );
  }
  if (sink === -1) console.log('');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
