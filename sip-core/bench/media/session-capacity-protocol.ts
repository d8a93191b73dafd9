// The messages between the session-capacity benchmark (parent) and its two child processes: the process with the
// sessions under test (or the bare UDP echo reference) and the load generator. Keys travel as base64 key‖salt.

import type { GcPauses } from './window-profiler.js';

export type EchoMode = 'session' | 'bare-echo';

/** One far end: where the load generator sends from and receives on. */
export interface FarEnd {
  readonly port: number;
}

/** One echo endpoint in the process under test, and the SRTP keys of its session. */
export interface EchoEndpoint {
  readonly rtpPort: number;
  /** The key the session receives with: the load generator protects with it. Absent for bare echo. */
  readonly receiveKey?: string;
  /** The key the session sends with: the load generator checks echoes with it. */
  readonly sendKey?: string;
}

export type ParentToChild =
  | { readonly type: 'far-ends'; readonly farEnds: readonly FarEnd[] }
  | { readonly type: 'endpoints'; readonly endpoints: readonly EchoEndpoint[] }
  | { readonly type: 'start' }
  | { readonly type: 'window-start' }
  | { readonly type: 'window-end' };

export interface EchoSideResult {
  readonly cpuSeconds: number;
  /** The part of `cpuSeconds` spent in the kernel (sockets, wake-ups of the peer). */
  readonly systemCpuSeconds: number;
  readonly wallSeconds: number;
  readonly rssBytesPerEndpoint: number;
  readonly heapBytesPerEndpoint: number;
  /** Packets the sessions expected and lost on their receive side in the window (0 for bare echo). */
  readonly expected: number;
  readonly lost: number;
  /** p99 of the send-interval deviation over the window, across all sessions (ms; 0 for bare echo). */
  readonly p99IntervalDeviationMs: number;
  /** The same distribution's p90 and p99.9: how the tail behind the p99 is shaped. */
  readonly p90IntervalDeviationMs: number;
  readonly p999IntervalDeviationMs: number;
  readonly maxLatenessMs: number;
  readonly skippedFrames: number;
  readonly srtpAuthFailures: number;
  /** Garbage-collection pauses in the window. */
  readonly gc: GcPauses;
  /**
   * Times the kernel took the CPU from the process in the window while it could still run (getrusage's involuntary
   * context switches): a neighbour's job, or the load generator, ran instead of a due tick.
   */
  readonly involuntarySwitches: number;
}

export interface LoadSideResult {
  readonly sent: number;
  /** Echoes expected (from their sequence numbers) and lost in the window. */
  readonly expected: number;
  readonly lost: number;
  /** Echoes sampled for SRTP authentication, and how many failed. */
  readonly verified: number;
  readonly verifyFailures: number;
  readonly cpuSeconds: number;
}

export type ChildToParent =
  | { readonly type: 'far-ends'; readonly farEnds: readonly FarEnd[] }
  | { readonly type: 'endpoints'; readonly endpoints: readonly EchoEndpoint[] }
  | { readonly type: 'echo-result'; readonly result: EchoSideResult }
  | { readonly type: 'load-result'; readonly result: LoadSideResult };
