import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { type PerformanceEntry, PerformanceObserver, constants } from 'node:perf_hooks';

// What the process under test of the session benchmark measures about itself besides CPU time: garbage-collection
// pauses over the window (always; a scavenge stops every session's tick at once, so its length is what p99 pacing
// sees), and on request (BENCH_PROFILE_DIR) a CPU profile and an allocation profile of the window, written as
// `.cpuprofile` and `.heapprofile` files that Chrome DevTools opens. The allocation profile counts every sampled
// allocation, also the ones a scavenge collected at once — those are the garbage that makes scavenges frequent —
// which `node --heap-prof` (live objects only) would not show.

export interface GcPauses {
  /** Young-generation collections (scavenges) in the window, their total and longest pause. */
  readonly scavenges: number;
  readonly scavengeTotalMs: number;
  readonly scavengeMaxMs: number;
  /** Old-generation collections (mark-sweep-compact, incremental marking steps counted with them). */
  readonly majors: number;
  readonly majorMaxMs: number;
}

/** Bytes between allocation samples: small enough to see a 20-octet digest, large enough to cost little. */
const ALLOCATION_SAMPLING_BYTES = 4096;

export class WindowProfiler {
  readonly #profileDir: string | undefined;
  readonly #label: string;
  #observer: PerformanceObserver | undefined;
  #inspector: Session | undefined;
  #scavenges = 0;
  #scavengeTotalMs = 0;
  #scavengeMaxMs = 0;
  #majors = 0;
  #majorMaxMs = 0;

  constructor(options: { profileDir?: string; label: string }) {
    this.#profileDir = options.profileDir || undefined;
    this.#label = options.label;
  }

  async start(): Promise<void> {
    this.#observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        // GC entries carry `detail.kind` (Node ≥ 16); the typings declare it only on marks and measures.
        const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
        if (kind === constants.NODE_PERFORMANCE_GC_MINOR) {
          this.#scavenges++;
          this.#scavengeTotalMs += entry.duration;
          this.#scavengeMaxMs = Math.max(this.#scavengeMaxMs, entry.duration);
        } else {
          this.#majors++;
          this.#majorMaxMs = Math.max(this.#majorMaxMs, entry.duration);
        }
      }
    });
    this.#observer.observe({ entryTypes: ['gc'] });
    if (this.#profileDir === undefined) return;
    const inspector = new Session();
    inspector.connect();
    this.#inspector = inspector;
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
    await inspector.post('Profiler.start');
    await inspector.post('HeapProfiler.enable');
    await inspector.post('HeapProfiler.startSampling', {
      samplingInterval: ALLOCATION_SAMPLING_BYTES,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
  }

  /** Stops measuring; writes the profiles when asked to, and returns the GC pauses seen. */
  async stop(): Promise<GcPauses> {
    this.#observer?.disconnect();
    const inspector = this.#inspector;
    if (inspector !== undefined && this.#profileDir !== undefined) {
      const { profile } = await inspector.post('Profiler.stop');
      const heap = await inspector.post('HeapProfiler.stopSampling');
      await writeFile(join(this.#profileDir, `${this.#label}.cpuprofile`), JSON.stringify(profile));
      await writeFile(join(this.#profileDir, `${this.#label}.heapprofile`), JSON.stringify(heap.profile));
      inspector.disconnect();
    }
    return {
      scavenges: this.#scavenges,
      scavengeTotalMs: this.#scavengeTotalMs,
      scavengeMaxMs: this.#scavengeMaxMs,
      majors: this.#majors,
      majorMaxMs: this.#majorMaxMs,
    };
  }
}
