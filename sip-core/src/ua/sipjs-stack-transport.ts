// The Transport sip.js is given (UserAgentOptions.transportConstructor): a thin adapter that passes strings to and
// from a SipStackBridge. sip.js constructs it itself, so the bridge travels in `transportOptions`. Connecting is
// immediate — the stack's sockets are open before the user agent starts — and sip.js never reconnects on its own.
//
// Transport contract of sip.js 0.21 (api/transport.d.ts): state transitions happen before connect/disconnect
// resolve, and received messages are never delivered synchronously from within `send`.

import { EmitterImpl, TransportState, type Emitter, type Transport } from 'sip.js/lib/api/index.js';
import type { SipJsMessageSink, SipStackBridge } from './sip-stack-bridge.js';

export interface SipJsStackTransportOptions {
  readonly bridge: SipStackBridge;
}

export class SipJsStackTransport implements Transport, SipJsMessageSink {
  readonly protocol: string;
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  readonly #stateChange = new EmitterImpl<TransportState>();
  readonly #bridge: SipStackBridge;
  #state = TransportState.Disconnected;

  constructor(_logger: unknown, options: SipJsStackTransportOptions) {
    this.#bridge = options.bridge;
    this.protocol = options.bridge.protocol;
    options.bridge.attach(this);
  }

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

  send(message: string): Promise<void> {
    if (this.#state !== TransportState.Connected) {
      return Promise.reject(new Error('The SIP transport is not connected (the phone is stopped).'));
    }
    return this.#bridge.fromSipJs(message);
  }

  /** Called by the bridge with a whole received message (never from within `send`). */
  deliver(message: string): void {
    if (this.#state === TransportState.Connected) this.onMessage?.(message);
  }

  #transition(state: TransportState): void {
    this.#state = state;
    this.#stateChange.emit(state);
  }
}
