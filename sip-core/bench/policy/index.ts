// Policy benchmark: how many outbound decisions per second, against a reference measured in the same run (one
// libphonenumber parse of the same destination, which every uncached decision needs at least twice). The
// machine is shared, so absolute numbers are noise; the ratios are the result.

import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { demoAccount } from '../../src/policy/account/demo-account.js';
import type { CallAttempt } from '../../src/policy/engine/call-attempt.js';
import { evaluate } from '../../src/policy/engine/evaluate.js';
import { classifyNumber, clearNumberCache } from '../../src/policy/numbers/number-intelligence.js';

const account = demoAccount();
const counters = {
  trunkCallsThisSecond: {},
  accountCallsThisSecond: 0,
  activeCalls: 0,
  sourceBlocked: false,
};
const attempt: CallAttempt = {
  method: 'INVITE',
  transport: 'udp',
  source: { ip: '127.0.0.1', port: 5070 },
  requestUri: { scheme: 'sip', user: '+14155550111', host: '10000000000002.zt.plivo.com' },
  fromUser: '+14155550101',
  paiUser: null,
  require: [],
  supported: ['timer'],
  maxForwards: 70,
  loopDetected: false,
  sdp: {
    profile: 'RTP/AVP',
    payloadTypes: [0, 101],
    codecs: ['PCMU'],
    cryptoSuites: [],
    telephoneEvent: true,
  },
  auth: { state: 'none' },
  sessionExpiresS: null,
  malformed: null,
};

/** Operations per second of `op`, best of five rounds of `iterations`. */
function opsPerSecond(name: string, iterations: number, op: (i: number) => unknown): number {
  let best = 0;
  for (let round = 0; round < 5; round += 1) {
    const start = performance.now();
    for (let i = 0; i < iterations; i += 1) op(i);
    best = Math.max(best, iterations / ((performance.now() - start) / 1000));
  }
  console.log(`${name.padEnd(48)} ${Math.round(best).toLocaleString('en-US').padStart(12)} ops/s`);
  return best;
}

const reference = opsPerSecond('reference: libphonenumber parse (max metadata)', 20_000, () =>
  parsePhoneNumberFromString('+14155550111')?.getType(),
);
const coldClassify = opsPerSecond('classifyNumber, cache cleared every call', 20_000, () => {
  clearNumberCache();
  return classifyNumber('+14155550111');
});
const warmClassify = opsPerSecond('classifyNumber, cached', 200_000, () => classifyNumber('+14155550111'));
const warmEvaluate = opsPerSecond('evaluate (allow, 25 rules, warm caches)', 50_000, () =>
  evaluate(attempt, account, counters),
);
const cold = opsPerSecond('evaluate (allow, number cache cleared every call)', 20_000, () => {
  clearNumberCache();
  return evaluate(attempt, account, counters);
});

console.log('');
console.log(`cold classify / reference parse      ${(coldClassify / reference).toFixed(2)}×`);
console.log(`cached classify / reference parse    ${(warmClassify / reference).toFixed(1)}×`);
console.log(`evaluate (warm) / reference parse    ${(warmEvaluate / reference).toFixed(2)}×`);
console.log(`evaluate (cold numbers) / reference  ${(cold / reference).toFixed(2)}×`);
