// Groups the transport's SIP message records by Call-ID, so that a call's whole ladder can be written with its
// CDR. It subscribes to the stack's `SipTrace` and sits on the hot path of every message, so it is built to cost
// little and to stay bounded whatever the peers send (docs/adr/0078):
//
// - The Call-ID comes from sip/message's own parser (one parser in the code base). When the caller already holds
//   the parsed message, `observeParsed` skips the parse; measured costs are in the README.
// - Per call: at most `maxMessagesPerCall` messages and `maxBytesPerCall` bytes; beyond that the first half of
//   the budget (the INVITE, its answer) and the most recent messages (the BYE) are kept, and the gap is counted.
// - Overall: at most `maxCalls` groups and `maxTotalBytes`; past either, the least recently active groups go
//   first, down to 7/8 of the caps. Groups that nobody `retain`s (stray OPTIONS, responses to nothing, calls
//   whose end never came) also go once they have been quiet for `strayIdleMs` (looked for once a second);
//   retained groups (calls in progress) stay until `take` or `discard`.
// - Stream messages are views into the read buffer; they are copied, so a kept message pins 1 KB, not 64 KB.
//   A message the stack serialized is a slice of Node's 8 KiB Buffer pool and is kept as it is (docs/adr/0169).
// - An established call is quiet for most of its life: a retained group quiet for `compactAfterMs` is packed
//   (the store's deflated trace format) and unpacked at `take`, a third of the memory for an idle call. Short
//   calls never pay for it. A sweep on the owner's Clock (`startCompaction`) packs a bounded number per run.
//
//   records ─► observe ─► Call-ID ─► group (Map, least recently active first) ─► take(callId) at call end
//                                      └─ quiet retained group ─► packed (deflate) ─► unpacked at take
//
// - A response the emulator holds back until its call's CDR is committed (the 200 to the customer's BYE,
//   docs/adr/0150) is recorded when it is queued (`observeQueued`): the CDR must carry it, and it reaches the
//   transport only after the commit. Its later publication by the transport is recognised by the message object
//   the stack hands to `observeParsed` and not recorded a second time.

import type { Clock, TimerHandle } from '../../common/clock.js';
import { toDisposable, type Disposable } from '../../common/disposable.js';
import { parseSipMessage, SipParseError, type SipMessage } from '../../sip/message/index.js';
import type { SipTrace, SipTraceRecord, TraceMessageRecord } from '../../sip/trace/index.js';
import { CellMap } from '../cell-map.js';
import { packSipTrace, unpackSipTrace, type StoredSipMessage } from '../../store/index.js';

export interface SipTraceCollectorOptions {
  readonly maxMessagesPerCall?: number;
  readonly maxBytesPerCall?: number;
  readonly maxCalls?: number;
  readonly maxTotalBytes?: number;
  readonly strayIdleMs?: number;
  /** A retained group quiet this long is packed (deflated); 0 turns packing off. */
  readonly compactAfterMs?: number;
}

const DEFAULTS: Required<SipTraceCollectorOptions> = {
  maxMessagesPerCall: 200,
  maxBytesPerCall: 256 * 1024,
  maxCalls: 20_000,
  maxTotalBytes: 64 * 1024 * 1024,
  // Longer than a transaction lives (64 × T1 = 32 s), so a rejected call's retransmissions still land in it.
  strayIdleMs: 60_000,
  // Well past a call's setup (INVITE … ACK), so that only calls that stay up are packed.
  compactAfterMs: 5_000,
};

/**
 * Idle strays are looked for at most this often (message time), not on every message. Both evictions walk a Map
 * from its front, and V8 leaves every deleted entry there as a hole until the table is rebuilt: walked per
 * message while thousands of strays come and go (a PBX retransmitting into an overloaded emulator), the holes
 * were 6 % of the event loop (docs/adr/0167).
 */
const IDLE_SWEEP_MS = 1_000;
/** Past a cap, groups are evicted down to this share of it, so that the next eviction is thousands of groups away. */
const EVICT_DOWN_TO = 7 / 8;

/** Groups packed per sweep at most (about 40 µs each): a sweep never holds the event loop for long. */
const COMPACTIONS_PER_SWEEP = 256;
/** How often the sweep runs. */
const COMPACTION_SWEEP_MS = 1_000;

/** A message recorded as sent before the transport has it: the fields of a sent record, stamped by the caller. */
export type QueuedMessageRecord = Omit<
  TraceMessageRecord,
  'kind' | 'direction' | 'sequence' | 'retransmission'
>;

