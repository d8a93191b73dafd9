import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  CheckRunner,
  NETWORK_CHECKS,
  type CheckDefinition,
  type CheckResult,
  type NetworkCheckServices,
} from '../../../src/checks/index.js';
import { expectErrorCode } from '../../support/expect-error-code.js';
import { fakeCheck, testTarget } from '../../support/check-fixtures.js';

function byId(results: readonly CheckResult[]): Record<string, CheckResult> {
  return Object.fromEntries(results.map((r) => [r.id, r]));
}

describe('CheckRunner', () => {
  it('runs checks in dependency order, keeping registration order among ready checks', async () => {
    const order: string[] = [];
    const record = (id: string) =>
      fakeCheck(id, () => (order.push(id), Promise.resolve({ status: 'pass', summary: id })));
    const runner = new CheckRunner({
      services: {},
      checks: [
        { ...record('call'), dependsOn: ['auth', 'tls'] },
        { ...record('auth'), dependsOn: ['options'] },
        record('dns'),
        { ...record('tls'), dependsOn: ['dns'] },
        { ...record('options'), dependsOn: ['dns'] },
      ],
    });
    const run = await runner.run(testTarget());
    expect(order).toEqual(['dns', 'tls', 'options', 'auth', 'call']);
    expect(run.results.map((r) => r.id)).toEqual(order);
    expect(run.verdict).toBe('passed');
  });

  it.each([
    ['duplicate ids', [fakeCheck('a'), fakeCheck('a')], 'CHECKS_DUPLICATE_ID'],
    ['unknown dependencies', [fakeCheck('a', 'pass', { dependsOn: ['zz'] })], 'CHECKS_UNKNOWN_DEPENDENCY'],
    [
      'cycles',
      [fakeCheck('a', 'pass', { dependsOn: ['b'] }), fakeCheck('b', 'pass', { dependsOn: ['a'] })],
      'CHECKS_DEPENDENCY_CYCLE',
    ],
  ])('refuses %s', (_name, checks, code) => {
    expectErrorCode(() => new CheckRunner({ services: {}, checks }), code);
  });

  it('skips the dependants of a failed or skipped check (not of one that does not apply), naming it', async () => {
    const runner = new CheckRunner({
      services: {},
      checks: [
        fakeCheck('dns', 'fail'),
        fakeCheck('tls', 'pass', { dependsOn: ['dns'] }),
        fakeCheck('call', 'pass', { dependsOn: ['tls'] }),
        fakeCheck('na', 'skipped'),
        fakeCheck('after-na', 'pass', { dependsOn: ['na'] }),
        fakeCheck('warn', 'warning'),
        fakeCheck('after-warn', 'pass', { dependsOn: ['warn'] }),
      ],
    });
    const results = byId((await runner.run(testTarget())).results);
    expect(results.tls.skipReason).toEqual({
      kind: 'dependency',
      dependencyId: 'dns',
      dependencyStatus: 'fail',
    });
    expect(results.tls.summary).toContain("needs 'dns', which failed");
    expect(results.call.skipReason).toEqual({
      kind: 'dependency',
      dependencyId: 'tls',
      dependencyStatus: 'skipped',
    });
    expect(results.na.skipReason).toEqual({ kind: 'not-applicable' });
    expect(results['after-na'].status).toBe('pass');
    expect(results['after-warn'].status).toBe('pass');
    expect(results.warn.cause).toEqual({ summary: 'warn warning' });
  });

  it('turns a throwing check (sync or async) and a malformed outcome into failures, and runs the rest', async () => {
    const runner = new CheckRunner({
      services: {},
      checks: [
        fakeCheck('sync', () => {
          throw Object.assign(new Error('boom'), { code: 'E_BOOM' });
        }),
        fakeCheck('async', () => Promise.reject(new Error('later'))),
        fakeCheck('garbage', () => Promise.resolve({ status: 'great' } as never)),
        fakeCheck('fine'),
      ],
    });
    const results = byId((await runner.run(testTarget())).results);
    expect(results.sync).toMatchObject({ status: 'fail', error: { code: 'E_BOOM', message: 'boom' } });
    expect(results.sync.cause).toEqual({ summary: 'boom', errorCode: 'E_BOOM' });
    expect(results.async).toMatchObject({ status: 'fail', error: { message: 'later' } });
    expect(results.garbage.status).toBe('fail');
    expect(results.fine.status).toBe('pass');
  });

  it('fails a check on its timeout, measured on the clock, and aborts its signal', async () => {
    const clock = new ManualClock();
    let signal: AbortSignal | undefined;
    const runner = new CheckRunner({
      clock,
      services: {},
      checks: [
        fakeCheck('hangs', (context) => ((signal = context.signal), new Promise(() => undefined)), {
          timeoutMs: 5_000,
        }),
        fakeCheck('next'),
      ],
    });
    const running = runner.run(testTarget());
    await nextTurn();
    clock.advance(4_999);
    await nextTurn();
    expect(signal?.aborted).toBe(false);
    clock.advance(1);
    const run = await running;
    expect(signal?.aborted).toBe(true);
    expect(run.results[0]).toMatchObject({
      status: 'fail',
      durationMs: 5_000,
      error: { code: 'CHECKS_TIMEOUT' },
    });
    expect(run.results[1].status).toBe('pass');
    expect(clock.pendingTimers).toBe(0);
  });

  it('keeps the evidence a check gathered before it threw or timed out', async () => {
    const runner = new CheckRunner({
      services: {},
      checks: [
        fakeCheck('partial', (context) => {
          context.note('resolved 1 address');
          return Promise.reject(new Error('then failed'));
        }),
      ],
    });
    const [result] = (await runner.run(testTarget())).results;
    expect(result.evidence.lines).toEqual(['resolved 1 address']);
  });

  it('stops on abort: the running check is told, the rest are skipped, the run fails', async () => {
    const controller = new AbortController();
    let told = false;
    const runner = new CheckRunner({
      services: {},
      checks: [
        fakeCheck('first'),
        fakeCheck('long', (context) => {
          context.signal.addEventListener('abort', () => (told = true));
          controller.abort();
          return new Promise(() => undefined);
        }),
        fakeCheck('last'),
      ],
    });
    const run = await runner.run(testTarget(), { signal: controller.signal });
    expect(told).toBe(true);
    expect(run.results.map((r) => [r.id, r.status, r.skipReason?.kind])).toEqual([
      ['first', 'pass', undefined],
      ['long', 'skipped', 'aborted'],
      ['last', 'skipped', 'aborted'],
    ]);
    expect(run).toMatchObject({ aborted: true, verdict: 'failed' });
  });

  it('never runs an emulator-only check against a target that is not the emulator', async () => {
    const probe = vi.fn(() => Promise.resolve({ status: 'pass' as const, summary: 'ran' }));
    const checks = [fakeCheck('negative-probe', probe, { safety: 'emulator-only' })];
    const real = await new CheckRunner({ services: {}, checks }).run(testTarget({ isEmulator: false }), {
      selection: { only: ['negative-probe'] },
    });
    expect(probe).not.toHaveBeenCalled();
    expect(real.results[0]).toMatchObject({ status: 'skipped', skipReason: { kind: 'emulator-only' } });
    const emulated = await new CheckRunner({ services: {}, checks }).run(testTarget({ isEmulator: true }));
    expect(probe).toHaveBeenCalledTimes(1);
    expect(emulated.results[0].status).toBe('pass');
  });

  it('selects with --only (pulling in dependencies) and --skip (reporting dependants)', async () => {
    const runner = new CheckRunner({
      services: {},
      checks: [
        fakeCheck('dns'),
        fakeCheck('tls', 'pass', { dependsOn: ['dns'] }),
        fakeCheck('options', 'pass', { dependsOn: ['dns'] }),
        fakeCheck('auth', 'pass', { dependsOn: ['options'] }),
      ],
    });
    const only = await runner.run(testTarget(), { selection: { only: ['auth'] } });
    expect(only.results.map((r) => r.id)).toEqual(['dns', 'options', 'auth']);
    expect(only.selection.pulledIn).toEqual(['dns', 'options']);
    const skip = await runner.run(testTarget(), { selection: { skip: ['options'] } });
    expect(skip.results.map((r) => [r.id, r.skipReason?.kind])).toEqual([
      ['dns', undefined],
      ['tls', undefined],
      ['options', 'deselected'],
      ['auth', 'dependency'],
    ]);
    expectErrorCode(() => runner.plan({ only: ['nope'] }), 'CHECKS_UNKNOWN_CHECK');
  });

  it('emits typed progress events in order, and a throwing listener breaks nothing', async () => {
    const runner = new CheckRunner({
      services: {},
      checks: [
        fakeCheck('a', (context) => {
          context.progress(0.5, 'half');
          context.progress(7);
          return Promise.resolve({ status: 'pass', summary: 'a' });
        }),
        fakeCheck('b', 'fail'),
      ],
    });
    const seen: string[] = [];
    runner.on('runStarted', (plan) => seen.push(`run ${plan.checks.length}`));
    runner.on('checkStarted', (check) => seen.push(`start ${check.id} ${check.index}/${check.total}`));
    runner.on('checkProgress', (p) => seen.push(`progress ${p.id} ${p.fraction} ${p.note ?? ''}`.trim()));
    runner.on('checkFinished', (result) => seen.push(`finish ${result.id} ${result.status}`));
    runner.on('runFinished', (run) => seen.push(`done ${run.verdict}`));
    runner.on('checkFinished', () => {
      throw new Error('a UI bug');
    });
    const { setListenerErrorHandler } = await import('../../../src/common/typed-emitter.js');
    const previous = setListenerErrorHandler(() => undefined);
    try {
      await runner.run(testTarget());
    } finally {
      setListenerErrorHandler(previous);
    }
    expect(seen).toEqual([
      'run 2',
      'start a 0/2',
      'progress a 0.5 half',
      'progress a 1',
      'finish a pass',
      'start b 1/2',
      'finish b fail',
      'done failed',
    ]);
  });
});

describe('check families', () => {
  it('run network checks beside checks that need richer services, with no cast', () => {
    interface RicherServices extends NetworkCheckServices {
      readonly openUa: () => Promise<string>;
    }
    const callCheck = fakeCheck('outbound-call', 'pass', {
      dependsOn: ['auth'],
    }) as CheckDefinition<RicherServices>;
    const checks: CheckDefinition<RicherServices>[] = [...NETWORK_CHECKS, callCheck];
    const runner = new CheckRunner<RicherServices>({ checks, services: {} as RicherServices });
    expect(runner.checks.map((c) => c.id)).toEqual(['dns', 'tls', 'options', 'auth', 'outbound-call']);
  });
});
