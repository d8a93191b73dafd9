// Loaded into the emulator with `--import` by sipp-load.ts (BENCH_EMULATOR_CPU_ALLOC=DIR): V8's sampling heap
// profiler over one phase of the CPU part, objects the collector has freed since included. A CPU profile says where the
// time goes; this says where the ~100 KB a short call allocates comes from, which is what sets how often the
// scavenger runs (allocation-stats.ts reads the result).
//
//   SIGUSR2                    start sampling (the bench sends it just before the phase it measures)
//   SIGINT / SIGTERM           stop and write the profile to TRUNKLINE_ALLOC_PROFILE (Chrome DevTools' format), then
//                              the emulator's own handler stops it as usual (a process without one of its own
//                              gets the signal's default, exit, as it would have without the sampler)
//   TRUNKLINE_ALLOC_INTERVAL   mean bytes between samples (default 16384: about 6 per call, 100,000 over a 20,000-call
//                              phase; at 4096 the sampler added about half to the main thread's CPU per call)
//
// Plain JavaScript, not TypeScript: it is imported before the bin registers tsx. An inspector session on the same
// thread answers `post` before `post` returns, so the profile is on disk before the signal handlers after this one
// run.

import { writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector';

const output = process.env.TRUNKLINE_ALLOC_PROFILE;
const interval = Number(process.env.TRUNKLINE_ALLOC_INTERVAL ?? 16384);

if (output !== undefined && output !== '') {
  const session = new Session();
  session.connect();
  let sampling = false;
  process.on('SIGUSR2', () => {
    if (sampling) return;
    session.post(
      'HeapProfiler.startSampling',
      {
        samplingInterval: interval,
        // Without these the profile holds only what is still alive when it stops: a call's garbage would not show.
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      },
      (error) => {
        if (error) writeSync(2, `allocation sampler: not started: ${error.message}\n`);
        else sampling = true;
      },
    );
  });
  const stopAndWrite = () => {
    if (!sampling) return;
    sampling = false;
    session.post('HeapProfiler.stopSampling', (error, result) => {
      if (error) {
        writeSync(2, `allocation sampler: not written: ${error.message}\n`);
        return;
      }
      // A profile that cannot be written (no such folder, a full disk) must not keep the process from stopping.
      try {
        writeFileSync(output, JSON.stringify(result.profile));
      } catch (writeError) {
        writeSync(2, `allocation sampler: not written to ${output}: ${writeError.message}\n`);
      }
    });
  };
  const onSignal = (signal) => {
    stopAndWrite();
    // A listener replaces Node's default for the signal: when no handler of the process's own is there, raise it
    // again without this one, so that the process ends as it would have.
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  };
  process.prependListener('SIGINT', onSignal);
  process.prependListener('SIGTERM', onSignal);
}
