// Where a call's allocations come from, from the sampling heap profile allocation-sampler.mjs writes (Chrome
// DevTools' `.heapprofile`: a tree of call frames, each with the bytes sampled in it). Summed per function over
// the whole tree — a function allocates the same objects whichever path called it — and divided by the calls of
// the sampled phase. The bytes are the profiler's estimate (each sample stands for the mean interval), close to
// what `--trace-gc-nvp` counts as allocated (scavenge-stats.ts) over the same calls.
//
// Functions are named by name and file, not line: the emulator runs through tsx, whose output puts a module on few
// lines, so V8's line and column are not the source's.

/** A call frame as the profiler reports it. */
interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}

/** One node of the profile's tree. */
export interface HeapProfileNode {
  readonly callFrame: CallFrame;
  /** Bytes allocated in this frame itself (the profiler's estimate). */
  readonly selfSize: number;
  readonly children: readonly HeapProfileNode[];
}

export interface HeapProfile {
  readonly head: HeapProfileNode;
}

export interface AllocationSite {
  /** `functionName file` (`(anonymous)` for an unnamed function, `(V8)` for frames with no script). */
  readonly site: string;
  readonly bytesPerCall: number;
  /** Of every byte sampled. */
  readonly share: number;
}

export interface AllocationsPerCall {
  readonly bytesPerCall: number;
  /** The sites that allocated most, largest first. */
  readonly top: readonly AllocationSite[];
}

/** Sums `profile` per function and divides by `calls`; `top` sites in the result. Throws on a profile without a tree. */
export function allocationsPerCall(profile: HeapProfile, calls: number, top = 12): AllocationsPerCall {
  if (typeof profile?.head?.selfSize !== 'number') throw new Error('not a sampling heap profile');
  const bySite = new Map<string, number>();
  let total = 0;
  // Iterative: a deep stack in the emulator must not overflow this process's.
  const pending: HeapProfileNode[] = [profile.head];
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node.selfSize > 0) {
      const key = siteOf(node.callFrame);
      bySite.set(key, (bySite.get(key) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    pending.push(...node.children);
  }
  const perCall = Math.max(calls, 1);
  return {
    bytesPerCall: total / perCall,
    top: [...bySite]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([site, bytes]) => ({
        site,
        bytesPerCall: bytes / perCall,
        share: total > 0 ? bytes / total : 0,
      })),
  };
}

function siteOf(frame: CallFrame): string {
  const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
  if (frame.url === '') return name.startsWith('(') ? name : `${name} (V8)`;
  const file = frame.url.slice(frame.url.lastIndexOf('/') + 1);
  return `${name} ${file}`;
}

/** `104.3 KB per call; largest: serializeSipMessage serialize-sip-message.ts 8.4 KB (8 %), …` */
export function formatAllocationsPerCall(allocations: AllocationsPerCall): string {
  const kb = (bytes: number): string => `${(bytes / 1000).toFixed(1)} KB`;
  const sites = allocations.top.map(
    (s) => `${s.site} ${kb(s.bytesPerCall)} (${Math.round(s.share * 100)} %)`,
  );
  return `${kb(allocations.bytesPerCall)} per call; largest: ${sites.join(', ')}`;
}
