// The renderer's CSP allows exactly one inline style, wavesurfer.js's shadow-root style, by its hash — never
// 'unsafe-inline' — in both shells (the same policy string serves Electron and browser mode).

import { expect, it } from 'vitest';
import { rendererContentSecurityPolicy, WAVESURFER_SHADOW_STYLE_HASH } from '../../common/index.js';

it('allows the waveform style by hash and nothing inline besides', () => {
  const styleSrc = rendererContentSecurityPolicy(['ws://127.0.0.1:4000'])
    .split('; ')
    .find((directive) => directive.startsWith('style-src '));
  expect(styleSrc).toBe(`style-src 'self' ${WAVESURFER_SHADOW_STYLE_HASH}`);
  expect(WAVESURFER_SHADOW_STYLE_HASH).toMatch(/^'sha256-[A-Za-z0-9+/]{43}='$/);
  expect(styleSrc).not.toMatch(/unsafe/);
});
