// What V8's young-generation collections cost per call, from the lines `--trace-gc-nvp` prints for each one
// (`[pid:0x…]  1234 ms: pause=5.1 … gc=s … allocated=… promoted=… new_space_survived=…`). A scavenge copies every
// young object still reachable, so its cost follows what survives it, not what was allocated: under SIPp load the
// emulator allocated ~100 KB per call, and 6–13 KB of it outlived a scavenge, which cost 43–59 µs of the main
// thread per call and as much again on V8's helper thread (emulator README, "Benchmark numbers", 29 Nov
// evening). The byte counts are what a change to the call's object graph moves; they do not depend on the host's
// speed the way CPU time does.
//
// Lines of every isolate arrive on the same stdout (the CDR writer thread is a second one); the main thread's is
// the one with the most scavenges in the window.

/** One `gc=s` line. */
export interface Scavenge {
  /** The isolate's address as printed (`0x7f…`): tells the main thread from a worker. */
  readonly isolate: string;
  /** Main-thread pause, ms. */
  readonly pauseMs: number;
  /** The helper threads' share of the parallel scavenge, ms. */
  readonly backgroundMs: number;
  /** Bytes allocated in the young generation since the previous collection. */
  readonly allocatedBytes: number;
  /** Bytes copied within the young generation (survived once). */
  readonly survivedBytes: number;
  /** Bytes moved to the old generation (survived twice). */
  readonly promotedBytes: number;
}

/** The scavenge a `--trace-gc-nvp` line reports, or undefined for any other line (a mark-compact, output). */
export function parseScavenge(line: string): Scavenge | undefined {
  const isolate = /^\[\d+:(0x[0-9a-f]+)\]/.exec(line)?.[1];
  if (isolate === undefined || !line.includes(' gc=s ')) return undefined;
  const value = (name: string): number => {
    const match = new RegExp(`(?:^|\\s)${name.replaceAll('.', '\\.')}=([0-9.]+)`).exec(line);
    return match ? Number(match[1]) : Number.NaN;
  };
  const scavenge: Scavenge = {
    isolate,
    pauseMs: value('pause'),
    backgroundMs: value('background.scavenge.parallel'),
    allocatedBytes: value('allocated'),
    survivedBytes: value('new_space_survived'),
    promotedBytes: value('promoted'),
  };
  return Object.values(scavenge).some((field) => Number.isNaN(field)) ? undefined : scavenge;
}

/** The main isolate's scavenges in a window, per call. */
export interface ScavengesPerCall {
  readonly scavenges: number;
  readonly allocatedKb: number;
  readonly survivedKb: number;
  readonly promotedKb: number;
  /** Main-thread pause, µs per call. */
  readonly pauseUs: number;
  /** Helper threads, µs per call. */
  readonly backgroundUs: number;
}

/** Per call over `calls` calls, from the lines printed meanwhile; a reason when they hold no scavenge. */
export function scavengesPerCall(lines: readonly string[], calls: number): ScavengesPerCall | string {
  const byIsolate = new Map<string, Scavenge[]>();
  for (const line of lines) {
    const scavenge = parseScavenge(line);
    if (scavenge === undefined) continue;
    const list = byIsolate.get(scavenge.isolate) ?? [];
    list.push(scavenge);
    byIsolate.set(scavenge.isolate, list);
  }
  const main = [...byIsolate.values()].sort((a, b) => b.length - a.length)[0];
  if (main === undefined || calls <= 0) return 'no scavenge in the measured batch';
  const sum = (field: keyof Omit<Scavenge, 'isolate'>): number =>
    main.reduce((total, scavenge) => total + scavenge[field], 0);
  return {
    scavenges: main.length,
    allocatedKb: sum('allocatedBytes') / 1024 / calls,
    survivedKb: sum('survivedBytes') / 1024 / calls,
    promotedKb: sum('promotedBytes') / 1024 / calls,
    pauseUs: (sum('pauseMs') * 1000) / calls,
    backgroundUs: (sum('backgroundMs') * 1000) / calls,
  };
}

export function formatScavengesPerCall(result: ScavengesPerCall | string): string {
  if (typeof result === 'string') return result;
  return (
    `${result.scavenges} scavenges; per call ${result.allocatedKb.toFixed(1)} KB allocated, ` +
    `${result.survivedKb.toFixed(1)} KB survived once, ${result.promotedKb.toFixed(1)} KB promoted, ` +
    `${result.pauseUs.toFixed(1)} µs main-thread pause + ${result.backgroundUs.toFixed(1)} µs on helpers`
  );
}
