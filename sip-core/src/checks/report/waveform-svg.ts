// A small inline SVG of mono 16-bit PCM: one vertical min–max bar per column, the way audio editors draw a
// long signal in few pixels. Used by the HTML report for the audio checks' frames; no script, no external file.

import type { WaveformEvidence } from '../runner/check-definition.js';
import { escapeMarkup } from './escape-markup.js';

export interface WaveformSvgOptions {
  readonly widthPx?: number;
  readonly heightPx?: number;
}

export function renderWaveformSvg(waveform: WaveformEvidence, options: WaveformSvgOptions = {}): string {
  const width = options.widthPx ?? 600;
  const height = options.heightPx ?? 80;
  const samples = waveform.samples;
  const middle = height / 2;
  const scale = middle / 32_768;
  const columns = Math.max(1, Math.min(width, samples.length));
  const perColumn = samples.length / columns;
  const segments: string[] = [];
  for (let column = 0; column < columns; column++) {
    const start = Math.floor(column * perColumn);
    const end = Math.max(start + 1, Math.floor((column + 1) * perColumn));
    let min = 0;
    let max = 0;
    for (let i = start; i < end && i < samples.length; i++) {
      const value = samples[i];
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const x = ((column + 0.5) * width) / columns;
    const top = middle - max * scale;
    const bottom = Math.max(middle - min * scale, top + 0.5);
    segments.push(`M${x.toFixed(1)} ${top.toFixed(1)}V${bottom.toFixed(1)}`);
  }
  const seconds = (samples.length / waveform.sampleRateHz).toFixed(2);
  const label = `${waveform.label} (${seconds} s at ${waveform.sampleRateHz} Hz)`;
  return [
    `<svg class="waveform" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeMarkup(label)}">`,
    `<title>${escapeMarkup(label)}</title>`,
    `<line x1="0" y1="${middle}" x2="${width}" y2="${middle}" stroke="#ccc" stroke-width="1"/>`,
    `<path d="${segments.join('')}" stroke="#2563eb" stroke-width="1" fill="none"/>`,
    '</svg>',
  ].join('');
}
