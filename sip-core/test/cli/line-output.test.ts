// FdLineOutput against a real pipe (docs/adr/0163): a reader that stops reading costs lines, counted and noticed
// where they would have been, never the writer's event loop; a reader that goes away ends the output, not the
// process; close() waits for the reader with a bound.

import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { directLineOutput } from '../../src/cli/line-output.js';

const CHILD = fileURLToPath(new URL('../support/line-output-child.ts', import.meta.url));
const children: Array<ChildProcessByStdio<null, Readable, Readable>> = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface Child {
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  stdout(): string;
  stderr(): string;
  /** Resolves once stderr holds `text` `times` times. */
  waitFor(text: string, times?: number): Promise<void>;
  exited: Promise<number | null>;
}

function start(lines: number, maxQueuedChars: number, closeTimeoutMs: number): Child {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, String(lines), String(maxQueuedChars), String(closeTimeoutMs)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  let err = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString('utf8');
    for (const wake of waiters.splice(0)) wake();
  });
  // Not read until the test resumes it: the pipe fills at 64 KB.
  child.stdout.pause();
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(text, times = 1) {
      while (err.split('\n').filter((line) => line.startsWith(text)).length < times) {
        if (child.exitCode !== null) throw new Error(`the child exited: ${err}`);
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    },
    exited,
  };
}

describe('FdLineOutput on a pipe', () => {
  it('keeps the event loop running while the reader does not read; drops past the bound, with a notice', async () => {
    // 500 lines of 1 KB in one turn against a 100 KB bound: ~100 queued (more than the pipe's 64 KB), 400 dropped.
    const run = start(500, 100_000, 5_000);
    await run.waitFor('ready');
    await run.waitFor('tick', 20); // 200 ms of a live event loop with a full pipe and nobody reading
    expect(run.stdout()).toBe('');
    run.child.stdout.resume();
    run.child.kill('SIGTERM');
    await run.waitFor('closed');
    expect(await run.exited).toBe(0);

    const lines = run.stdout().trimEnd().split('\n');
    const kept = lines.length - 1;
    expect(kept).toBeGreaterThan(64);
    expect(lines.slice(0, kept).map((line) => line.split(' ')[1])).toEqual(
      Array.from({ length: kept }, (_, i) => String(i)),
    );
    expect(lines[kept]).toBe(`DROPPED ${500 - kept}`);
    expect(run.stderr()).toContain(`closed ${500 - kept}\n`);
  });

  it('a reader that goes away ends the output, not the process, and the lost lines are counted', async () => {
    const run = start(200, 1_000_000, 5_000);
    run.child.stdout.destroy();
    await run.waitFor('ready');
    await run.waitFor('tick', 5);
    run.child.kill('SIGTERM');
    await run.waitFor('closed');
    expect(run.stderr()).toContain('closed 200\n');
    expect(await run.exited).toBe(0);
  });

  it('close() waits for a reader only so long; the lines still queued then are counted as dropped', async () => {
    // Nothing is read: the first write (all 200 lines) blocks; close() gives up after 100 ms with nothing else
    // queued, so none is counted. Then the reader reads, and the blocked write completes.
    const run = start(200, 1_000_000, 100);
    await run.waitFor('ready');
    run.child.kill('SIGTERM');
    await run.waitFor('closed');
    expect(run.stderr()).toContain('closed 0\n');
    expect(run.stdout()).toBe('');
    run.child.stdout.resume();
    expect(await run.exited).toBe(0);
    expect(run.stdout().trimEnd().split('\n')).toHaveLength(200);
  });
});

describe('directLineOutput', () => {
  it('writes each line at once through out', async () => {
    const seen: string[] = [];
    const output = directLineOutput((text) => seen.push(text));
    output.line('a');
    output.line('b');
    expect(seen).toEqual(['a', 'b']);
    expect(await output.close()).toBe(0);
  });
});
