// What the browser-mode server checks before it looks at a request, as pure functions a unit test can table:
// the Host header (DNS rebinding: a page on evil.example that rebinds its name to 127.0.0.1 still sends
// `Host: evil.example`), the Origin of WebSocket upgrades and state-changing requests (cross-site WebSocket
// hijacking: browsers send cookies with cross-origin upgrades), and the response headers every answer carries.

import { rendererContentSecurityPolicy } from '../common/index.js';

/** The names this server answers to; anything else is a rebinding attempt or a misconfigured proxy. */
export function allowedHosts(port: number): ReadonlySet<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function isAllowedHost(hostHeader: string | undefined, port: number): boolean {
  return hostHeader !== undefined && allowedHosts(port).has(hostHeader.toLowerCase());
}

/** An Origin is allowed when it is this server itself; an absent Origin only where a browser would omit it. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return false;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/** The renderer's CSP in browser mode: its only network is the WebSocket back to this server. */
export function contentSecurityPolicy(port: number): string {
  return rendererContentSecurityPolicy([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]);
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'microphone=(self), camera=(), geolocation=()',
    'Cache-Control': 'no-store',
  };
}
