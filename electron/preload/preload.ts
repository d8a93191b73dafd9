// The preload: the only code with both the page and Electron in reach. It exposes `window.trunkline`, one
// function per contract command (each forwards its own name over one channel; the main process checks the name
// and the sending frame), event subscription with unsubscribe, and nothing else — the page never sees
// `ipcRenderer`. It runs sandboxed, bundled to CommonJS by scripts/build-shells.mjs.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_COMMAND_CHANNEL,
  IPC_EVENT_CHANNEL,
  PHONE_API_COMMANDS,
  PHONE_API_VERSION,
  type ApiResult,
  type BridgeCommands,
  type EventMessage,
  type TrunklineBridge,
} from '../common/index.js';

const commands = Object.fromEntries(
  PHONE_API_COMMANDS.map((command) => [
    command,
    (params: unknown) =>
      ipcRenderer.invoke(IPC_COMMAND_CHANNEL, command, params) as Promise<ApiResult<unknown>>,
  ]),
) as unknown as BridgeCommands;

const bridge: TrunklineBridge = {
  apiVersion: PHONE_API_VERSION,
  commands,
  onEvent(listener) {
    // A wrapper, so the page's function is never handed the IpcRendererEvent (it holds `sender`).
    const wrapped = (_event: IpcRendererEvent, message: EventMessage): void => listener(message);
    ipcRenderer.on(IPC_EVENT_CHANNEL, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, wrapped);
    };
  },
  sendAudio() {
    // Audio frames travel over a MessagePort once the softphone's media path is wired (electron/README.md,
    // "Next"); until then the host reports audio as unavailable and the renderer sends nothing.
  },
  onAudio() {
    return () => undefined;
  },
};

contextBridge.exposeInMainWorld('trunkline', bridge);
