import { describe, expect, it } from 'vitest';
import type { CheckRunRecord } from '../../src/store/check-run.js';
import { useStores } from '../support/store-fixtures.js';
import { expectErrorCode } from '../support/expect-error-code.js';

function run(n: number, overrides: Partial<CheckRunRecord> = {}): CheckRunRecord {
  return {
    runId: `run-${n}`,
    startedMs: 1_700_000_000_000 + n * 1000,
    finishedMs: 1_700_000_000_500 + n * 1000,
    target: n % 2 === 0 ? 'emulator' : '21784177241578.zt.plivo.com',
    passed: 10 + n,
    failed: n % 3,
    skipped: 1,
    report: { checks: [{ id: 'options-ping', outcome: 'pass', detail: 'Zoë ☎' }], n },
    ...overrides,
  };
}

describe('check runs', () => {
  const openStore = useStores();

  it('stores a run and reads its report back equal', () => {
    const store = openStore();
    store.insertCheckRun(run(1));
    store.insertCheckRun(run(2, { finishedMs: null }));
    expect(store.getCheckRun('run-1')).toEqual(run(1));
    expect(store.getCheckRun('run-2')?.finishedMs).toBeNull();
    expect(store.getCheckRun('run-9')).toBeUndefined();
  });

  it('lists runs newest first without their reports, paged, with a total', () => {
    const store = openStore();
    for (const n of [3, 1, 4, 2, 5]) store.insertCheckRun(run(n));
    const page = store.listCheckRuns({ limit: 2, offset: 1 });
    expect(page.total_count).toBe(5);
    expect(page.objects.map((r) => r.runId)).toEqual(['run-4', 'run-3']);
    const { report: _, ...summary } = run(4);
    expect(page.objects[0]).toEqual(summary);
  });

  it('refuses a duplicate run id and invalid runs, writing nothing', () => {
    const store = openStore();
    store.insertCheckRun(run(1));
    expectErrorCode(() => store.insertCheckRun(run(1)), 'STORE_DUPLICATE');
    expectErrorCode(() => store.insertCheckRun(run(2, { failed: -1 })), 'STORE_INVALID_RECORD');
    expectErrorCode(() => store.insertCheckRun(run(3, { finishedMs: 1 })), 'STORE_INVALID_RECORD');
    expectErrorCode(() => store.insertCheckRun(run(4, { runId: '' })), 'STORE_INVALID_RECORD');
    expect(store.listCheckRuns().total_count).toBe(1);
  });
});

describe('check-run reports', () => {
  const openStore = useStores();

  it.each([
    ['a BigInt', 10n],
    ['a function', () => 1],
    ['NaN', Number.NaN],
  ])('refuses a report holding %s, writing nothing', (_, value) => {
    const store = openStore();
    expectErrorCode(
      () => store.insertCheckRun(run(1, { report: { value } as never })),
      'STORE_INVALID_RECORD',
    );
    expect(store.listCheckRuns().total_count).toBe(0);
  });
});
