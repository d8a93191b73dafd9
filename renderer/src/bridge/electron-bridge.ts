// The PhoneApi over the Electron preload's `window.trunkline`: one preload function per command, events through
// one subscription. The renderer cannot tell it from the WebSocket bridge.

import type {
  ApiResult,
  AudioFrame,
  EventMessage,
  PhoneApi,
  TrunklineBridge,
  Unsubscribe,
} from '../../../electron/common/index.js';

export class ElectronBridge implements PhoneApi {
  readonly #bridge: TrunklineBridge;

  constructor(bridge: TrunklineBridge) {
    this.#bridge = bridge;
  }

  invoke: PhoneApi['invoke'] = (command, ...params) => {
    const call = this.#bridge.commands[command] as (p: unknown) => Promise<ApiResult<unknown>>;
    return call(params[0]) as ReturnType<PhoneApi['invoke']>;
  };

  on: PhoneApi['on'] = (event, listener) =>
    this.#bridge.onEvent((message: EventMessage) => {
      if (message.event === event) (listener as (payload: unknown) => void)(message.payload);
    });

  sendAudio(frame: AudioFrame): void {
    this.#bridge.sendAudio(frame);
  }

  onAudio(listener: (frame: AudioFrame) => void): Unsubscribe {
    return this.#bridge.onAudio(listener);
  }
}
