import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { TypedEmitter } from '../../../src/common/typed-emitter.js';
import type { CpsQueueEvent, EmulatorEvents } from '../../../src/emulator/emulator-events.js';
import { CallAdmission } from '../../../src/emulator/limits/index.js';
import { DEFAULT_POLICY_SETTINGS, demoAccount, evaluate, type Account } from '../../../src/policy/index.js';
import { accountWith, DEMO_TRUNK_IDS, invite } from '../../support/policy-fixtures.js';

const TRUNK = DEMO_TRUNK_IDS.ipAcl;

interface Outcome {
  readonly index: number;
  readonly offeredAtMs: number;
  result?: 'admitted' | 'rejected';
  atMs?: number;
  status?: number;
  code?: number;
  queueDelayMs?: number;
}

/**
 * Drives INVITEs through policy and admission the way the call-handling layer will: allow → admit; queue →
 * enqueue and re-evaluate on release; reject → record the response.
 */
function harness(account: Account, trunk: string = TRUNK) {
  const attempt = invite({ requestUri: { host: `${trunk}.zt.plivo.com` } });
  const clock = new ManualClock();
  const events = new TypedEmitter<EmulatorEvents>();
  const queueEvents: CpsQueueEvent[] = [];
  events.on('cpsQueue', (e) => queueEvents.push(e));
  const admission = new CallAdmission({ clock, account, events });
  const outcomes: Outcome[] = [];

  const decide = (outcome: Outcome, counters: ReturnType<CallAdmission['countersFor']>, queued: boolean) => {
    const decision = evaluate(attempt, account, counters, DEFAULT_POLICY_SETTINGS);
    if (decision.kind === 'allow') {
      admission.admit(trunk);
      Object.assign(outcome, { result: 'admitted', atMs: clock.now() });
      return 'admitted';
    }
    if (decision.kind === 'reject') {
      Object.assign(outcome, { result: 'rejected', atMs: clock.now(), status: decision.status });
      outcome.code = decision.cause?.code;
      return 'rejected';
    }
    if (decision.kind !== 'queue') throw new Error(`unexpected ${decision.kind}`);
    if (queued) return 'queue-again';
    admission.queue.enqueue({
      callKey: `call-${outcome.index}`,
      maxWaitMs: decision.maxWaitMs,
      onRelease: (ticket) => {
        outcome.queueDelayMs = ticket.waitedMs;
        if (decide(outcome, admission.countersFor(trunk, ticket), true) === 'queue-again') ticket.requeue();
      },
      onTimeout: (ticket) => {
        outcome.queueDelayMs = ticket.waitedMs;
        Object.assign(outcome, { result: 'rejected', atMs: clock.now(), status: decision.onTimeout.status });
        outcome.code = decision.onTimeout.cause?.code;
      },
    });
    return 'queued';
  };

  return {
    clock,
    admission,
    outcomes,
    queueEvents,
    /** Offers `count` INVITEs spread evenly over one second. */
    burst(count: number, spacingMs = 1_000 / count) {
      for (let index = 0; index < count; index++) {
        const offeredAtMs = Math.round(index * spacingMs);
        clock.advance(offeredAtMs - clock.now());
        const outcome: Outcome = { index, offeredAtMs };
        outcomes.push(outcome);
        decide(outcome, admission.countersFor(trunk), false);
      }
    },
  };
}

let disposers: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposers) dispose();
  disposers = [];
});

function start(account: Account, trunk?: string) {
  const h = harness(account, trunk);
  disposers.push(() => h.admission.dispose());
  return h;
}

