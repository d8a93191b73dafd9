import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { GCProfiler } from 'node:v8';

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
  #gcProfiler: GCProfiler | undefined;
  #inspector: Session | undefined;

  constructor(options: { profileDir?: string; label: string }) {
    this.#profileDir = options.profileDir || undefined;
    this.#label = options.label;
  }

  async start(): Promise<void> {
    // V8's own record of each collection (type and cost), not perf_hooks' 'gc' entries: those disagreed with
    // `--trace-gc` in this benchmark (1.5 scavenges/s of 4 ms where V8 traced 8/s of 0.5 ms, docs/adr/0155).
    this.#gcProfiler = new GCProfiler();
    this.#gcProfiler.start();
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
    const gc = this.#gcPauses();
    const inspector = this.#inspector;
    if (inspector !== undefined && this.#profileDir !== undefined) {
      const { profile } = await inspector.post('Profiler.stop');
      const heap = await inspector.post('HeapProfiler.stopSampling');
      await writeFile(join(this.#profileDir, `${this.#label}.cpuprofile`), JSON.stringify(profile));
      await writeFile(join(this.#profileDir, `${this.#label}.heapprofile`), JSON.stringify(heap.profile));
      inspector.disconnect();
    }
    return gc;
  }

  #gcPauses(): GcPauses {
    const pauses = { scavenges: 0, scavengeTotalMs: 0, scavengeMaxMs: 0, majors: 0, majorMaxMs: 0 };
    for (const { gcType, cost } of this.#gcProfiler?.stop()?.statistics ?? []) {
      const ms = cost / 1000;
      if (gcType === 'Scavenge' || gcType === 'MinorMarkSweep') {
        pauses.scavenges++;
        pauses.scavengeTotalMs += ms;
        pauses.scavengeMaxMs = Math.max(pauses.scavengeMaxMs, ms);
      } else {
        // Mark-sweep-compact and incremental marking steps, counted together.
        pauses.majors++;
        pauses.majorMaxMs = Math.max(pauses.majorMaxMs, ms);
      }
    }
    this.#gcProfiler = undefined;
    return pauses;
  }
}
