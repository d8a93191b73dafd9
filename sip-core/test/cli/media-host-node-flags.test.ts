import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MEDIA_HOST_NODE_FLAGS } from '../../bin/node-flags.mjs';

// The V8 flags of the processes that host media sessions (docs/adr/0156): one list in bin/node-flags.mjs, repeated
// where a list cannot be imported — the launcher's shebang and package.json's `trunkline` script.
const run = promisify(execFile);
const bin = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
};

describe('MEDIA_HOST_NODE_FLAGS', () => {
  it('is what the launcher’s shebang passes to node', () => {
    const shebang = readFileSync(bin, 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${MEDIA_HOST_NODE_FLAGS.join(' ')}`);
  });

  it('is what `npm run trunkline` passes to node', () => {
    expect(pkg.scripts.trunkline).toBe(`node ${MEDIA_HOST_NODE_FLAGS.join(' ')} sip-core/bin/trunkline.mjs`);
  });

  it('runs the launcher when executed through its shebang', async () => {
    const { stdout } = await run(bin, ['--version']);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('starts this Node’s young generation at 16 MB per semi-space (1 MB without the flags)', async () => {
    const probe =
      "const v8 = require('node:v8');" +
      "const s = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');" +
      'console.log(s.space_size / 1048576);';
    const flagged = await run(process.execPath, [...MEDIA_HOST_NODE_FLAGS, '-e', probe]);
    const plain = await run(process.execPath, ['-e', probe]);
    expect(Number(flagged.stdout)).toBeGreaterThanOrEqual(16);
    expect(Number(plain.stdout)).toBeLessThan(16);
  });

  it('turns V8’s allocation-site pretenuring off, which this Node does by default (docs/adr/0174)', async () => {
    // Objects of one literal site that all survive: V8 decides to allocate that site's objects in the old generation.
    const probe =
      'function make(i) { return { i, next: null }; }' +
      'const keep = []; for (let r = 0; r < 20; r++) for (let i = 0; i < 2e5; i++) keep.push(make(i));';
    const traced = ['--trace-pretenuring', '--trace-pretenuring-statistics', '-e', probe];
    const flagged = await run(process.execPath, [...MEDIA_HOST_NODE_FLAGS, ...traced]);
    const plain = await run(process.execPath, traced);
    expect(plain.stdout).toMatch(/AllocationSite\(.*=> tenure/);
    expect(flagged.stdout).not.toMatch(/AllocationSite/);
  });
});
