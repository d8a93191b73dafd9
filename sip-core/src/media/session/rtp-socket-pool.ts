import type { Socket } from 'node:dgram';
import type { Clock, TimerHandle } from '../../common/clock.js';
import { UdpRtpTransport, type UdpSocketKeeper } from '../rtp/udp-rtp-transport.js';
import { MediaSessionError } from './media-session-error.js';
import type { RtpPortAllocator, RtpPortLease } from './rtp-port-allocator.js';

// Bound RTP sockets kept between calls (docs/adr/0159). Binding and closing a UDP socket for every call (socket,
// bind, epoll registration; close, deregistration) was ~5 % of the emulator's busy time under a storm of short
// calls. Here an rtcp-mux transport (RTP and RTCP on one socket, as the emulator's far end uses) gives its socket
// back when it is disposed, and a later call on the same address gets it again — still bound, its port still held
// from the allocator — once it has been quiet for the quarantine:
//
//   open ──► a kept socket past its quarantine?  yes ──► adopt it (no bind)
//                                                no  ──► a port from the allocator, bound (as without the pool);
//                                                        the range used up: the longest-kept socket after all
//   transport.dispose() ──► kept: its listeners off, stray datagrams read and dropped, stamped with the time
//   more than `maxKept` kept, or one kept longer than `maxKeptMs` ──► closed, its port back to the allocator
//
// The quarantine is what reusing a port needs: RTP of the previous call still in flight (the peer stops sending at
// BYE; its last packets arrive within milliseconds) reaches a socket nobody listens to and is dropped, not the next
// call on that port. 1 s by default: RTP crosses a network in far less, and a peer that keeps sending long after
// its BYE would disturb a freshly bound port just the same.

export interface RtpSocketPoolOptions {
  readonly clock: Clock;
  /** Where ports come from when no kept socket is ready; the pool holds each kept socket's lease. */
  readonly allocator: RtpPortAllocator;
  /** How long a kept socket stays unused before another call may have it. Default 1000 ms. */
  readonly quarantineMs?: number;
  /** Kept sockets at most; the longest-kept is closed beyond it. Default 4096. */
  readonly maxKept?: number;
  /** A socket kept this long unused is closed and its port given back. Default 30 s. */
  readonly maxKeptMs?: number;
}

/** A transport and its port lease, as `RtpPortAllocator.allocate` gives them. */
export interface PooledRtpTransport {
  readonly transport: UdpRtpTransport;
  /**
   * Released when the call ends, like any lease. The allocator's own lease goes with the socket into the pool when
   * the transport is disposed, so this one has nothing to give back.
   */
  readonly lease: RtpPortLease;
}

interface Kept {
  readonly socket: Socket;
  readonly address: string;
  readonly lease: RtpPortLease;
  readonly keptAtMs: number;
}

export class RtpSocketPool {
  readonly #clock: Clock;
  readonly #allocator: RtpPortAllocator;
  readonly #quarantineMs: number;
  readonly #maxKept: number;
  readonly #maxKeptMs: number;
  /** Kept sockets, longest-kept first, from `#head` on; a slot is emptied when its socket is taken. */
  #slots: (Kept | undefined)[] = [];
  #head = 0;
  #count = 0;
  /** Transports in use that came from this pool: where each is bound, and the allocator's lease for its port. */
  readonly #inUse = new Map<UdpRtpTransport, { readonly address: string; readonly lease: RtpPortLease }>();
  readonly #keeper: UdpSocketKeeper = { keep: (socket, transport) => this.#keep(socket, transport) };
  #sweep: TimerHandle | undefined;
  #closed = false;

  constructor(options: RtpSocketPoolOptions) {
    this.#clock = options.clock;
    this.#allocator = options.allocator;
    this.#quarantineMs = options.quarantineMs ?? 1_000;
    this.#maxKept = options.maxKept ?? 4_096;
    this.#maxKeptMs = options.maxKeptMs ?? 30_000;
  }

  /** Sockets kept for reuse now. */
  get kept(): number {
    return this.#count;
  }

