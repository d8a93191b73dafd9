// The hardening of ARCHITECTURE.md decision 7 as pure functions, so a unit test inspects them without Electron:
// the window's webPreferences, the Content-Security-Policy, which URLs may be navigated to or opened, which
// permission requests are granted, and which IPC senders are trusted.

import type { BrowserWindowConstructorOptions } from 'electron';
import { rendererContentSecurityPolicy } from '../common/index.js';
import { APP_ORIGIN } from './app-protocol.js';

export const WINDOW_WIDTH = 1280;
export const WINDOW_HEIGHT = 800;

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: WINDOW_WIDTH,
    height: WINDOW_HEIGHT,
    minWidth: 960,
    minHeight: 640,
    title: 'Trunkline',
    show: false,
    backgroundColor: '#0f172a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
    },
  };
}

/** The renderer's CSP in Electron: as browser mode's, with the app scheme as 'self' and no network at all. */
export function electronContentSecurityPolicy(): string {
  return rendererContentSecurityPolicy();
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    const parsed = new URL(url);
    // Custom schemes report origin 'null' in WHATWG URL; rebuild it from scheme and host.
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return undefined;
  }
}

/** Whether a URL belongs to the app itself. */
export function isAppUrl(url: string | undefined): boolean {
  return originOf(url) === APP_ORIGIN;
}

/**
 * IPC sender check: only the app's own top-level frame may call the host. A frame of another origin (an injected
 * iframe, a navigated page) gets nothing, whatever it sends.
 */
export function isTrustedSender(
  frame: { readonly url: string; readonly parent: unknown } | null | undefined,
): boolean {
  return frame != null && frame.parent === null && isAppUrl(frame.url);
}

/** Navigation inside the window: never (the renderer is a single page; links open nothing). */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url) && new URL(url).pathname === '/index.html';
}

/** `window.open` and target=_blank: always denied. */
export function windowOpenDecision(): { action: 'deny' } {
  return { action: 'deny' };
}

/**
 * Permission requests: the microphone for the app's own page, and nothing else — no camera, no notifications, no
 * geolocation, no other origin. `mediaTypes` is what getUserMedia asked for.
 */
export function isPermissionGranted(
  permission: string,
  requestingUrl: string | undefined,
  mediaTypes: readonly string[] | undefined,
): boolean {
  if (permission !== 'media' || !isAppUrl(requestingUrl)) return false;
  return mediaTypes !== undefined && mediaTypes.length > 0 && mediaTypes.every((t) => t === 'audio');
}

/** Permission checks (synchronous queries such as enumerateDevices labels): the same rule without media types. */
export function isPermissionCheckAllowed(permission: string, requestingOrigin: string | undefined): boolean {
  return (
    permission === 'media' && requestingOrigin !== undefined && originOf(requestingOrigin) === APP_ORIGIN
  );
}
