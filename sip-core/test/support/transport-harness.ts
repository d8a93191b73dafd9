// Creates transport layers and raw sockets for a test and releases all of them in teardown, also when the test
// fails: call `harness.dispose()` from afterEach.

import net from 'node:net';
import type { ReceivedMessageContext } from '../../src/sip/transport/transport-types.js';
import {
  SipTransportLayer,
  type SipTransportLayerOptions,
} from '../../src/sip/transport/sip-transport-layer.js';
import { nextEvent } from './events.js';

export interface ReceivedMessage {
  readonly text: string;
  readonly bytes: Buffer;
  readonly context: ReceivedMessageContext;
}

export class TransportHarness {
  readonly #layers: SipTransportLayer[] = [];
  readonly #sockets: net.Socket[] = [];

  layer(options: SipTransportLayerOptions = {}): SipTransportLayer {
    const layer = new SipTransportLayer(options);
    this.#layers.push(layer);
    return layer;
  }

  /** A raw TCP client, for peers that misbehave in ways our own layer never would. */
  async rawClient(port: number, host = '127.0.0.1'): Promise<net.Socket> {
    const socket = net.connect({ host, port });
    this.#sockets.push(socket);
    socket.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    return socket;
  }

  async dispose(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await Promise.all(this.#layers.map((layer) => layer.close()));
    this.#sockets.length = 0;
    this.#layers.length = 0;
  }
}

/** The next message `layer` delivers (optionally: the next whose text contains `marker`). */
export async function nextMessage(layer: SipTransportLayer, marker?: string): Promise<ReceivedMessage> {
  const [bytes, context] = await nextEvent(
    (listener: (bytes: Buffer, context: ReceivedMessageContext) => void) => layer.on('message', listener),
    (bytes) => marker === undefined || bytes.toString('utf8').includes(marker),
  );
  return { text: bytes.toString('utf8'), bytes, context };
}

/** Resolves when `socket` has been closed by the other end (or destroyed). */
export function socketClosed(socket: net.Socket): Promise<void> {
  if (socket.destroyed || socket.closed) return Promise.resolve();
  return new Promise((resolve) => socket.once('close', () => resolve()));
}

/** Everything `socket` receives, as one growing string. */
export function received(socket: net.Socket): { text: () => string } {
  let text = '';
  socket.on('data', (chunk: Buffer) => {
    text += chunk.toString('latin1');
  });
  return { text: () => text };
}

/** Waits until `condition` holds, polling on real time (for observations of other processes' sockets). */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
