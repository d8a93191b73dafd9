// The PhoneApi over browser mode's WebSocket. The session cookie set by the token exchange authenticates the
// upgrade, so this code never sees a secret. Commands wait in a queue while the socket (re)connects; a lost
// connection answers the pending commands with an `unavailable` error instead of leaving them hanging, and the
// bridge reconnects with a growing delay.

import type {
  ApiResult,
  AudioFrame,
  CommandMessage,
  EventMessage,
  HostMessage,
  PhoneApi,
  PhoneApiVersion,
  Unsubscribe,
} from '../../../electron/common/index.js';
import { audioFrameToBytes, bytesToAudioFrame } from './audio-frame-bytes.js';

/** The contract version this renderer was built against; a bump of the contract fails this line's type check. */
const EXPECTED_API_VERSION: PhoneApiVersion = 1;
const RECONNECT_DELAYS_MS = [250, 500, 1000, 2000, 5000];

export type ConnectionState = 'connecting' | 'open' | 'lost' | 'incompatible';

export class WebSocketBridge implements PhoneApi {
  readonly #url: string;
  readonly #pending = new Map<number, (result: ApiResult<unknown>) => void>();
  readonly #queue: CommandMessage[] = [];
  readonly #listeners = new Set<(message: EventMessage) => void>();
  readonly #connectionListeners = new Set<(state: ConnectionState) => void>();
  readonly #audioListeners = new Set<(frame: AudioFrame) => void>();
  #socket: WebSocket | undefined;
  #nextId = 1;
  #attempt = 0;
  #state: ConnectionState = 'connecting';
  #closed = false;

  constructor(url: string) {
    this.#url = url;
    this.#connect();
  }

  static forCurrentPage(): WebSocketBridge {
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    return new WebSocketBridge(`${scheme}://${window.location.host}/api`);
  }

  get connectionState(): ConnectionState {
    return this.#state;
  }

  onConnectionChange(listener: (state: ConnectionState) => void): Unsubscribe {
    this.#connectionListeners.add(listener);
    return () => this.#connectionListeners.delete(listener);
  }

  invoke: PhoneApi['invoke'] = (command, ...params) => {
    const id = this.#nextId++;
    const message: CommandMessage = {
      type: 'command',
      id,
      command,
      params: params[0],
    };
    return new Promise((resolve) => {
      this.#pending.set(id, resolve as (result: ApiResult<unknown>) => void);
      if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(JSON.stringify(message));
      else this.#queue.push(message);
    });
  };

  on: PhoneApi['on'] = (event, listener) => {
    const wrapped = (message: EventMessage): void => {
      if (message.event === event) (listener as (payload: unknown) => void)(message.payload);
    };
    this.#listeners.add(wrapped);
    return () => this.#listeners.delete(wrapped);
  };

  /** A microphone frame as one binary message; dropped while the socket is not open (audio is never queued). */
  sendAudio(frame: AudioFrame): void {
    if (this.#socket?.readyState === WebSocket.OPEN) this.#socket.send(audioFrameToBytes(frame));
  }

  onAudio(listener: (frame: AudioFrame) => void): Unsubscribe {
    this.#audioListeners.add(listener);
    return () => this.#audioListeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#socket?.close();
  }

  #setState(state: ConnectionState): void {
    this.#state = state;
    for (const listener of this.#connectionListeners) listener(state);
  }

  #connect(): void {
    const socket = new WebSocket(this.#url);
    socket.binaryType = 'arraybuffer';
    this.#socket = socket;
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data === 'string') this.#onMessage(event.data);
      else if (event.data instanceof ArrayBuffer) this.#onAudio(event.data);
    });
    socket.addEventListener('close', () => this.#onClose());
  }

  #onMessage(text: string): void {
    let message: HostMessage;
    try {
      message = JSON.parse(text) as HostMessage;
    } catch {
      return;
    }
    switch (message.type) {
      case 'hello':
        if (message.apiVersion !== EXPECTED_API_VERSION) {
          this.#setState('incompatible');
          this.#closed = true;
          this.#socket?.close();
          return;
        }
        this.#attempt = 0;
        this.#setState('open');
        for (const queued of this.#queue.splice(0)) this.#socket?.send(JSON.stringify(queued));
        return;
      case 'result': {
        if (message.id === null) return;
        const resolve = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        resolve?.(message.result);
        return;
      }
      case 'event':
        for (const listener of this.#listeners) listener(message);
        return;
    }
  }

  #onAudio(buffer: ArrayBuffer): void {
    const frame = bytesToAudioFrame(buffer);
    if (frame === undefined) return;
    for (const listener of this.#audioListeners) listener(frame);
  }

  #onClose(): void {
    for (const [id, resolve] of this.#pending) {
      if (this.#queue.some((q) => q.id === id)) continue;
      this.#pending.delete(id);
      resolve({
        ok: false,
        error: {
          code: 'unavailable',
          message: 'The connection to Trunkline was lost; it reconnects by itself. Try again in a moment.',
          missing: 'connection to the host',
        },
      });
    }
    if (this.#closed) return;
    if (this.#state !== 'incompatible') this.#setState('lost');
    const delay = RECONNECT_DELAYS_MS[Math.min(this.#attempt++, RECONNECT_DELAYS_MS.length - 1)];
    window.setTimeout(() => this.#connect(), delay);
  }
}
