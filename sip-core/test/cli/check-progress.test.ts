import { describe, expect, it } from 'vitest';
import { CheckRunner } from '../../src/checks/index.js';
import { progressListeners, summaryLines } from '../../src/cli/check-progress.js';
import { fakeCheck, testTarget } from '../support/check-fixtures.js';

async function render(interactive: boolean): Promise<{ lines: string[]; live: string[] }> {
  const lines: string[] = [];
  const live: string[] = [];
  const runner = new CheckRunner({
    services: {},
    checks: [
      fakeCheck('dns', (context) => {
        context.progress(0.5, 'A/AAAA');
        return Promise.resolve({ status: 'pass', summary: 'resolves' });
      }),
      fakeCheck('auth', 'fail', { dependsOn: ['dns'] }),
    ],
  });
  const listeners = progressListeners(
    interactive ? { line: (t) => lines.push(t), live: (t) => live.push(t) } : { line: (t) => lines.push(t) },
  );
  for (const [event, listener] of Object.entries(listeners))
    runner.on(event as keyof typeof listeners, listener);
  const run = await runner.run(testTarget());
  lines.push(...summaryLines(run.results, run.verdict));
  return { lines, live };
}

describe('check progress display', () => {
  it('prints plain lines when not on a terminal', async () => {
    const { lines, live } = await render(false);
    expect(live).toEqual([]);
    expect(lines.slice(0, 6)).toEqual([
      'Checking 21784177241578.zt.plivo.com over UDP: 2 checks.',
      '[1/2] dns: started',
      // A progress note is a line of its own (a call check's steps in a CI log); a bare fraction is not.
      '[1/2] dns: A/AAAA',
      '[1/2] PASS dns (0 ms): resolves',
      '[2/2] auth: started',
      '[2/2] FAIL auth (0 ms): auth fail',
    ]);
    expect(lines).toContain('  Remedy: fix auth');
    expect(lines.at(-1)).toBe('FAILED: 1 passed, 0 warnings, 1 failed, 0 skipped.');
  });

  it('redraws a live line with a bar on a terminal', async () => {
    const { live } = await render(true);
    expect(live).toContain('[1/2] Check dns ██████████░░░░░░░░░░ A/AAAA');
  });
});
