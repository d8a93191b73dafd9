// The renderer's Content-Security-Policy (ARCHITECTURE.md decision 7), one definition for both shells: scripts
// and styles only from the app itself, no inline script, no eval, no plug-ins, no framing, and network only to
// `connectSources` (browser mode: its own WebSocket; Electron: none beyond 'self').

export function rendererContentSecurityPolicy(connectSources: readonly string[] = []): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
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
