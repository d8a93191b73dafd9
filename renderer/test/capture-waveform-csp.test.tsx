// @vitest-environment happy-dom
// The real wavesurfer.js player mounts (happy-dom has no canvas, so its 2D context is stubbed) and the one inline
// style it writes into its shadow root is the one the CSP allows by hash: this literal must equal
// WAVESURFER_SHADOW_STYLE_HASH in electron/common/content-security-policy.ts (the renderer may not import values
// from there). A wavesurfer upgrade or a new waveform height fails here with the hash to put in both places.

import { afterEach, expect, it, vi } from 'vitest';
import { createWaveSurferPlayer } from '../src/components/CaptureWaveform.js';

const CSP_STYLE_HASH = 'sha256-GDz2FZP0i7VZaDhs1mgc43IRUXU2xajPIjvThHvZvbs=';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.innerHTML = '';
});

async function sha256Base64(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}

it('mounts the real wavesurfer with our options; its shadow style is the hashed one the CSP allows', async () => {
  const context = new Proxy({}, { get: () => () => undefined });
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(
    context as unknown as CanvasRenderingContext2D,
  );
  const container = document.createElement('div');
  document.body.append(container);
  const player = createWaveSurferPlayer({
    container,
    media: new Audio(),
    data: {
      durationSeconds: 2,
      receivedPeaks: [0.1, 0.5, 0.2],
      sentPeaks: [0.3, 0.1, 0.4],
      markers: [{ seconds: 1, label: '↑1', direction: 'sent' }],
      stereo: new Uint8Array(0),
    },
  });
  const host = container.firstElementChild;
  const style = host?.shadowRoot?.querySelector('style');
  expect(style?.textContent).toBeTruthy();
  expect(`sha256-${await sha256Base64(style!.textContent)}`).toBe(CSP_STYLE_HASH);
  // The only style element: the rest of wavesurfer's styling goes through the CSSOM, which the CSP does not govern.
  expect(host!.shadowRoot!.querySelectorAll('style')).toHaveLength(1);
  player.zoom(50);
  player.destroy();
});