/** What the collector has noticed, for diagnostics and tests. */
export interface SipTraceCollectorStats {
  /** Messages grouped. */
  readonly observed: number;
  /** Messages with no Call-ID the parser could read (dropped). */
  readonly unreadable: number;
  /** Messages left out of a group by the per-call caps. */
  readonly omitted: number;
  /** Groups dropped before anyone took them (idle strays, or evicted by the overall caps). */
  readonly evictedCalls: number;
  /** Retained groups packed because their call was quiet. */
  readonly compactedCalls: number;
  readonly calls: number;
  readonly bytes: number;
}

/** A call's collected messages. */
export interface CollectedTrace {
  readonly messages: StoredSipMessage[];
  /** Messages left out between the kept head and tail. */
  readonly omitted: number;
}

interface Group {
  /**
   * The earliest messages, packed once the call was quiet for `compactAfterMs`; they precede `head`. The packed
   * bytes are kept as a one-byte (latin1) string: a string of n bytes is its characters and a 16-byte header on
   * the heap, where a Uint8Array costs a view, an ArrayBuffer and a backing store (about 0.2 KB more per idle
   * call, docs/adr/0093). Each byte is one character, so the round trip is exact.
   */
  packed: string | undefined;
  packedCount: number;
  head: StoredSipMessage[];
  /** Ring of the most recent messages once the head is full. */
  tail: StoredSipMessage[];
  omitted: number;
  bytes: number;
  lastActivityMs: number;
}

export class SipTraceCollector {
  readonly #options: Required<SipTraceCollectorOptions>;
  /**
   * Groups nobody retained, least recently active first (a group moves to the end on activity). This and `#retained`
   * are CellMaps: a plain Map's rebuilt tables keep ended calls' traces from the young-generation collector
   * (docs/adr/0174).
   */
  readonly #strays = new CellMap<string, Group>();
  /** Calls in progress, oldest first; quiet for as long as the call lasts, so never evicted for idleness. */
  readonly #retained = new CellMap<string, Group>();
  #bytes = 0;
  #observed = 0;
  #unreadable = 0;
  #omitted = 0;
  #evicted = 0;
  #compacted = 0;
  /** When `#evict` next looks for idle strays (message time). */
  #nextIdleSweepMs = -Infinity;
  /** Retained Call-IDs in the order they were retained, the candidates for packing (read from `#compactHead`). */
  #compactQueue: string[] = [];
  #compactHead = 0;
  /**
   * Bytes recorded by `observeQueued` whose publication by the transport is still to come. Weak: bytes that never
   * leave (the stack closed first) do not stay here.
   */
  readonly #queued = new WeakSet<Uint8Array>();

  constructor(options: SipTraceCollectorOptions = {}) {
    this.#options = { ...DEFAULTS, ...options };
  }

  /** Collects every message record `trace` publishes from now on. */
  subscribe(trace: SipTrace): Disposable {
    return trace.subscribe((record) => this.observe(record));
  }

