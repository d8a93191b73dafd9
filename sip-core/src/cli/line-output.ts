// The lines a serving command prints while it serves — the emulator's one line per call — written so that a reader
// who stops reading costs lines, counted, and never the server's memory or its event loop (docs/adr/0163).
//
// `console.log` to a pipe whose reader has stopped (a paused pager, a stopped job, a script busy elsewhere) does
// not block in Node 20 on Linux: libuv keeps what the kernel would not take in `process.stdout`'s queue, without a
// bound (measured: a paused reader, a writer at 1 MB/s, 1.7 MB queued after two seconds and growing). At the
// emulator's thousands of calls per second that is megabytes a second until the process runs out of memory; where
// stdout is synchronous instead (files, terminals, pipes on some platforms) the same write holds the event loop.
//
// So the lines go through a queue of bounded size, drained by one asynchronous `fs.write` at a time (a blocking
// descriptor blocks a libuv pool thread, not the event loop; a non-blocking one is retried). When the queue is
// full, lines are dropped and counted, and a notice saying how many takes their place once there is room again. A
// reader that has gone (EPIPE) ends the output; the server goes on. `close` waits, with a bound, for what is queued.

import { write } from 'node:fs';
import { systemClock, type Clock } from '../common/clock.js';

/** Where a serving command's lines go. */
export interface LineOutput {
  /** Queues one line (without its newline); never blocks, never throws. */
  line(text: string): void;
  /**
   * Writes what is queued, waiting at most `timeoutMs`; later lines are dropped. Resolves to the number of lines
   * dropped over the output's life (queue full, reader gone, or still queued at the timeout).
   */
  close(timeoutMs?: number): Promise<number>;
}

/** A `LineOutput` that writes each line at once through `out`: for tests and captured output. */
export function directLineOutput(out: (text: string) => void): LineOutput {
  return {
    line: (text) => out(text),
    close: () => Promise.resolve(0),
  };
}

export interface FdLineOutputOptions {
  /** The line that stands in for `count` dropped lines (written where they would have been). */
  readonly droppedNotice: (count: number) => string;
  /** Queued characters at most, newlines included (default 4 MiB: thousands of call lines). */
  readonly maxQueuedChars?: number;
  readonly clock?: Clock;
}

const DEFAULT_MAX_QUEUED_CHARS = 4 * 1024 * 1024;
/** How long close() waits for a reader by default. */
const DEFAULT_CLOSE_TIMEOUT_MS = 2_000;
/** A descriptor someone else made non-blocking answers EAGAIN when full: try again after this long. */
const RETRY_FULL_MS = 10;

/** Lines written to a file descriptor (stdout) from a bounded queue, one asynchronous write at a time. */
export class FdLineOutput implements LineOutput {
  readonly #fd: number;
  readonly #options: FdLineOutputOptions;
  readonly #clock: Clock;
  #queue: string[] = [];
  #queuedChars = 0;
  /** Lines dropped since the last notice: a notice is queued before the next line that fits. */
  #unnoticed = 0;
  #dropped = 0;
  #writing = false;
  #closed = false;
  /** The reader has gone (EPIPE, EBADF…): nothing more is written. */
  #broken = false;
  /** close() gave up waiting: nothing is retried. */
  #abandoned = false;
  #drained: Array<() => void> = [];

  constructor(fd: number, options: FdLineOutputOptions) {
    this.#fd = fd;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  line(text: string): void {
    if (this.#closed || this.#broken) {
      this.#dropped++;
      return;
    }
    const max = this.#options.maxQueuedChars ?? DEFAULT_MAX_QUEUED_CHARS;
    if (this.#queuedChars + text.length + 1 > max) {
      this.#dropped++;
      this.#unnoticed++;
      return;
    }
    if (this.#unnoticed > 0) this.#enqueue(this.#options.droppedNotice(this.#unnoticed));
    this.#unnoticed = 0;
    this.#enqueue(text);
    this.#schedule();
  }

  close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<number> {
    if (!this.#closed) {
      this.#closed = true;
      if (this.#unnoticed > 0 && !this.#broken) {
        this.#enqueue(this.#options.droppedNotice(this.#unnoticed));
        this.#unnoticed = 0;
        this.#schedule();
      }
    }
    if (!this.#writing) return Promise.resolve(this.#dropped);
    return new Promise<number>((resolve) => {
      const timer = this.#clock.setTimeout(() => {
        // The reader is not reading: what is still queued is lost. A write already blocked in the pool cannot be
        // called back; it ends when the reader reads or goes away (until then the process stays, as any writer
        // to a pipe would). A non-blocking descriptor is not retried any more.
        this.#abandoned = true;
        this.#dropped += this.#takeQueued().length;
        resolve(this.#dropped);
      }, timeoutMs);
      this.#drained.push(() => {
        this.#clock.clearTimeout(timer);
        resolve(this.#dropped);
      });
    });
  }

  #enqueue(text: string): void {
    this.#queue.push(text);
    this.#queuedChars += text.length + 1;
  }

  /** Empties the queue: its lines, to write or to count as dropped. */
  #takeQueued(): string[] {
    const lines = this.#queue;
    this.#queue = [];
    this.#queuedChars = 0;
    return lines;
  }

  /**
   * Starts a write at the end of this turn unless one is under way: the lines of one turn (the emulator commits
   * the CDRs of a batch together) leave in one write, which is also what the write in flight collects behind it.
   */
  #schedule(): void {
    if (this.#writing) return;
    this.#writing = true;
    queueMicrotask(() => this.#next());
  }

  /** Writes everything queued now as one write, or settles close() when there is nothing left. */
  #next(): void {
    if (this.#queue.length === 0 || this.#broken) {
      this.#writing = false;
      for (const settle of this.#drained.splice(0)) settle();
      return;
    }
    // #writing is already set: by #schedule, or by the write that just completed.
    const lines = this.#takeQueued();
    this.#write(Buffer.from(`${lines.join('\n')}\n`, 'utf8'), 0, lines.length);
  }

  #write(bytes: Buffer, offset: number, lines: number): void {
    write(this.#fd, bytes, offset, bytes.length - offset, null, (error, written) => {
      if (error) {
        if (error.code === 'EAGAIN' && !this.#abandoned) {
          this.#clock.setTimeout(() => this.#write(bytes, offset, lines), RETRY_FULL_MS);
          return;
        }
        // EPIPE (the reader closed its end), EBADF, EIO: the output is gone for good; the server is not.
        this.#broken = true;
        this.#dropped += lines + this.#takeQueued().length;
        this.#next();
        return;
      }
      // A pipe may take part of a write; the rest follows before anything newer.
      if (offset + written < bytes.length) this.#write(bytes, offset + written, lines);
      else this.#next();
    });
  }
}
