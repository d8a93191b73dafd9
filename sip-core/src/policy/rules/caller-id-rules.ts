// Caller-ID rules, in the §20 order: non-numeric 4130 → fewer than 6 digits 4140 → not a Plivo number of this
// account 4190 → on the Do-Not-Originate list 4200 → country CLI rules 4190 (BEHAVIOUR.md §4.2 #10–14, §12.4).

import {
  fail,
  pass,
  skipped,
  unknown,
  type PolicyRule,
  type RuleContext,
  type RuleResult,
} from '../engine/policy-rule.js';
import type { ClassifiedNumber } from '../numbers/number-intelligence.js';
import { reject } from './reject.js';

type CallerId = NonNullable<RuleContext['callerId']>;

/** The caller ID the later checks need, or the result they return without one. */
function present(context: RuleContext): CallerId | RuleResult {
  if (context.callerId === undefined) return unknown('The caller ID is not known');
  return context.callerId ?? skipped('No caller ID');
}

/** The caller ID in E.164, or the result a check that looks it up returns without one. */
function presentE164(context: RuleContext): ClassifiedNumber | RuleResult {
  const callerId = present(context);
  if (!('raw' in callerId)) return callerId;
  return callerId.info.ok ? callerId.info : skipped('No caller ID in E.164 to check');
}

const forbidden = (code: number, grade: 'I' | 'O') => reject(403, 'Forbidden', code, grade);

/**
 * ACMA: caller IDs Zentrunk blocks (§12.4; the FAQ lists +6113, +611300, +611800, +611900). Longest first, so
 * the message names the most specific prefix.
 */
export const AU_BLOCKED_CLI_PREFIXES: readonly string[] = ['+611300', '+611800', '+611900', '+6113'];

export const callerIdNumeric: PolicyRule = {
  id: 'caller-id.numeric',
  title: 'Caller ID is numeric',
  section: '§4.2 #10, §20',
  grade: 'D',
  check({ callerId }) {
    if (callerId === undefined) return unknown('The caller ID is not known');
    if (callerId === null) {
      return fail(
        'The request carries no caller ID (no user part in From or P-Asserted-Identity)',
        forbidden(4130, 'I'),
      );
    }
    if (!/^\+?\d+$/.test(callerId.raw))
      return fail(`Caller ID “${callerId.raw}” is not numeric`, forbidden(4130, 'I'));
    return pass(`Caller ID ${callerId.raw} is numeric`);
  },
};

export const callerIdLength: PolicyRule = {
  id: 'caller-id.length',
  title: 'Caller ID has at least 6 digits',
  section: '§4.2 #11, §20',
  grade: 'D',
  check(context) {
    const callerId = present(context);
    if (!('raw' in callerId)) return callerId;
    const digits = callerId.raw.replace(/\D/g, '').length;
    if (digits < 6) return fail(`Caller ID ${callerId.raw} has only ${digits} digits`, forbidden(4140, 'I'));
    return pass(`Caller ID has ${digits} digits`);
  },
};

export const callerIdOwned: PolicyRule = {
  id: 'caller-id.owned',
  title: 'Caller ID is a Plivo number of this account',
  section: '§4.2 #12, §10, §20',
  grade: 'D',
  check(context) {
    const callerId = present(context);
    if (!('raw' in callerId)) return callerId;
    const owned = context.view.ownedNumbers;
    if (owned === undefined) return unknown('Your Plivo numbers are not known');
    const e164 = callerId.info.ok ? callerId.info.e164 : undefined;
    if (e164 === undefined || !owned.has(e164)) {
      return fail(`Caller ID ${e164 ?? callerId.raw} is not one of your Plivo numbers`, forbidden(4190, 'O'));
    }
    return pass(`Caller ID ${e164} is one of your Plivo numbers`);
  },
};

export const callerIdDno: PolicyRule = {
  id: 'caller-id.dno',
  title: 'Caller ID is not on the Do-Not-Originate list',
  section: '§4.2 #13, §20',
  grade: 'D',
  check(context) {
    const cli = presentE164(context);
    if (!('ok' in cli)) return cli;
    const dno = context.view.dnoNumbers;
    if (dno === undefined) return unknown('The Do-Not-Originate list is not known');
    if (dno.has(cli.e164))
      return fail(`Caller ID ${cli.e164} is on the Do-Not-Originate list`, forbidden(4200, 'I'));
    return pass('Caller ID is not on the Do-Not-Originate list');
  },
};

export const callerIdCountryRules: PolicyRule = {
  id: 'caller-id.country-rules',
  title: 'Country caller-ID rules (Australia CLI prefixes, China)',
  section: '§4.2 #14, §12.4, §20',
  grade: 'D',
  check(context) {
    const cli = presentE164(context);
    if (!('ok' in cli)) return cli;
    const { destination } = context;
    const blockedPrefix = AU_BLOCKED_CLI_PREFIXES.find((prefix) => cli.e164.startsWith(prefix));
    if (blockedPrefix !== undefined) {
      return fail(
        `Caller ID ${cli.e164} starts with ${blockedPrefix}, which Australian rules (ACMA) do not allow as a CLI`,
        forbidden(4190, 'I'),
      );
    }
    if (destination === undefined)
      return unknown('The destination is not known, so the China rules cannot be checked');
    if (destination?.ok && destination.country === 'CN') {
      if (cli.country === 'CN') {
        return fail(`Calls to China may not use a Chinese caller ID (${cli.e164})`, forbidden(4190, 'I'));
      }
      if (cli.type === 'toll-free') {
        return fail(`Calls to China may not use a toll-free caller ID (${cli.e164})`, forbidden(4190, 'I'));
      }
    }
    return pass('No country caller-ID rule applies');
  },
};
