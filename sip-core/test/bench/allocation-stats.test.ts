// The benchmark's allocation profile (bench/emulator/allocation-sampler.mjs, allocation-stats.ts): the sampler in a
// real child process, started and stopped by signals as sipp-load.ts does, and the reading of its profile.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  allocationsPerCall,
  formatAllocationsPerCall,
  type HeapProfile,
  type HeapProfileNode,
} from '../../bench/emulator/allocation-stats.js';
import { PeerProcesses } from '../support/peer-process.js';
import { waitFor } from '../support/transport-harness.js';

const SAMPLER = fileURLToPath(new URL('../../bench/emulator/allocation-sampler.mjs', import.meta.url));

function node(
  functionName: string,
  url: string,
  selfSize: number,
  ...children: HeapProfileNode[]
): HeapProfileNode {
  return { callFrame: { functionName, url }, selfSize, children };
}

describe('allocationsPerCall', () => {
  it('sums a function over every path that reached it, largest first, per call', () => {
    const file = 'file:///work/sip-core/src/sip/message/serialize-sip-message.ts';
    const profile: HeapProfile = {
      head: node(
        '(root)',
        '',
        0,
        node('send', 'file:///a/transaction.ts', 100, node('serializeSipMessage', file, 3_000)),
        node('respond', 'file:///a/invite.ts', 0, node('serializeSipMessage', file, 5_000)),
        node('', 'file:///a/outbound-call.ts', 1_000),
        node('(garbage collector)', '', 400),
        node('exec', '', 500),
      ),
    };
    const result = allocationsPerCall(profile, 10, 3);
    expect(result.bytesPerCall).toBe(1_000);
    expect(result.top).toEqual([
      { site: 'serializeSipMessage serialize-sip-message.ts', bytesPerCall: 800, share: 0.8 },
      { site: '(anonymous) outbound-call.ts', bytesPerCall: 100, share: 0.1 },
      { site: 'exec (V8)', bytesPerCall: 50, share: 0.05 },
    ]);
    expect(formatAllocationsPerCall(result)).toBe(
      '1.0 KB per call; largest: serializeSipMessage serialize-sip-message.ts 0.8 KB (80 %), ' +
        '(anonymous) outbound-call.ts 0.1 KB (10 %), exec (V8) 0.1 KB (5 %)',
    );
  });

  it('refuses what is not a sampling heap profile', () => {
    expect(() => allocationsPerCall({} as HeapProfile, 1)).toThrow(/not a sampling heap profile/);
  });
});

describe('allocation-sampler.mjs in a child process', () => {
  const peers = new PeerProcesses();
  const dirs: string[] = [];
  afterEach(async () => {
    // By PID, also a child that ignored SIGINT (its test then fails on the timeout).
    await peers.stopAll();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  // The child allocates short-lived arrays in a function of its own, every millisecond, and (unless told not to)
  // exits on SIGINT as the emulator does. Nothing it allocates stays alive: only a sampler that keeps collected
  // objects sees it.
  const CHILD = `
    function allocateGarbage() {
      let kept = 0;
      for (let i = 0; i < 200; i++) kept += new Array(64).fill(i).length;
      return kept;
    }
    setInterval(allocateGarbage, 1);
    if (process.env.CHILD_HANDLES_SIGINT === '1') process.on('SIGINT', () => process.exit(0));
    console.log('ready');
  `;

  interface ChildRun {
    /** Where the profile was to go. */
    readonly output: string;
    /** What the child wrote to stdout and stderr. */
    readonly printed: string;
    readonly exit: { code: number | null; signal: NodeJS.Signals | null };
  }

  /** Runs the child with the sampler, sends SIGUSR2 (or not), then SIGINT. */
  async function runChild(
    startSampling: boolean,
    {
      profileIn,
      handlesSigint = true,
    }: { profileIn?: (dir: string) => string; handlesSigint?: boolean } = {},
  ): Promise<ChildRun> {
    const dir = mkdtempSync(join(tmpdir(), 'alloc-sampler-'));
    dirs.push(dir);
    const output = profileIn?.(dir) ?? join(dir, 'child.heapprofile');
    const child = peers.start(process.execPath, ['--import', SAMPLER, '--input-type=module', '-e', CHILD], {
      env: {
        ...process.env,
        TRUNKLINE_ALLOC_PROFILE: output,
        CHILD_HANDLES_SIGINT: handlesSigint ? '1' : '0',
      },
    });
    await waitFor(() => child.output().includes('ready'), 'the child to start');
    if (startSampling) process.kill(child.pid, 'SIGUSR2');
    await sleep(400);
    process.kill(child.pid, 'SIGINT');
    const code = await child.exited;
    return { output, printed: child.output(), exit: { code, signal: child.signal() } };
  }

  it('samples from SIGUSR2 to SIGINT, collected objects included, and the process still stops', async () => {
    const { output, exit } = await runChild(true);
    expect(exit).toEqual({ code: 0, signal: null });
    const result = allocationsPerCall(JSON.parse(readFileSync(output, 'utf8')) as HeapProfile, 1, 5);
    const garbage = result.top.find((s) => s.site.startsWith('allocateGarbage '));
    // ~200 arrays of 64 elements a millisecond for ~0.4 s: megabytes, all of them dead by the end.
    expect(garbage?.bytesPerCall).toBeGreaterThan(1_000_000);
    expect(garbage?.share).toBeGreaterThan(0.5);
  });

  it('writes nothing when sampling was never started', async () => {
    const { output, exit } = await runChild(false);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(output)).toBe(false);
  });

  it('says so on stderr when the profile cannot be written, and the process still stops', async () => {
    const { output, printed, exit } = await runChild(true, {
      profileIn: (dir) => join(dir, 'no-such-folder', 'child.heapprofile'),
    });
    expect(exit).toEqual({ code: 0, signal: null });
    expect(existsSync(output)).toBe(false);
    expect(printed).toContain(`allocation sampler: not written to ${output}`);
  });

  it('leaves a process without a SIGINT handler of its own to end by the signal, profile written', async () => {
    const { output, exit } = await runChild(true, { handlesSigint: false });
    expect(exit).toEqual({ code: null, signal: 'SIGINT' });
    const profile = JSON.parse(readFileSync(output, 'utf8')) as HeapProfile;
    expect(allocationsPerCall(profile, 1).bytesPerCall).toBeGreaterThan(0);
  });
});
