// The waveform of a call's local capture: received and sent audio as two tracks of one wavesurfer.js view, DTMF
// digits as markers (the regions plugin, one point region per digit, ↓ received / ↑ sent), play/pause and zoom.
// wavesurfer draws from precomputed peaks and plays a blob: URL of the stereo WAV (capture-waveform-data.ts), so it
// never fetches or decodes anything itself. The player is made by a factory prop: tests hand in a fake, since a
// canvas is not part of happy-dom.

import { useEffect, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import RegionsPlugin from 'wavesurfer.js/dist/plugins/regions.esm.js';
import type { WaveformData } from '../features/capture-waveform-data.js';

export interface WaveformPlayer {
  playPause(): Promise<void>;
  /** Pixels per second of audio; 0 fits the whole call in the width. */
  zoom(pxPerSecond: number): void;
  onPlayingChange(listener: (playing: boolean) => void): void;
  destroy(): void;
}

export type WaveformPlayerFactory = (init: {
  readonly container: HTMLElement;
  readonly media: HTMLMediaElement;
  readonly data: WaveformData;
}) => WaveformPlayer;

const RECEIVED_COLOUR = '#3b82f6';
const SENT_COLOUR = '#16a34a';
const PROGRESS_COLOUR = '#64748b';

export const createWaveSurferPlayer: WaveformPlayerFactory = ({ container, media, data }) => {
  const regions = RegionsPlugin.create();
  const surfer = WaveSurfer.create({
    container,
    media,
    peaks: [data.receivedPeaks, data.sentPeaks],
    duration: data.durationSeconds,
    height: 56,
    normalize: false,
    splitChannels: [
      { waveColor: RECEIVED_COLOUR, progressColor: PROGRESS_COLOUR },
      { waveColor: SENT_COLOUR, progressColor: PROGRESS_COLOUR },
    ],
    plugins: [regions],
  });
  surfer.on('decode', () => {
    for (const marker of data.markers) {
      regions.addRegion({
        start: marker.seconds,
        content: marker.label,
        color: marker.direction === 'sent' ? SENT_COLOUR : RECEIVED_COLOUR,
        drag: false,
        resize: false,
      });
    }
  });
  return {
    playPause: () => surfer.playPause(),
    zoom: (pxPerSecond) => surfer.zoom(pxPerSecond),
    onPlayingChange: (listener) => {
      surfer.on('play', () => listener(true));
      surfer.on('pause', () => listener(false));
      surfer.on('finish', () => listener(false));
    },
    destroy: () => surfer.destroy(),
  };
};

export interface CaptureWaveformProps {
  readonly data: WaveformData;
  readonly createPlayer?: WaveformPlayerFactory;
}

const MAX_ZOOM_PX_PER_SECOND = 400;

export function CaptureWaveform({ data, createPlayer = createWaveSurferPlayer }: CaptureWaveformProps) {
  const container = useRef<HTMLDivElement>(null);
  const player = useRef<WaveformPlayer | undefined>(undefined);
  const [playing, setPlaying] = useState(false);
  const [zoom, setZoom] = useState(0);

  useEffect(() => {
    if (container.current === null) return;
    const url = URL.createObjectURL(new Blob([data.stereo as BlobPart], { type: 'audio/wav' }));
    const media = new Audio();
    media.src = url;
    const created = createPlayer({ container: container.current, media, data });
    created.onPlayingChange(setPlaying);
    player.current = created;
    return () => {
      created.destroy();
      player.current = undefined;
      media.removeAttribute('src');
      URL.revokeObjectURL(url);
    };
  }, [data, createPlayer]);

  return (
    <div className="capture-waveform" data-testid="capture-waveform">
      <div className="capture-waveform__legend small">
        <span className="capture-waveform__swatch" style={{ background: RECEIVED_COLOUR }} /> received (top)
        <span className="capture-waveform__swatch" style={{ background: SENT_COLOUR }} /> sent (bottom)
      </div>
      <div ref={container} className="capture-waveform__view" />
      <div className="capture-waveform__controls">
        <button
          type="button"
          className="button button--small"
          data-testid="capture-play"
          onClick={() => void player.current?.playPause()}
        >
          {playing ? 'Pause' : 'Play'}
        </button>
        <label className="small">
          Zoom{' '}
          <input
            type="range"
            min={0}
            max={MAX_ZOOM_PX_PER_SECOND}
            step={10}
            value={zoom}
            data-testid="capture-zoom"
            aria-label="Zoom (pixels per second)"
            onChange={(event) => {
              const value = Number(event.target.value);
              setZoom(value);
              player.current?.zoom(value);
            }}
          />
        </label>
        <span className="muted small">{data.durationSeconds.toFixed(1)} s</span>
      </div>
      {data.markers.length > 0 && (
        <ul className="capture-waveform__markers small" data-testid="capture-dtmf">
          {data.markers.map((marker, index) => (
            <li key={index}>
              {marker.label} at {marker.seconds.toFixed(2)} s
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
