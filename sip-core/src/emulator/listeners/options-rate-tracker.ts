// The OPTIONS ping rate per source and trunk (BEHAVIOUR.md §3, §11, §20): policy's `assessOptionsRate` decides
// from a history of ping times; this keeps the histories and the blocks, and turns changes into events. A
// warning is raised when a source starts pinging too fast (not for every ping after), a block when the sustained
// rate crosses the blocking threshold, and `unblocked` when the block ends. While a source is blocked, OPTIONS
// and INVITEs from it get no answer (the policy's `options-rate.blocked` rule drops them).

import type { Clock, TimerHandle } from '../../common/clock.js';
import { LruMap } from '../../common/lru-map.js';
import {
  assessOptionsRate,
  pruneOptionsHistory,
  type OptionsRateAssessment,
  type PolicySettings,
} from '../../policy/index.js';
import { stamped, type Endpoint, type EmulatorEventSink } from '../emulator-events.js';

/** Histories kept at most: a flood from many addresses cannot grow memory without bound. */
const MAX_HISTORIES = 10_000;

interface History {
  times: number[];
  level: OptionsRateAssessment['level'];
}

export class OptionsRateTracker {
  readonly #clock: Clock;
  readonly #events: EmulatorEventSink;
  #settings: PolicySettings;
  /** By `source IP|trunk host`; the one pinged longest ago goes first when a flood fills it. */
  readonly #histories = new LruMap<string, History>(MAX_HISTORIES);
  /** Blocks by source IP, each with the timer that lifts it. */
  readonly #blocks = new Map<string, { untilMs: number; timer: TimerHandle; source: Endpoint }>();

  constructor(clock: Clock, settings: PolicySettings, events: EmulatorEventSink) {
    this.#clock = clock;
    this.#settings = settings;
    this.#events = events;
  }

  /** Whether requests from this address get no answer now. */
  isBlocked(sourceIp: string): boolean {
    return this.#blocks.has(sourceIp);
  }

  /** Records an OPTIONS from `source` to `trunkHost` and says how the rate stands (events on changes). */
  ping(source: Endpoint, trunkHost: string, trunkId: string | null): OptionsRateAssessment {
    const nowMs = this.#clock.now();
    const key = `${source.address}|${trunkHost.toLowerCase()}`;
    let history = this.#histories.get(key);
    if (history === undefined) {
      history = { times: [], level: 'ok' };
      this.#histories.set(key, history);
    }
    history.times = pruneOptionsHistory(history.times, nowMs, this.#settings);
    history.times.push(nowMs);

    const block = this.#blocks.get(source.address);
    const assessment = assessOptionsRate(history.times, nowMs, block?.untilMs, this.#settings);
    const previous = history.level;
    history.level = assessment.level;
    if (assessment.level === 'blocked' && block === undefined && assessment.blockedUntilMs !== undefined) {
      this.#block(source, trunkId, assessment);
    } else if (assessment.level === 'warn' && previous === 'ok') {
      this.#emit('warning', source, trunkId, assessment.reason);
    }
    return assessment;
  }

  /** Ends every block and forgets every history (settings changed, or the emulator stops). */
  dispose(): void {
    for (const block of this.#blocks.values()) this.#clock.clearTimeout(block.timer);
    this.#blocks.clear();
    this.#histories.clear();
  }

  #block(source: Endpoint, trunkId: string | null, assessment: OptionsRateAssessment): void {
    const untilMs = assessment.blockedUntilMs!;
    const timer = this.#clock.setTimeout(() => {
      this.#blocks.delete(source.address);
      for (const [key, history] of this.#histories.entries()) {
        if (key.startsWith(`${source.address}|`)) history.times = [];
      }
      this.#emit('unblocked', source, trunkId, 'the OPTIONS block ended; requests are answered again');
    }, untilMs - this.#clock.now());
    this.#blocks.set(source.address, { untilMs, timer, source });
    this.#emit(
      'blocked',
      source,
      trunkId,
      assessment.reason,
      this.#clock.wallNow() + (untilMs - this.#clock.now()),
    );
  }

  #emit(
    state: 'warning' | 'blocked' | 'unblocked',
    source: Endpoint,
    trunkId: string | null,
    detail: string,
    blockedUntilWallMs?: number,
  ): void {
    this.#events.emit(
      'optionsRate',
      stamped(this.#clock, {
        state,
        source: { address: source.address, port: source.port },
        trunkId,
        detail,
        ...(blockedUntilWallMs !== undefined ? { blockedUntilWallMs } : {}),
      }),
    );
  }
}
