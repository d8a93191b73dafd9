// Picks the bridge for the shell the page runs in: the preload's `window.trunkline` in Electron, else the
// browser-mode WebSocket of the page's own server.

import type { PhoneApi, TrunklineBridge } from '../../../electron/common/index.js';
import { ElectronBridge } from './electron-bridge.js';
import { WebSocketBridge } from './websocket-bridge.js';

declare global {
  interface Window {
    readonly trunkline?: TrunklineBridge;
  }
}

export function connectBridge(): PhoneApi {
  return window.trunkline !== undefined
    ? new ElectronBridge(window.trunkline)
    : WebSocketBridge.forCurrentPage();
}
