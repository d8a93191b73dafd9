// Limits (BEHAVIOUR.md §4.2 #7–9, §12.1–12.2, §17, §20). The counters are inputs: the emulator counts calls
// per second and active calls; the engine only compares.

import { fail, pass, unknown, type PolicyRule } from '../engine/policy-rule.js';
import { reject } from './reject.js';

const cpsReached = () => reject(503, 'Service Unavailable', 5180, 'O');

export const trunkCps: PolicyRule = {
  id: 'limits.trunk-cps',
  title: 'Trunk CPS not exceeded',
  section: '§4.2 #7, §12.1, §20',
  grade: 'D',
  check({ trunk, counters, view }) {
    if (!trunk) return unknown('The trunk is not known');
    const limit = view.trunkCps(trunk.trunk_id);
    if (limit === null) {
      return pass(
        `Trunk ${trunk.trunk_id} has no CPS allocation of its own: it draws on the account’s CPS only`,
      );
    }
    const perTrunk = counters?.trunkCallsThisSecond;
    if (limit === undefined || perTrunk === undefined) return unknown('The trunk’s call rate is not known');
    const count = perTrunk[trunk.trunk_id] ?? 0;
    if (count >= limit) {
      return fail(
        `Trunk ${trunk.trunk_id} already started ${count} call(s) this second; its CPS limit is ${limit}`,
        cpsReached(),
      );
    }
    return pass(`${count} of ${limit} trunk CPS used this second`);
  },
};

export const accountCps: PolicyRule = {
  id: 'limits.account-cps',
  title: 'Account CPS not exceeded (queue or reject)',
  section: '§4.2 #7, §12.1, §17, §20',
  grade: 'D',
  check({ counters, view, settings }) {
    const limit = view.accountCps;
    const count = counters?.accountCallsThisSecond;
    if (limit === undefined || count === undefined) return unknown('The account’s call rate is not known');
    if (count < limit) return pass(`${count} of ${limit} account CPS used this second`);
    const detail = `The account already started ${count} call(s) this second; its CPS limit is ${limit}`;
    if (settings.accountCpsOverflow === 'reject') return fail(detail, cpsReached());
    return fail(
      `${detail}: the call waits up to ${settings.accountCpsQueueBoundMs / 1000} s for a free slot`,
      {
        kind: 'queue',
        maxWaitMs: settings.accountCpsQueueBoundMs,
        onTimeout: cpsReached(),
        responseGrade: 'D',
      },
    );
  },
};

export const concurrency: PolicyRule = {
  id: 'limits.concurrency',
  title: 'Concurrent-call limit not exceeded',
  section: '§4.2 #8, §12.2, §20',
  grade: 'I',
  check({ counters, view }) {
    const limit = view.maxConcurrentCalls;
    if (limit === null) return pass('Concurrent calls are unlimited');
    const active = counters?.activeCalls;
    if (limit === undefined || active === undefined)
      return unknown('The concurrent-call count or limit is not known');
    if (active >= limit) {
      return fail(
        `${active} call(s) are already up; the account allows ${limit} at once`,
        reject(503, 'Service Unavailable', 5190, 'I'),
      );
    }
    return pass(`${active} of ${limit} concurrent calls in use`);
  },
};

export const credits: PolicyRule = {
  id: 'limits.credits',
  title: 'Account has credit',
  section: '§4.2 #9, §5.1',
  grade: 'D',
  check({ counters, view }) {
    const balance = counters?.creditBalanceUsd ?? view.creditBalanceUsd;
    if (balance === undefined) return unknown('The credit balance is not known');
    if (balance <= 0) {
      return fail('The account has no credit left', reject(402, 'Payment Required', 4030, 'I'));
    }
    return pass(`Credit balance USD ${balance.toFixed(5)}`);
  },
};