  /** Takes one trace record; anything but a message record is ignored. Never throws. */
  observe(record: SipTraceRecord): void {
    if (record.kind !== 'message' || this.#wasQueued(record)) return;
    const callId = callIdOf(record.bytes);
    if (callId === undefined) {
      this.#unreadable++;
      return;
    }
    this.#add(callId, record);
  }

  /** `observe` for a record whose message the caller has parsed already: no second parse. */
  observeParsed(record: TraceMessageRecord, message: SipMessage): void {
    if (this.#wasQueued(record)) return;
    const callId = readCallId(message);
    if (callId === undefined) {
      this.#unreadable++;
      return;
    }
    this.#add(callId, record);
  }

  /**
   * Records `message` as sent now, before it reaches the transport (docs/adr/0150): a response held back until
   * its call's CDR is committed must be in that CDR's trace. The sender hands the transport these very bytes
   * later (`record.bytes`, the same object): the transport's record of them is not kept a second time, whether or
   * not it comes with the message (retransmissions of them are recorded, as always).
   */
  observeQueued(record: QueuedMessageRecord, message: SipMessage): void {
    this.#queued.add(record.bytes);
    const callId = readCallId(message);
    if (callId === undefined) {
      this.#unreadable++;
      return;
    }
    this.#add(callId, { kind: 'message', direction: 'sent', ...record });
  }

  /** The transport now sends bytes recorded when they were queued: the trace keeps the first record only. */
  #wasQueued(record: TraceMessageRecord): boolean {
    return record.direction === 'sent' && this.#queued.delete(record.bytes);
  }

  /** Keeps a group (a call in progress) until `take` or `discard`, however quiet it is. */
  retain(callId: string): void {
    if (this.#retained.has(callId)) return;
    const stray = this.#strays.get(callId);
    this.#strays.delete(callId);
    this.#retained.set(callId, stray ?? newGroup(0));
    if (this.#options.compactAfterMs > 0) this.#compactQueue.push(callId);
  }

  /** Removes and returns a call's messages in the order they crossed the wire. */
  take(callId: string): CollectedTrace {
    const group = this.#group(callId);
    if (!group) return { messages: [], omitted: 0 };
    this.#remove(callId, group);
    return { messages: messagesOf(group), omitted: group.omitted };
  }

  /** A call's messages without removing them (a transfer leg sharing the dialog's Call-ID). */
  peek(callId: string): CollectedTrace {
    const group = this.#group(callId);
    return group ? { messages: messagesOf(group), omitted: group.omitted } : { messages: [], omitted: 0 };
  }

  discard(callId: string): void {
    const group = this.#group(callId);
    if (group) this.#remove(callId, group);
  }

  get stats(): SipTraceCollectorStats {
    return {
      observed: this.#observed,
      unreadable: this.#unreadable,
      omitted: this.#omitted,
      evictedCalls: this.#evicted,
      compactedCalls: this.#compacted,
      calls: this.#strays.size + this.#retained.size,
      bytes: this.#bytes,
    };
  }

  #group(callId: string): Group | undefined {
    return this.#strays.get(callId) ?? this.#retained.get(callId);
  }

  #add(callId: string, record: Omit<TraceMessageRecord, 'sequence'>): void {
    const nowMs = record.monotonicTimeMs;
    let group = this.#retained.get(callId);
    if (!group) {
      group = this.#strays.get(callId) ?? newGroup(nowMs);
      // Delete and set moves it to the end: the Map stays ordered by last activity.
      this.#strays.delete(callId);
      this.#strays.set(callId, group);
    }
    group.lastActivityMs = nowMs;
    this.#observed++;
    this.#append(group, stored(record));
    this.#evict(nowMs, group);
  }

  /** Runs `compactQuiet` every second on `clock` until disposed (nothing when `compactAfterMs` is 0). */
  startCompaction(clock: Clock): Disposable {
    let timer: TimerHandle | undefined;
    if (this.#options.compactAfterMs <= 0) return toDisposable(() => {});
    const sweep = (): void => {
      this.compactQuiet(clock.now());
      timer = clock.setTimeout(sweep, COMPACTION_SWEEP_MS, { unref: true });
    };
    timer = clock.setTimeout(sweep, COMPACTION_SWEEP_MS, { unref: true });
    return toDisposable(() => clock.clearTimeout(timer));
  }

  /**
   * Packs up to COMPACTIONS_PER_SWEEP retained groups quiet since `nowMs − compactAfterMs` (the records'
   * monotonic scale), oldest retained first. The queue is in call order, so it stops at the first group still
   * active: a long call that keeps talking delays the packing of later ones until it is quiet or gone, which
   * costs memory, never correctness. Never throws.
   */
  compactQuiet(nowMs: number): void {
    const { compactAfterMs } = this.#options;
    if (compactAfterMs <= 0) return;
    const queue = this.#compactQueue;
    let done = 0;
    while (this.#compactHead < queue.length && done < COMPACTIONS_PER_SWEEP) {
      const callId = queue[this.#compactHead];
      const group = this.#retained.get(callId);
      if (group !== undefined) {
        if (nowMs - group.lastActivityMs < compactAfterMs) break;
        this.#compact(group);
        done++;
      }
      this.#compactHead++;
    }
    // Drop the consumed part of the queue now and then, so that it does not grow with every call ever made.
    if (this.#compactHead > 1024 && this.#compactHead * 2 > queue.length) {
      this.#compactQueue = queue.slice(this.#compactHead);
      this.#compactHead = 0;
    }
  }

  #compact(group: Group): void {
    const messages = [...group.head, ...group.tail];
    if (messages.length === 0) return;
    let packed: string;
    try {
      // A string owns its characters: nothing of the packer's buffer (possibly a slice of Node's shared pool) stays.
      packed = packSipTrace(messagesOf(group), 'deflate').toString('latin1');
    } catch {
      // A message the store's format refuses stays as it is; it is reported when the CDR is written.
      return;
    }
    const before = group.bytes;
    group.packed = packed;
    group.packedCount += messages.length;
    group.head = [];
    group.tail = [];
    this.#grow(group, packed.length - before);
    this.#compacted++;
  }

  #append(group: Group, message: StoredSipMessage): void {
    const { maxMessagesPerCall, maxBytesPerCall } = this.#options;
    const size = message.bytes.byteLength;
    const headBudget = Math.max(1, Math.floor(maxMessagesPerCall / 2));
    // Once packed, the head is closed: later messages go to the tail ring, so the per-call caps still hold.
    const headOpen =
      group.packedCount === 0 &&
      group.tail.length === 0 &&
      group.omitted === 0 &&
      group.head.length < headBudget;
    if (headOpen && (group.head.length === 0 || group.bytes + size <= maxBytesPerCall / 2)) {
      group.head.push(message);
      this.#grow(group, size);
      return;
    }
    group.tail.push(message);
    this.#grow(group, size);
    const tailBudget = Math.max(1, maxMessagesPerCall - group.head.length - group.packedCount);
    while (group.tail.length > tailBudget || (group.tail.length > 0 && group.bytes > maxBytesPerCall)) {
      const dropped = group.tail.shift();
      if (!dropped) break;
      this.#grow(group, -dropped.bytes.byteLength);
      group.omitted++;
      this.#omitted++;
    }
  }

  #grow(group: Group, bytes: number): void {
    group.bytes += bytes;
    this.#bytes += bytes;
  }

