// The preload: the only code with both the page and Electron in reach. It exposes `window.trunkline`, one
// function per contract command (each forwards its own name over one channel; the main process checks the name
// and the sending frame), event subscription with unsubscribe, and nothing else — the page never sees
// `ipcRenderer`. It runs sandboxed, bundled to CommonJS by scripts/build-shells.mjs.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  IPC_AUDIO_PORT_CHANNEL,
  IPC_COMMAND_CHANNEL,
  IPC_EVENT_CHANNEL,
  PHONE_API_COMMANDS,
  PHONE_API_VERSION,
  type ApiResult,
  type AudioFrame,
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

// Audio: the main process hands over one end of a MessagePort per page load; frames cross it as structured
// clones. Listeners get the frame only, never the port or the event.
/** The DOM MessagePort the preload holds (this tsconfig has no DOM lib; only what is used is declared). */
interface AudioPort {
  onmessage: ((message: { readonly data: unknown }) => void) | null;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}
let audioPort: AudioPort | undefined;
const audioListeners = new Set<(frame: AudioFrame) => void>();
ipcRenderer.on(IPC_AUDIO_PORT_CHANNEL, (event: IpcRendererEvent) => {
  audioPort?.close();
  audioPort = (event as unknown as { readonly ports: readonly AudioPort[] }).ports[0];
  if (audioPort === undefined) return;
  audioPort.onmessage = (message) => {
    for (const listener of audioListeners) listener(message.data as AudioFrame);
  };
  audioPort.start();
});

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
  sendAudio(frame) {
    audioPort?.postMessage({ callId: frame.callId, sequence: frame.sequence, samples: frame.samples });
  },
  onAudio(listener) {
    audioListeners.add(listener);
    return () => {
      audioListeners.delete(listener);
    };
  },
};

contextBridge.exposeInMainWorld('trunkline', bridge);
