import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../../bin/trunkline.mjs', import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// The real launcher in a child process: what a user gets from `npx trunkline`.
describe('trunkline bin', () => {
  it('prints the package version with --version', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version']);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('prints usage with --help and exits 0', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help']);
    expect(stdout).toContain('Usage: trunkline');
    expect(stdout).toContain('--version');
  });

  it('rejects an unknown option with a non-zero status and a hint', async () => {
    const failure = await run(process.execPath, [bin, '--no-such-flag']).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('--help');
  });
});
