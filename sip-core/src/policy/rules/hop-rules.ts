// Hop count and loops (BEHAVIOUR.md §4.2 #21–22; RFC 3261 §16.3 items 3 and 4).

import { fail, pass, unknown, type PolicyRule } from '../engine/policy-rule.js';
import { reject } from './reject.js';

export const maxForwards: PolicyRule = {
  id: 'hops.max-forwards',
  title: 'Max-Forwards above zero',
  section: '§4.2 #21',
  grade: 'I',
  check({ attempt }) {
    const value = attempt.maxForwards;
    if (value === undefined) return unknown('Max-Forwards is not known');
    // RFC 3261 §16.3: a missing header is added by the forwarding element, so only an explicit 0 fails.
    if (value === null) return pass('No Max-Forwards header (70 is assumed)');
    if (value <= 0) return fail('Max-Forwards reached 0', reject(483, 'Too Many Hops', 4380, 'I'));
    return pass(`Max-Forwards ${value}`);
  },
};

export const loopDetection: PolicyRule = {
  id: 'hops.loop',
  title: 'No loop',
  section: '§4.2 #22',
  grade: 'O',
  check({ attempt }) {
    if (attempt.loopDetected === undefined) return unknown('Whether the request loops is not known');
    if (attempt.loopDetected) {
      return fail(
        'The request has already passed through this trunk',
        reject(482, 'Loop Detected', 4370, 'O'),
      );
    }
    return pass('No loop');
  },
};