describe('CPS admission through the policy', () => {
  it('20 INVITEs in one second at trunk CPS 1: 1 admitted, 19 rejected at once with 503 + 5180', () => {
    const h = start(accountWith());
    h.burst(20);
    h.clock.runAll();
    const admitted = h.outcomes.filter((o) => o.result === 'admitted');
    const rejected = h.outcomes.filter((o) => o.result === 'rejected');
    expect(admitted.map((o) => o.index)).toEqual([0]);
    expect(rejected).toHaveLength(19);
    for (const o of rejected) expect(o).toMatchObject({ status: 503, code: 5180, atMs: o.offeredAtMs });
    expect(h.queueEvents).toEqual([]);
  });

  it('the trunk gets its next slot one second after the first call, not at the next calendar second', () => {
    const h = start(accountWith());
    h.clock.advance(900);
    h.burst(1);
    h.clock.advance(1_050 - h.clock.now());
    const counters = h.admission.countersFor(TRUNK);
    expect(counters.trunkCallsThisSecond[TRUNK]).toBe(1);
    h.clock.advance(1_900 - h.clock.now());
    expect(h.admission.countersFor(TRUNK).trunkCallsThisSecond[TRUNK]).toBe(0);
  });

  // Account CPS 2 with a trunk that may use 20 CPS: a state the account cross-checks refuse (trunk CPS must fit
  // the account's; docs/adr/0077), built structurally so the account bucket is the one that binds. A valid
  // account reaches the queue through a trunk without an allocation (docs/adr/0080, last test of this block).
  const queueing = () =>
    accountWith((c) => ({ ...c, limits: { ...c.limits, account_cps: 2, trunk_cps: { [TRUNK]: 20 } } }));

  it('the demo pool trunk (no allocation, docs/adr/0080): 20 INVITEs in one second queue on account CPS 3', () => {
    const h = start(demoAccount(), DEMO_TRUNK_IDS.pool);
    expect(h.admission.limitsOf(DEMO_TRUNK_IDS.pool)).toEqual({ accountCps: 3, trunkCps: null });
    h.burst(20);
    h.clock.runAll();
    expect(h.outcomes.every((o) => o.result === 'admitted')).toBe(true);
    // Three per second, FIFO: 20 calls take seven windows, the last two leave the queue at 6 s.
    expect(h.outcomes.map((o) => o.atMs).slice(-3)).toEqual([5100, 6000, 6050]);
    expect(h.queueEvents.filter((e) => e.state === 'queued')).toHaveLength(17);
  });

  it('20 INVITEs in one second at account CPS 2 with queueing: all admitted over ~9 s, FIFO, delays measured', () => {
    const h = start(queueing());
    h.burst(20);
    h.clock.runAll();
    expect(h.outcomes.every((o) => o.result === 'admitted')).toBe(true);
    const times = h.outcomes.map((o) => o.atMs ?? -1);
    // Two per second: the first two at once, then each slot frees one second after the one it replaces.
    expect(times).toEqual([
      0, 50, 1000, 1050, 2000, 2050, 3000, 3050, 4000, 4050, 5000, 5050, 6000, 6050, 7000, 7050, 8000, 8050,
      9000, 9050,
    ]);
    expect(h.outcomes.map((o) => o.queueDelayMs ?? 0)).toEqual(
      h.outcomes.map((o) => (o.atMs ?? 0) - o.offeredAtMs),
    );
    expect(Math.max(...h.outcomes.map((o) => o.queueDelayMs ?? 0))).toBe(8_100);
    const states = h.queueEvents.map((e) => e.state);
    expect(states.filter((s) => s === 'queued')).toHaveLength(18);
    expect(states.filter((s) => s === 'released')).toHaveLength(18);
    const released = h.queueEvents.filter((e) => e.state === 'released').map((e) => e.callKey);
    expect(released).toEqual(Array.from({ length: 18 }, (_, i) => `call-${i + 2}`));
  });

  it('calls that cannot get a slot within the 10 s bound time out with 503 + 5180 and their queue delay', () => {
    const h = start(queueing());
    h.burst(30);
    h.clock.runAll();
    const admitted = h.outcomes.filter((o) => o.result === 'admitted');
    const timedOut = h.outcomes.filter((o) => o.result === 'rejected');
    expect(admitted.length + timedOut.length).toBe(30);
    for (const o of timedOut) {
      expect(o).toMatchObject({ status: 503, code: 5180, queueDelayMs: 10_000 });
      expect(o.atMs).toBe(o.offeredAtMs + 10_000);
    }
    // FIFO: everyone admitted arrived before everyone who timed out.
    expect(Math.max(...admitted.map((o) => o.index))).toBeLessThan(Math.min(...timedOut.map((o) => o.index)));
    expect(h.queueEvents.filter((e) => e.state === 'timed-out')).toHaveLength(timedOut.length);
    expect(h.admission.queue.length).toBe(0);
  });

  // The slot that frees belongs to the head of the queue: a newcomer evaluated in between (same millisecond, before
  // the release timer runs) must queue behind, not take it; the released head sees the true count.
  it('reports the account full to newcomers while a call waits, and the true count to the released head', () => {
    const account = queueing();
    const h = start(account);
    let headCounters: number | undefined;
    const ticket = h.admission.queue.enqueue({
      callKey: 'first',
      maxWaitMs: 10_000,
      onRelease: (released) => {
        headCounters = h.admission.countersFor(TRUNK, released).accountCallsThisSecond;
      },
      onTimeout: () => undefined,
    });
    const newcomer = evaluate(invite(), account, h.admission.countersFor(TRUNK), DEFAULT_POLICY_SETTINGS);
    expect(newcomer.kind).toBe('queue');
    h.clock.advance(0);
    expect(ticket.state).toBe('released');
    expect(headCounters).toBe(0);
    expect(h.queueEvents.map((e) => e.state)).toEqual(['queued', 'released']);

    const second = h.admission.queue.enqueue({
      callKey: 'second',
      maxWaitMs: 10_000,
      onRelease: () => undefined,
      onTimeout: () => undefined,
    });
    second.cancel();
    expect(second.state).toBe('cancelled');
    expect(h.admission.countersFor(TRUNK).accountCallsThisSecond).toBe(0);
  });
});

