// A UDP socket for interop tests against real SIP peers on 127.0.0.1 (TESTING.md) that queues what it receives,
// so a test can await the next datagram from a peer.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Datagram {
  readonly text: string;
  readonly from: RemoteInfo;
}

/** A UDP socket on 127.0.0.1:0 whose datagrams either go to `onDatagram` or wait in a queue for `next`. */
export class UdpTestSocket {
  readonly #socket: Socket;
  readonly #queue: Datagram[] = [];
  #waiter: ((d: Datagram) => void) | undefined;
  onDatagram: ((d: Datagram) => void) | undefined;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (buffer, from) => {
      const datagram = { text: buffer.toString('utf8'), from };
      if (this.onDatagram) {
        this.onDatagram(datagram);
      } else if (this.#waiter) {
        const waiter = this.#waiter;
        this.#waiter = undefined;
        waiter(datagram);
      } else {
        this.#queue.push(datagram);
      }
    });
  }

  static async open(): Promise<UdpTestSocket> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new UdpTestSocket(socket);
  }

  get port(): number {
    return this.#socket.address().port;
  }

  send(text: string, port: number, address = '127.0.0.1'): void {
    this.#socket.send(Buffer.from(text, 'utf8'), port, address);
  }

  /** The next queued datagram, or the next to arrive; rejects after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<Datagram> {
    const queued = this.#queue.shift();
    if (queued) return queued;
    const controller = new AbortController();
    try {
      return await Promise.race([
        new Promise<Datagram>((resolve) => (this.#waiter = resolve)),
        sleep(timeoutMs, undefined, { signal: controller.signal }).then(() => {
          this.#waiter = undefined;
          throw new Error(`no datagram within ${timeoutMs} ms`);
        }),
      ]);
    } finally {
      controller.abort();
    }
  }

  close(): void {
    try {
      this.#socket.close();
    } catch {
      // Already closed.
    }
  }
}
