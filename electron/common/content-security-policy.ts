// The renderer's Content-Security-Policy (ARCHITECTURE.md decision 7), one definition for both shells: scripts
// and styles only from the app itself, no inline script, no eval, no plug-ins, no framing, and network only to
// `connectSources` (browser mode: its own WebSocket; Electron: none beyond 'self').

/**
 * The one inline style the renderer needs: the `<style>` wavesurfer.js writes into its waveform's shadow root
 * (layout of its scroll area, canvases, progress and cursor). Allowed by its SHA-256 (CSP Level 3, hash-source)
 * instead of `'unsafe-inline'`, so no other inline style — an injected one included — is applied. The text depends on
 * the wavesurfer version and the waveform height (56 px, renderer/src/components/CaptureWaveform.tsx);
 * `renderer/test/capture-waveform-csp.test.tsx` fails with the new hash when either changes.
 */
export const WAVESURFER_SHADOW_STYLE_HASH = "'sha256-GDz2FZP0i7VZaDhs1mgc43IRUXU2xajPIjvThHvZvbs='";

export function rendererContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' ${WAVESURFER_SHADOW_STYLE_HASH}`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self' blob:",
    ["connect-src 'self'", ...connectSources].join(' '),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
