// Cuts a TCP/TLS byte stream into SIP messages (RFC 3261 §18.3) and recognises RFC 5626 keep-alives between them.
// A pure processor: bytes in, messages and signals out; no sockets, no timers. The connection that owns it acts
// on the outputs (deliver, answer a ping, close on failure).

import { scanContentLength } from './content-length.js';

/** Limits that bound the memory and work one connection can cost. */
export interface StreamFramingLimits {
  /** Largest header section (start line, headers and the blank line), in bytes. */
  readonly maxHeaderSectionBytes: number;
  /** Largest Content-Length accepted, in bytes. */
  readonly maxContentLengthBytes: number;
  /**
   * Most complete messages taken from the connection's buffer at once. The rest stay buffered until `pull()`, so
   * that a peer pipelining thousands of small messages cannot hold the event loop while other connections wait.
   */
  readonly maxMessagesPerTurn: number;
}

/**
 * Defaults sized for SIP trunking: a header section with long Via/Record-Route chains stays well under 32 KiB,
 * and bodies (SDP, SIPfrag, multipart with ISUP) under 256 KiB. A 64 KiB read holds fewer than 1024 messages
 * unless they are degenerate (under 64 bytes each), so real traffic never waits for a turn; a flood of tiny
 * messages is slowed down instead of monopolising the event loop.
 */
export const DEFAULT_STREAM_FRAMING_LIMITS: StreamFramingLimits = {
  maxHeaderSectionBytes: 32_768,
  maxContentLengthBytes: 262_144,
  maxMessagesPerTurn: 1024,
};

/** Why a stream could not be framed. The connection is unusable afterwards: framing has lost its place. */
export interface StreamFramingFailure {
  readonly code:
    | 'missing-content-length'
    | 'invalid-content-length'
    | 'conflicting-content-length'
    | 'content-length-too-large'
    | 'header-section-too-large';
  readonly detail: string;
}

export type StreamFramerOutput =
  /** One complete message: header section, blank line and exactly Content-Length bytes of body. */
  | { readonly kind: 'message'; readonly bytes: Buffer }
  /** A double CRLF between messages: an RFC 5626 §3.5.1 keep-alive ping, to be answered with a single CRLF. */
  | { readonly kind: 'ping' }
  /** A single CRLF between messages: a pong, or a stray CRLF that RFC 3261 §7.5 says to ignore. */
  | { readonly kind: 'pong' }
  /** The stream cannot be framed; the framer ignores all further input. */
  | { readonly kind: 'error'; readonly failure: StreamFramingFailure };

/**
 * Where the framer is in the stream.
 *
 * ```
 *            CRLF CRLF → ping, CRLF → pong
 *              ┌──┐
 *              ▼  │   other byte              CRLFCRLF + Content-Length
 *   ┌──────► idle ─┴────────────────► headers ─────────────────────────► body
 *   │                                    │                                │
 *   │                                    │ limit / bad Content-Length     │ all body bytes
 *   │                                    ▼                                │
 *   │                                 failed (terminal)                   │
 *   └─────────────────────────────────────────────────────────────────────┘
 * ```
 */
export type StreamFramerState = 'idle' | 'headers' | 'body' | 'failed';

const CR = 0x0d;
const LF = 0x0a;
const HEADER_END = Buffer.from('\r\n\r\n', 'latin1');

/**
 * Incremental framer for one connection. Cost is linear in the bytes received whatever the chunking: bytes of an
 * incomplete message are kept as received chunks and joined once, when the message is complete. Complete
 * messages inside one chunk are returned as views of that chunk, without copying.
 *
 * Keep-alives are recognised within a received chunk: RFC 5626 peers write a ping as one 4-byte write, which
 * arrives whole. A ping cut after its first CRLF is seen as two pongs (nothing is answered; the pinging side
 * retries or reconnects); any other cut is reassembled.
 */
export class StreamFramer {
  readonly limits: StreamFramingLimits;
  #state: StreamFramerState = 'idle';
  /** Bytes of the unit in progress (a message, or held CR/CRLF bytes in `idle`), in arrival order. */
  #pending: Buffer[] = [];
  #pendingBytes = 0;
  /** In `body`: the total size of the message in progress (header section + body). */
  #messageBytes = 0;
  /** Whether the last call stopped at `maxMessagesPerTurn` with more input held. */
  #backlogged = false;

  constructor(limits: Partial<StreamFramingLimits> = {}) {
    this.limits = { ...DEFAULT_STREAM_FRAMING_LIMITS, ...limits };
  }

  get state(): StreamFramerState {
    return this.#state;
  }

  /** Whether part of a message has arrived but not all of it (what an incomplete-message timeout watches). */
  get hasPartialMessage(): boolean {
    return this.#state === 'headers' || this.#state === 'body';
  }

  /** Bytes held and not yet returned. */
  get bufferedBytes(): number {
    return this.#pendingBytes;
  }

  /**
   * Whether the last `push` or `pull` stopped at `maxMessagesPerTurn` with input left: call `pull()` (on a later
   * turn of the event loop) before pushing more. The owner pauses reading meanwhile, which pushes back on the
   * peer through TCP flow control.
   */
  get hasBacklog(): boolean {
    return this.#backlogged;
  }

