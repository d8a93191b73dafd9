// Rules that look at the request itself before any trunk is known: the OPTIONS-rate block, parse failures and
// the method (BEHAVIOUR.md §3, §4.2 #1, §11, §20).

import { fail, pass, unknown, type PolicyRule } from '../engine/policy-rule.js';
import { allowHeaderValue, reject } from './reject.js';

/** Methods Zentrunk documents as not supported (§3); customer-originated NOTIFY is refused too. */
export const UNSUPPORTED_METHODS: ReadonlySet<string> = new Set([
  'INFO',
  'MESSAGE',
  'PRACK',
  'PUBLISH',
  'REGISTER',
  'SUBSCRIBE',
  'NOTIFY',
]);

/** Supported methods that only make sense inside a dialog; out of dialog they match no call (RFC 3261 §12.2.2). */
const IN_DIALOG_METHODS: ReadonlySet<string> = new Set(['BYE', 'CANCEL', 'UPDATE', 'REFER']);

export const optionsRateBlock: PolicyRule = {
  id: 'options-rate.blocked',
  title: 'Source not blocked for OPTIONS flooding',
  section: '§3, §11, §20',
  grade: 'I',
  scope: 'any-method',
  check({ counters }) {
    if (counters?.sourceBlocked === undefined)
      return unknown('The OPTIONS-rate state of this source is not known');
    if (!counters.sourceBlocked) return pass('This source is not blocked by the OPTIONS-rate policy');
    return fail(
      'This source sent OPTIONS more than once per 5 s for a minute and is blocked: requests get no answer',
      { kind: 'drop', responseGrade: 'I' },
    );
  },
};

export const requestParse: PolicyRule = {
  id: 'request.parse',
  title: 'Request parses',
  section: '§4.2 #1',
  grade: 'D-old',
  scope: 'any-method',
  check({ attempt }) {
    if (attempt.malformed === undefined) return unknown('Whether the request parses is not known');
    if (attempt.malformed === null) return pass('The request parsed');
    const { reason, packet } = attempt.malformed;
    return packet
      ? fail(`The SIP packet is malformed (${reason})`, reject(400, 'Bad Request', 4580, 'I'))
      : fail(`The request is malformed (${reason})`, reject(400, 'Bad Request', 4000, 'D-old'));
  },
};

export const requestMethod: PolicyRule = {
  id: 'request.method',
  title: 'Method supported',
  section: '§3, §20',
  grade: 'D',
  scope: 'any-method',
  check({ attempt, settings }) {
    const method = attempt.method?.toUpperCase();
    if (method === undefined) return unknown('The method is not known');
    const allow = { name: 'Allow', value: allowHeaderValue(settings.allowHeader) };
    if (method === 'INVITE') return pass('INVITE starts a call');
    if (method === 'OPTIONS') {
      return {
        outcome: 'pass',
        detail: 'OPTIONS is answered 200 OK with Allow',
        verdict: {
          kind: 'answer',
          headers: [
            allow,
            { name: 'Accept', value: 'application/sdp' },
            { name: 'Supported', value: 'timer, path, replaces' },
          ],
        },
      };
    }
    if (method === 'ACK') {
      return fail('An ACK that matches no transaction is absorbed without a response (RFC 3261 §17.2.3)', {
        kind: 'drop',
        responseGrade: 'I',
      });
    }
    if (IN_DIALOG_METHODS.has(method)) {
      return fail(
        `${method} outside a dialog matches no call`,
        reject(481, 'Call/Transaction Does Not Exist', 4360, 'I'),
      );
    }
    const status = settings.unsupportedMethodStatus;
    const phrase = status === 405 ? 'Method Not Allowed' : 'Not Implemented';
    if (UNSUPPORTED_METHODS.has(method)) {
      return fail(
        `Zentrunk does not support ${method}${method === 'REGISTER' ? ' (trunks never register)' : ''}`,
        reject(status, phrase, 5020, 'I', { headers: [allow] }),
      );
    }
    // RFC 3261 §21.5.2: an unrecognised method is 501 whatever the setting for known-but-unsupported ones.
    return fail(
      `${method} is not a SIP method Zentrunk recognises`,
      reject(501, 'Not Implemented', 5020, 'I', { headers: [allow] }),
    );
  },
};