  /**
   * Drops idle strays (at most once per IDLE_SWEEP_MS), then, past an overall cap, strays before calls, least
   * recently active first, down to EVICT_DOWN_TO of the caps.
   */
  #evict(nowMs: number, current: Group): void {
    if (nowMs >= this.#nextIdleSweepMs) {
      this.#nextIdleSweepMs = nowMs + IDLE_SWEEP_MS;
      const { strayIdleMs } = this.#options;
      for (const [callId, group] of this.#strays) {
        if (nowMs - group.lastActivityMs <= strayIdleMs) break;
        this.#remove(callId, group);
        this.#evicted++;
      }
    }
    if (!this.#overCaps(1)) return;
    for (const map of [this.#strays, this.#retained]) {
      for (const [callId, group] of map) {
        if (!this.#overCaps(EVICT_DOWN_TO)) return;
        if (group === current) continue;
        this.#remove(callId, group);
        this.#evicted++;
      }
    }
  }

  /** Past `share` of the overall caps. A method, not a closure per message (under tsx each closure redefines its `name`). */
  #overCaps(share: number): boolean {
    const { maxCalls, maxTotalBytes } = this.#options;
    return this.#strays.size + this.#retained.size > maxCalls * share || this.#bytes > maxTotalBytes * share;
  }

  #remove(callId: string, group: Group): void {
    if (!this.#strays.delete(callId)) this.#retained.delete(callId);
    this.#bytes -= group.bytes;
  }
}

function newGroup(nowMs: number): Group {
  return {
    packed: undefined,
    packedCount: 0,
    head: [],
    tail: [],
    omitted: 0,
    bytes: 0,
    lastActivityMs: nowMs,
  };
}

/** A group's messages in the order they crossed the wire: the packed ones, then the head, then the tail. */
function messagesOf(group: Group): StoredSipMessage[] {
  const packed = group.packed === undefined ? [] : unpackSipTrace(Buffer.from(group.packed, 'latin1'));
  return [...packed, ...group.head, ...group.tail];
}

/**
 * The Call-ID of a message's bytes through sip/message's parser. A message whose other headers are broken but
 * whose Call-ID was read (the parser keeps a partial request for a 400) still counts.
 */
export function callIdOf(bytes: Uint8Array): string | undefined {
  let message: SipMessage | undefined;
  try {
    message = parseSipMessage(bytes);
  } catch (error) {
    message = error instanceof SipParseError ? error.partialRequest : undefined;
  }
  return message === undefined ? undefined : readCallId(message);
}

/** The Call-ID of a parsed message, or undefined when it has none (or, in a partial request, a broken one). */
function readCallId(message: SipMessage): string | undefined {
  try {
    const callId = message.callId;
    return callId === '' ? undefined : callId;
  } catch {
    return undefined;
  }
}

/**
 * A view kept as it is may pin at most this much: Node's Buffer pool (`Buffer.poolSize`, 8 KiB), of which the
 * stack's serialized messages are slices. Nothing writes a pool slice again, and a group lives until its call
 * ends or is packed, so keeping the slice costs a share of 8 KiB that the call's other messages use too. Copying
 * it was a fresh ArrayBuffer per sent message — 3 % of the emulator's event loop in allocation alone, and more
 * in garbage collection (docs/adr/0169). A stream's read chunk (64 KiB) is larger, and is copied.
 */
const MAX_SHARED_BUFFER_BYTES = 8 * 1024;

/** The store's shape of a record; bytes that are a small view of a large buffer (a stream's read chunk) are copied. */
function stored(record: Omit<TraceMessageRecord, 'sequence'>): StoredSipMessage {
  const { bytes } = record;
  const keep =
    bytes.buffer.byteLength <= MAX_SHARED_BUFFER_BYTES || bytes.byteLength === bytes.buffer.byteLength;
  return {
    wallTimeMs: record.wallTimeMs,
    monotonicTimeMs: record.monotonicTimeMs,
    direction: record.direction,
    transport: record.transport,
    local: record.local,
    remote: record.remote,
    ...(record.connectionId !== undefined ? { connectionId: record.connectionId } : {}),
    bytes: keep ? bytes : Uint8Array.prototype.slice.call(bytes),
  };
}
