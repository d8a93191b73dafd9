// A UDP relay that stands between the phone and the test trunk and drops datagrams by rule — the path of a lossy
// network, in user space (the kernel here has no netem; media/impairment does the same for RTP). The phone sends
// to `clientPort`; the trunk sees the relay's other socket as the phone's address and sends everything back there
// (symmetric signalling), so requests and responses in both directions cross it.

import dgram from 'node:dgram';
import type { SocketAddress } from '../../src/sip/transport/index.js';

export type RelayDirection = 'to-trunk' | 'to-phone';

/** What the drop rule sees of each datagram. */
export interface RelayedDatagram {
  readonly direction: RelayDirection;
  /** The start line ("INVITE sip:… SIP/2.0", "SIP/2.0 200 OK"). */
  readonly startLine: string;
  /** The CSeq method, for responses too. */
  readonly cseqMethod: string;
  /** 0-based count of datagrams with the same direction, start line kind and CSeq method seen before. */
  readonly occurrence: number;
}

export class LossyUdpRelay {
  readonly dropped: RelayedDatagram[] = [];
  readonly forwarded: RelayedDatagram[] = [];
  readonly #client = dgram.createSocket('udp4');
  readonly #trunkSide = dgram.createSocket('udp4');
  readonly #seen = new Map<string, number>();
  #phone: SocketAddress | undefined;

  private constructor(
    readonly trunk: SocketAddress,
    readonly shouldDrop: (datagram: RelayedDatagram) => boolean,
  ) {}

  /** `phone` is where trunk-side datagrams go before the phone has sent anything (inbound calls). */
  static async start(
    trunk: SocketAddress,
    shouldDrop: (datagram: RelayedDatagram) => boolean,
    phone?: SocketAddress,
  ): Promise<LossyUdpRelay> {
    const relay = new LossyUdpRelay(trunk, shouldDrop);
    relay.#phone = phone;
    await Promise.all(
      [relay.#client, relay.#trunkSide].map(
        (socket) => new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve)),
      ),
    );
    relay.#client.on('message', (data, from) => {
      relay.#phone = { address: from.address, port: from.port };
      relay.#relay(data, 'to-trunk', relay.#trunkSide, trunk);
    });
    relay.#trunkSide.on('message', (data) => {
      if (relay.#phone !== undefined) relay.#relay(data, 'to-phone', relay.#client, relay.#phone);
    });
    return relay;
  }

  /** Where the phone sends (its outbound proxy). */
  get clientPort(): number {
    return this.#client.address().port;
  }

  /** Where the trunk sends to reach the phone through the relay. */
  get trunkSidePort(): number {
    return this.#trunkSide.address().port;
  }

  close(): Promise<void> {
    return Promise.all(
      [this.#client, this.#trunkSide].map(
        (socket) => new Promise<void>((resolve) => socket.close(() => resolve())),
      ),
    ).then(() => undefined);
  }

  #relay(data: Buffer, direction: RelayDirection, out: dgram.Socket, to: SocketAddress): void {
    const text = data.toString('latin1');
    const startLine = text.slice(0, text.indexOf('\r\n'));
    const cseqMethod = /\r\nCSeq:\s*\d+\s+(\S+)/i.exec(text)?.[1] ?? '';
    const kind = startLine.startsWith('SIP/2.0') ? startLine.slice(0, 11) : startLine.split(' ')[0];
    const key = `${direction}|${kind}|${cseqMethod}`;
    const occurrence = this.#seen.get(key) ?? 0;
    this.#seen.set(key, occurrence + 1);
    const datagram = { direction, startLine, cseqMethod, occurrence };
    if (this.shouldDrop(datagram)) {
      this.dropped.push(datagram);
      return;
    }
    this.forwarded.push(datagram);
    out.send(data, to.port, to.address);
  }
}
