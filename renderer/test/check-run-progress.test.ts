// The live run's reducer, the whole-run fraction and the test number rule, as tables.
import { describe, expect, it } from 'vitest';
import type { CheckProgressEvent, CheckRunView } from '../../electron/common/index.js';
import {
  reduceCheckRun,
  runFraction,
  testNumberProblem,
  type LiveCheckRun,
} from '../src/store/check-run-progress.js';

const STARTED = {
  type: 'started',
  event: {
    runId: 'r1',
    target: 'emulator (10000000000001.zt.plivo.com)',
    profileName: 'Embedded emulator',
    checks: [
      { id: 'dns', title: 'DNS', safety: 'safe' },
      { id: 'options', title: 'SIP OPTIONS', safety: 'safe' },
    ],
  },
} as const;

function progress(
  runId: string,
  id: string,
  patch: Partial<CheckProgressEvent['result']>,
): CheckProgressEvent {
  return {
    runId,
    stage: patch.outcome === 'running' ? 'progress' : 'finished',
    index: id === 'dns' ? 0 : 1,
    total: 2,
    result: { id, outcome: 'running', message: 'Running', ...patch },
  };
}

const FINISHED: CheckRunView = {
  runId: 'r1',
  startedMs: 1,
  finishedMs: 2,
  target: 'emulator',
  passed: 1,
  failed: 0,
  skipped: 1,
  verdict: 'passed',
  results: [
    { id: 'dns', outcome: 'skipped', message: 'Not applicable' },
    { id: 'options', outcome: 'passed', message: '200 OK in 3 ms' },
  ],
};

describe('reduceCheckRun', () => {
  it('draws every planned check as waiting when the run starts', () => {
    const run = reduceCheckRun(undefined, STARTED);
    expect(run?.rows.map((r) => [r.id, r.outcome])).toEqual([
      ['dns', 'pending'],
      ['options', 'pending'],
    ]);
    expect(run && runFraction(run)).toBe(0);
  });

  it('replaces a check’s row on each progress event and counts the running one by its fraction', () => {
    let run = reduceCheckRun(undefined, STARTED);
    run = reduceCheckRun(run, { type: 'progress', event: progress('r1', 'dns', { outcome: 'skipped' }) });
    run = reduceCheckRun(run, {
      type: 'progress',
      event: progress('r1', 'options', { outcome: 'running', progress: 0.5, progressNote: 'ping 1' }),
    });
    expect(run?.rows.map((r) => r.outcome)).toEqual(['skipped', 'running']);
    expect(run?.rows[1]?.progressNote).toBe('ping 1');
    expect(run && runFraction(run)).toBeCloseTo(0.75);
  });

  it.each([
    ['another run', 'r2'],
    ['the same run after it finished', 'r1'],
  ])('ignores progress from %s', (_, runId) => {
    let run: LiveCheckRun | undefined = reduceCheckRun(undefined, STARTED);
    if (runId === 'r1') run = reduceCheckRun(run, { type: 'finished', run: FINISHED });
    const before = run;
    run = reduceCheckRun(run, { type: 'progress', event: progress(runId, 'dns', { outcome: 'failed' }) });
    expect(run).toBe(before);
  });

  it('takes the final results and verdict when the run finishes, and adopts a run that was already going', () => {
    const finished = reduceCheckRun(reduceCheckRun(undefined, STARTED), { type: 'finished', run: FINISHED });
    expect(finished?.finished?.verdict).toBe('passed');
    expect(finished?.rows.map((r) => r.outcome)).toEqual(['skipped', 'passed']);
    expect(finished && runFraction(finished)).toBe(1);
    const resumed = reduceCheckRun(undefined, {
      type: 'resumed',
      run: { ...FINISHED, finishedMs: null, verdict: undefined, profileName: 'Acme' },
    });
    expect(resumed).toMatchObject({ runId: 'r1', profileName: 'Acme' });
    expect(resumed?.finished).toBeUndefined();
  });

  it('marks a live run as cancelling, and not a finished one', () => {
    const live = reduceCheckRun(undefined, STARTED);
    expect(reduceCheckRun(live, { type: 'cancelling', runId: 'r1' })?.cancelling).toBe(true);
    const done = reduceCheckRun(live, { type: 'finished', run: FINISHED });
    expect(reduceCheckRun(done, { type: 'cancelling', runId: 'r1' })?.cancelling).toBeUndefined();
  });
});

describe('testNumberProblem', () => {
  it.each([
    ['', undefined],
    ['+14155550100', undefined],
    ['+1 (415) 555-0100', undefined],
    ['+919876543210', undefined],
    ['14155550100', /Start with \+/],
    ['+1415555010a', /Only digits/],
    ['+0441234567', /never starts with 0/],
    ['+12345', /7 to 15 digits; this one has 5/],
    ['+1234567890123456', /this one has 16/],
  ])('%j → %s', (text, expected) => {
    const problem = testNumberProblem(text);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });
});
