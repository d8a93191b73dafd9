// The envelopes a shell puts around the contract when it crosses a process boundary as text (the browser-mode
// WebSocket). Electron IPC carries the same `ApiResult` values through `ipcRenderer.invoke` instead.

import type { ApiResult } from './api-result.js';
import type { CommandName, EventName, PhoneApiEvents } from './phone-api.js';
import type { PhoneApiVersion } from './phone-api-version.js';

/** Client → host. `id` pairs the answer with the request; the client picks it (a counter). */
export interface CommandMessage {
  readonly type: 'command';
  readonly id: number;
  readonly command: CommandName;
  readonly params?: unknown;
}

/** Host → client, first message after the upgrade. */
export interface HelloMessage {
  readonly type: 'hello';
  readonly apiVersion: PhoneApiVersion;
}

/** Host → client: the answer to `CommandMessage` `id`; `id` is null when the request could not be read at all. */
export interface ResultMessage {
  readonly type: 'result';
  readonly id: number | null;
  readonly result: ApiResult<unknown>;
}

/** Host → client: an event; a union over the event names, so `event` narrows `payload`. */
export type EventMessage = {
  readonly [E in EventName]: {
    readonly type: 'event';
    readonly event: E;
    readonly payload: PhoneApiEvents[E];
  };
}[EventName];

export type HostMessage = HelloMessage | ResultMessage | EventMessage;

/** Larger text messages are refused with `bad_message` (a command is small; a settings document is the largest). */
export const MAX_COMMAND_MESSAGE_BYTES = 256 * 1024;
