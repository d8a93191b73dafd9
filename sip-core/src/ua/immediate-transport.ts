// The part of a sip.js Transport (api/transport.d.ts, sip.js 0.21) that is the same for every transport whose
// "connection" exists before the user agent starts: connecting and disconnecting are immediate state
// transitions, made before the returned promise resolves as the contract requires, and sip.js never reconnects
// on its own. Subclasses only say how a message leaves (`send`) and call `onMessage` — never from within `send`.

import { EmitterImpl, TransportState, type Emitter, type Transport } from 'sip.js/lib/api/index.js';

export abstract class ImmediateTransport implements Transport {
  abstract readonly protocol: string;
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  readonly #stateChange = new EmitterImpl<TransportState>();
  #state = TransportState.Disconnected;

  get state(): TransportState {
    return this.#state;
  }

  get stateChange(): Emitter<TransportState> {
    return this.#stateChange;
  }

  connect(): Promise<void> {
    if (this.#state === TransportState.Connected) return Promise.resolve();
    this.#transition(TransportState.Connecting);
    this.#transition(TransportState.Connected);
    this.onConnect?.();
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    if (this.#state === TransportState.Disconnected) return Promise.resolve();
    this.#transition(TransportState.Disconnecting);
    this.#transition(TransportState.Disconnected);
    this.onDisconnect?.();
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    return this.disconnect();
  }

  isConnected(): boolean {
    return this.#state === TransportState.Connected;
  }

  abstract send(message: string): Promise<void>;

  #transition(state: TransportState): void {
    this.#state = state;
    this.#stateChange.emit(state);
  }
}
