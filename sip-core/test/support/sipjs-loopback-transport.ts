// A sip.js Transport that hands every outgoing message to a function in the test and delivers that function's
// replies back to the user agent, asynchronously (sip.js forbids synchronous re-entry from `send`). It lets a
// real sip.js UserAgent talk to a scripted peer with no socket.
import { EmitterImpl, type Transport, TransportState } from 'sip.js/lib/api/index.js';

/** The scripted far end: receives each message sip.js sends, and may `reply` with complete SIP messages. */
export type LoopbackPeer = (message: string, reply: (message: string) => void) => void;

export interface SipJsLoopbackOptions {
  readonly peer: LoopbackPeer;
}

export class SipJsLoopbackTransport implements Transport {
  readonly protocol = 'UDP';
  readonly stateChange = new EmitterImpl<TransportState>();
  onConnect: (() => void) | undefined;
  onDisconnect: ((error?: Error) => void) | undefined;
  onMessage: ((message: string) => void) | undefined;
  #state = TransportState.Disconnected;
  readonly #peer: LoopbackPeer;

  constructor(_logger: unknown, options: SipJsLoopbackOptions) {
    this.#peer = options.peer;
  }

  get state(): TransportState {
    return this.#state;
  }

  #transition(state: TransportState): void {
    this.#state = state;
    this.stateChange.emit(state);
  }

  connect(): Promise<void> {
    this.#transition(TransportState.Connecting);
    this.#transition(TransportState.Connected);
    this.onConnect?.();
    return Promise.resolve();
  }

  disconnect(): Promise<void> {
    if (this.#state !== TransportState.Disconnected) {
      this.#transition(TransportState.Disconnecting);
      this.#transition(TransportState.Disconnected);
      this.onDisconnect?.();
    }
    return Promise.resolve();
  }

  dispose(): Promise<void> {
    return this.disconnect();
  }

  isConnected(): boolean {
    return this.#state === TransportState.Connected;
  }

  send(message: string): Promise<void> {
    this.#peer(message, (reply) => {
      queueMicrotask(() => this.onMessage?.(reply));
    });
    return Promise.resolve();
  }
}
