// What the Electron preload exposes to the renderer as `window.trunkline` (contextBridge), and the IPC channel
// names both sides use. One function per command, so the main process can check each call's name and the
// renderer never holds `ipcRenderer` itself (Electron security checklist, "do not expose Electron APIs").

import type { ApiResult } from './api-result.js';
import type { AudioFrame } from './audio.js';
import type { CommandName, CommandParams, CommandResult, Unsubscribe } from './phone-api.js';
import type { PhoneApiVersion } from './phone-api-version.js';
import type { EventMessage } from './wire-protocol.js';

export const IPC_COMMAND_CHANNEL = 'trunkline:command';
export const IPC_EVENT_CHANNEL = 'trunkline:event';
/**
 * Main → preload, once per page load: one end of a `MessageChannelMain` that carries `AudioFrame`s both ways as
 * structured clones (no JSON, no encoding: an Int16Array crosses as is). A reload gets a new channel.
 */
export const IPC_AUDIO_PORT_CHANNEL = 'trunkline:audio-port';

export type BridgeCommands = {
  readonly [C in CommandName]: (params: CommandParams<C>) => Promise<ApiResult<CommandResult<C>>>;
};

export interface TrunklineBridge {
  readonly apiVersion: PhoneApiVersion;
  readonly commands: BridgeCommands;
  /** Every host event; returns its unsubscribe. */
  onEvent(listener: (message: EventMessage) => void): Unsubscribe;
  sendAudio(frame: AudioFrame): void;
  onAudio(listener: (frame: AudioFrame) => void): Unsubscribe;
}