  /**
   * An rtcp-mux transport on `localAddress`: a kept socket past its quarantine when there is one, else a new port
   * from the allocator, bound (rejects as `allocate` does, e.g. MEDIA_PORTS_EXHAUSTED).
   */
  async open(localAddress: string): Promise<PooledRtpTransport> {
    const clock = this.#clock;
    let reused = this.#take(localAddress, false);
    if (reused === undefined) {
      try {
        const { lease, bound } = await this.#allocator.allocate((rtpPort) =>
          UdpRtpTransport.open({ clock, localAddress, rtpPort, rtcpPort: 'mux', keeper: this.#keeper }),
        );
        return this.#lent(bound, localAddress, lease);
      } catch (error) {
        // The range is used up, partly by sockets still in quarantine (a narrow range, a burst of short calls):
        // a port that may yet hear a straggler of the last call is better than no call at all.
        const exhausted = error instanceof MediaSessionError && error.code === 'MEDIA_PORTS_EXHAUSTED';
        reused = exhausted ? this.#take(localAddress, true) : undefined;
        if (reused === undefined) throw error;
      }
    }
    // Where it is bound is known (no getsockname): the address it was kept under, the port of its lease.
    const transport = UdpRtpTransport.adopt({ clock, keeper: this.#keeper }, reused.socket, {
      address: reused.address,
      port: reused.lease.rtpPort,
    });
    return this.#lent(transport, localAddress, reused.lease);
  }

  /** Closes every kept socket and gives their ports back; sockets given back later are closed at once. */
  close(): void {
    this.#closed = true;
    this.#clock.clearTimeout(this.#sweep);
    this.#sweep = undefined;
    for (let i = this.#head; i < this.#slots.length; i++) {
      const kept = this.#slots[i];
      if (kept !== undefined) this.#drop(kept);
    }
    this.#slots = [];
    this.#head = 0;
    this.#count = 0;
  }

  #lent(transport: UdpRtpTransport, address: string, lease: RtpPortLease): PooledRtpTransport {
    this.#inUse.set(transport, { address, lease });
    return { transport, lease: new PooledLease(lease.rtpPort) };
  }

  #keep(socket: Socket, transport: UdpRtpTransport): void {
    const held = this.#inUse.get(transport);
    this.#inUse.delete(transport);
    if (held === undefined) {
      socket.close();
      return;
    }
    const kept: Kept = { socket, address: held.address, lease: held.lease, keptAtMs: this.#clock.now() };
    if (this.#closed) {
      this.#drop(kept);
      return;
    }
    // Datagrams still arriving for the call that ended are read and dropped: nobody hears them, and the socket's
    // receive buffer does not fill up while it waits.
    socket.on('message', ignore);
    socket.on('error', ignore);
    this.#slots.push(kept);
    this.#count++;
    if (this.#count > this.#maxKept) this.#dropAtHead();
    this.#expire(kept.keptAtMs);
    this.#sweep ??= this.#clock.setTimeout(() => this.#onSweep(), this.#maxKeptMs, { unref: true });
  }

  /** The longest-kept socket on `address` if its quarantine is over (or `evenQuarantined`), out of the pool. */
  #take(address: string, evenQuarantined: boolean): Kept | undefined {
    const now = this.#clock.now();
    this.#expire(now);
    for (let i = this.#head; i < this.#slots.length; i++) {
      const kept = this.#slots[i];
      if (kept === undefined || kept.address !== address) continue;
      // Longest-kept first: when this one is still quarantined, every later one on this address is too.
      if (!evenQuarantined && now - kept.keptAtMs < this.#quarantineMs) return undefined;
      this.#slots[i] = undefined;
      this.#count--;
      this.#skipEmptyHead();
      kept.socket.removeAllListeners('message');
      kept.socket.removeAllListeners('error');
      return kept;
    }
    return undefined;
  }

  /** Closes the sockets kept longer than `maxKeptMs` at `now`. */
  #expire(now: number): void {
    const oldest = now - this.#maxKeptMs;
    while (this.#head < this.#slots.length && this.#slots[this.#head]!.keptAtMs <= oldest) this.#dropAtHead();
  }

  #dropAtHead(): void {
    const kept = this.#slots[this.#head]!;
    this.#slots[this.#head] = undefined;
    this.#count--;
    this.#drop(kept);
    this.#skipEmptyHead();
  }

  /** Moves the head past taken slots (so it is always on a kept socket or at the end), compacting now and then. */
  #skipEmptyHead(): void {
    while (this.#head < this.#slots.length && this.#slots[this.#head] === undefined) this.#head++;
    if (this.#head >= 1_024 && this.#head * 2 >= this.#slots.length) {
      this.#slots = this.#slots.slice(this.#head);
      this.#head = 0;
    }
  }

  #onSweep(): void {
    this.#sweep = undefined;
    const now = this.#clock.now();
    this.#expire(now);
    // The head is the longest-kept socket (or the pool is empty): the next sweep is due when it expires, so that no
    // socket outlives maxKeptMs by more than the timer's own lateness.
    const head = this.#slots[this.#head];
    if (head === undefined) return;
    const dueInMs = Math.max(1, head.keptAtMs + this.#maxKeptMs - now);
    this.#sweep = this.#clock.setTimeout(() => this.#onSweep(), dueInMs, { unref: true });
  }

  #drop(kept: Kept): void {
    kept.socket.removeAllListeners('message');
    kept.socket.removeAllListeners('error');
    kept.socket.close();
    kept.lease.release();
  }
}

/**
 * The lease a caller of `open` holds: releasing it gives nothing back, because the port stays held with its socket
 * (by the pool while kept, closed and released there). A class, not a literal with a closure per call (docs/adr/0093).
 */
class PooledLease implements RtpPortLease {
  readonly rtpPort: number;

  constructor(rtpPort: number) {
    this.rtpPort = rtpPort;
  }

  get rtcpPort(): number {
    return this.rtpPort + 1;
  }

  release(): void {}
}

function ignore(): void {}