describe('the account CPS queue', () => {
  it('times out at once when full, and cancels everything on dispose without callbacks', () => {
    const clock = new ManualClock();
    const admission = new CallAdmission({ clock, account: accountWith(), maxQueuedCalls: 2 });
    for (let i = 0; i < 2; i++) admission.admit(TRUNK);
    const calls: string[] = [];
    const request = (key: string) => ({
      callKey: key,
      maxWaitMs: 10_000,
      onRelease: () => calls.push(`release ${key}`),
      onTimeout: () => calls.push(`timeout ${key}`),
    });
    admission.queue.enqueue(request('a'));
    admission.queue.enqueue(request('b'));
    const third = admission.queue.enqueue(request('c'));
    expect(third.state).toBe('timed-out');
    expect(calls).toEqual(['timeout c']);
    admission.dispose();
    clock.runAll();
    expect(calls).toEqual(['timeout c']);
    expect(clock.pendingTimers).toBe(0);
  });

  it('turns a throwing callback into an error event instead of an uncaught exception', () => {
    const clock = new ManualClock();
    const events = new TypedEmitter<EmulatorEvents>();
    const errors: string[] = [];
    events.on('error', (e) => errors.push(`${e.kind} ${e.callUuid ?? ''} ${e.message}`));
    const admission = new CallAdmission({ clock, account: accountWith(), events });
    admission.queue.enqueue({
      callKey: 'buggy',
      maxWaitMs: 1_000,
      onRelease: () => {
        throw new Error('bug in release');
      },
      onTimeout: () => undefined,
    });
    expect(() => clock.runAll()).not.toThrow();
    expect(errors).toEqual(['internal buggy bug in release']);
    admission.dispose();
  });

  it('refuses requeue() outside onRelease', () => {
    const clock = new ManualClock();
    const admission = new CallAdmission({ clock, account: accountWith() });
    const ticket = admission.queue.enqueue({
      callKey: 'x',
      maxWaitMs: 1_000,
      onRelease: () => undefined,
      onTimeout: () => undefined,
    });
    expect(() => ticket.requeue()).toThrow(RangeError);
    admission.dispose();
  });
});

describe('concurrency', () => {
  it('counts every leg kind, releases once, and feeds the policy’s concurrency limit', () => {
    const clock = new ManualClock();
    const account = accountWith((c) => ({ ...c, limits: { ...c.limits, max_concurrent_calls: 2 } }));
    const admission = new CallAdmission({ clock, account });
    const outbound = admission.concurrency.acquire('a', 'outbound');
    expect(admission.concurrency.acquire('a', 'outbound')).toBe(outbound);
    admission.concurrency.acquire('b', 'transfer');
    expect(admission.concurrency.activeByKind()).toEqual({ outbound: 1, inbound: 0, transfer: 1 });
    const full = evaluate(invite(), account, admission.countersFor(TRUNK), DEFAULT_POLICY_SETTINGS);
    expect(full).toMatchObject({ kind: 'reject', status: 503, cause: { code: 5190 } });
    outbound.release();
    outbound.release();
    expect(admission.concurrency.active).toBe(1);
    const room = evaluate(invite(), account, admission.countersFor(TRUNK), DEFAULT_POLICY_SETTINGS);
    expect(room.kind).toBe('allow');
    admission.dispose();
  });
});
