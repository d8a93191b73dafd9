// Capturing what really went over the loopback with tshark (TESTING.md), for tests that assert on the wire rather
// than on our own counters: a live capture started through PeerProcesses (stopped by PID, with SIGINT so that the
// file is complete), and field or statistics reads of the file afterwards.

import { setTimeout as sleep } from 'node:timers/promises';
import type { PeerProcess, PeerProcesses } from './peer-process.js';

export interface LiveCapture {
  readonly process: PeerProcess;
  /** Stops the capture and waits until the file is written. */
  stop(): Promise<void>;
}

/**
 * Starts `tshark -i lo -f FILTER -F pcap -w FILE` and resolves once it is capturing. `iface: 'any'` captures with
 * Linux cooked headers; `format: 'pcapng'` writes tshark's default format.
 */
export async function startCapture(
  peers: PeerProcesses,
  options: { filter: string; file: string; timeoutMs?: number; iface?: string; format?: 'pcap' | 'pcapng' },
): Promise<LiveCapture> {
  const capture = peers.start('tshark', [
    '-i',
    options.iface ?? 'lo',
    '-f',
    options.filter,
    '-F',
    options.format ?? 'pcap',
    '-w',
    options.file,
  ]);
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  while (!capture.output().includes('Capturing on')) {
    if (Date.now() > deadline) throw new Error(`tshark did not start capturing: ${capture.output()}`);
    await sleep(50);
  }
  return {
    process: capture,
    async stop() {
      try {
        process.kill(capture.pid, 'SIGINT');
      } catch {
        // Already gone.
      }
      await capture.exited;
    },
  };
}

/** Runs tshark on a file and returns its standard output (throws with the output on a non-zero exit). */
export async function tshark(peers: PeerProcesses, args: readonly string[]): Promise<string> {
  const run = await peers.run('tshark', args);
  if (run.exitCode !== 0) throw new Error(`tshark ${args.join(' ')} failed (${run.exitCode}): ${run.output}`);
  return run.output;
}

/** `-T fields` output as rows of columns (tab-separated), empty lines dropped. */
export async function tsharkFields(
  peers: PeerProcesses,
  file: string,
  options: { decodeAs?: readonly string[]; filter?: string; fields: readonly string[] },
): Promise<string[][]> {
  const args = ['-r', file];
  for (const rule of options.decodeAs ?? []) args.push('-d', rule);
  if (options.filter) args.push('-Y', options.filter);
  args.push('-T', 'fields', ...options.fields.flatMap((f) => ['-e', f]));
  const output = await tshark(peers, args);
  return output
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('Running as user'))
    .map((line) => line.split('\t'));
}
