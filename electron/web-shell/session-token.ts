// The per-run secret of browser mode. The URL Trunkline prints carries a launch token (`/?token=…`); the server
// exchanges it for an HttpOnly, SameSite=Strict session cookie and redirects to a clean URL, so the token does
// not stay in the address bar, and every later request (assets, WebSocket upgrade, downloads) proves itself
// with the cookie (docs/adr/0130-browser-mode-token-and-cookie.md).

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export const SESSION_COOKIE_NAME = 'trunkline_session';
/** 32 random bytes: far beyond guessing over loopback for the life of one run. */
const SECRET_BYTES = 32;

export function randomSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed first, so the comparison
 * takes the same time whatever the presented length (timingSafeEqual alone refuses unequal lengths early).
 */
export function secretsEqual(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export interface SessionSecrets {
  /** In the printed URL; exchanged for the cookie. */
  readonly launchToken: string;
  /** The cookie's value; never printed. */
  readonly sessionSecret: string;
}

export function newSessionSecrets(): SessionSecrets {
  return { launchToken: randomSecret(), sessionSecret: randomSecret() };
}

/** Cookie header → name/value map (RFC 6265 §4.2.1: `name=value` pairs separated by `; `). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(eq + 1).trim());
  }
  return cookies;
}

export function sessionCookie(secret: string): string {
  return `${SESSION_COOKIE_NAME}=${secret}; HttpOnly; SameSite=Strict; Path=/`;
}