  /** Continues with held input after a backlogged call; returns what it completes, like `push`. */
  pull(): StreamFramerOutput[] {
    if (!this.#backlogged) return [];
    this.#backlogged = false;
    const held = this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    return held === undefined ? [] : this.#parse(held);
  }

  /** Feeds received bytes; returns what they complete, in stream order. After an `error` output, returns []. */
  push(chunk: Uint8Array): StreamFramerOutput[] {
    if (this.#state === 'failed' || chunk.length === 0) return [];
    const incoming = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    if (this.#backlogged) {
      // Input while backlogged (an owner that did not pause): keep stream order by holding it behind the backlog.
      this.#pending.push(incoming);
      this.#pendingBytes += incoming.length;
      return this.pull();
    }
    if (this.#pendingBytes > 0) {
      if (!this.#canComplete(incoming)) return this.#hold(incoming);
      this.#pending.push(incoming);
      const joined = Buffer.concat(this.#pending, this.#pendingBytes + incoming.length);
      this.#pending = [];
      this.#pendingBytes = 0;
      return this.#parse(joined);
    }
    return this.#parse(incoming);
  }

  /** Whether `chunk` may complete the held unit; when not, it can be held without joining anything. */
  #canComplete(chunk: Buffer): boolean {
    switch (this.#state) {
      case 'body':
        return this.#pendingBytes + chunk.length >= this.#messageBytes;
      case 'headers':
        return chunk.includes(HEADER_END) || this.#headerEndStraddles(chunk);
      case 'idle':
      case 'failed':
        return true;
    }
  }

  /** Whether CRLFCRLF starts in the last three held bytes and ends in `chunk`. */
  #headerEndStraddles(chunk: Buffer): boolean {
    // Collect the held tail from the last chunks only: joining everything here would make one-byte delivery
    // quadratic.
    const tail: Buffer[] = [];
    let needed = HEADER_END.length - 1;
    for (let i = this.#pending.length - 1; i >= 0 && needed > 0; i--) {
      const held = this.#pending[i] ?? Buffer.alloc(0);
      const take = Math.min(needed, held.length);
      tail.unshift(held.subarray(held.length - take));
      needed -= take;
    }
    return Buffer.concat([...tail, chunk.subarray(0, HEADER_END.length - 1)]).includes(HEADER_END);
  }

  #hold(chunk: Buffer): StreamFramerOutput[] {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (this.#state === 'headers' && this.#pendingBytes > this.limits.maxHeaderSectionBytes) {
      return [this.#fail('header-section-too-large', this.#headerLimitDetail())];
    }
    return [];
  }

  #parse(data: Buffer): StreamFramerOutput[] {
    const outputs: StreamFramerOutput[] = [];
    let offset = 0;
    let messages = 0;
    // A unit resumed from held bytes starts at 0 in `data`, in the state it was left in.
    let state = this.#state;
    for (;;) {
      if (state === 'idle') {
        const skipped = this.#skipKeepAlives(data, offset, outputs);
        offset = skipped.offset;
        if (skipped.holding || offset >= data.length) break;
        state = 'headers';
      }
      if (state === 'headers') {
        const end = data.indexOf(HEADER_END, offset);
        const headerBytes = (end < 0 ? data.length : end + HEADER_END.length) - offset;
        if (headerBytes > this.limits.maxHeaderSectionBytes) {
          outputs.push(this.#fail('header-section-too-large', this.#headerLimitDetail()));
          return outputs;
        }
        if (end < 0) break;
        const scan = scanContentLength(data.subarray(offset, end));
        if (!scan.ok) {
          outputs.push(this.#fail(`${scan.code}-content-length`, scan.detail));
          return outputs;
        }
        if (scan.contentLengthBytes > this.limits.maxContentLengthBytes) {
          const detail = `Content-Length ${scan.contentLengthBytes} exceeds the limit of ${this.limits.maxContentLengthBytes} bytes`;
          outputs.push(this.#fail('content-length-too-large', detail));
          return outputs;
        }
        this.#messageBytes = headerBytes + scan.contentLengthBytes;
        state = 'body';
      }
      if (data.length - offset < this.#messageBytes) break;
      outputs.push({ kind: 'message', bytes: data.subarray(offset, offset + this.#messageBytes) });
      offset += this.#messageBytes;
      this.#messageBytes = 0;
      state = 'idle';
      if (++messages === this.limits.maxMessagesPerTurn && offset < data.length) {
        this.#backlogged = true;
        break;
      }
    }
    this.#state = state;
    if (offset < data.length) {
      this.#pending = [data.subarray(offset)];
      this.#pendingBytes = data.length - offset;
    }
    return outputs;
  }

  /**
   * Consumes CRLFs before a message (RFC 5626 §3.5.1, RFC 3261 §7.5): each CRLFCRLF is a ping, a single CRLF a
   * pong. Stops at the first byte of a message, or at trailing bytes that may still become a ping (`\r`,
   * `\r\n\r`), which are held for the next chunk.
   */
  #skipKeepAlives(
    data: Buffer,
    from: number,
    outputs: StreamFramerOutput[],
  ): { offset: number; holding: boolean } {
    let offset = from;
    let crlfs = 0;
    while (data[offset] === CR && data[offset + 1] === LF) {
      crlfs++;
      offset += 2;
    }
    const holding = offset === data.length - 1 && data[offset] === CR;
    if (holding && crlfs % 2 === 1) {
      // An odd run and a `\r` at the end: the last CRLF and the `\r` may be the first three bytes of a ping.
      crlfs--;
      offset -= 2;
    }
    for (let i = 0; i + 1 < crlfs; i += 2) outputs.push({ kind: 'ping' });
    if (crlfs % 2 === 1) outputs.push({ kind: 'pong' });
    return { offset, holding };
  }

  #headerLimitDetail(): string {
    return `the header section exceeds ${this.limits.maxHeaderSectionBytes} bytes without ending in a blank line`;
  }

  #fail(code: StreamFramingFailure['code'], detail: string): StreamFramerOutput {
    this.#state = 'failed';
    this.#pending = [];
    this.#pendingBytes = 0;
    return { kind: 'error', failure: { code, detail } };
  }
}
