// Destination rules: format (E.164 or 1NXXNXXXXXX), geo permissions, premium and high-risk numbers, and India
// anchoring (BEHAVIOUR.md §4.1, §4.2 #15–18, §12.4, §20).

import {
  fail,
  pass,
  skipped,
  unknown,
  type PolicyRule,
  type RuleContext,
  type RuleResult,
} from '../engine/policy-rule.js';
import { geoCheck } from '../engine/policy-view.js';
import type { ClassifiedNumber } from '../numbers/number-intelligence.js';
import { reject } from './reject.js';

/** The routable destination, or the result a rule that needs one returns without it. */
function routable(context: RuleContext): ClassifiedNumber | RuleResult {
  const { destination } = context;
  if (destination === undefined) return unknown('The destination is not known');
  if (destination === null || !destination.ok) return skipped('No routable destination to check');
  return destination;
}

const SIP_SCHEMES = new Set(['sip', 'sips']);

export const destinationFormat: PolicyRule = {
  id: 'destination.format',
  title: 'Destination is E.164 with a known country code',
  section: '§4.1, §4.2 #15, §20',
  grade: 'D',
  check({ attempt, destination }) {
    const scheme = attempt.requestUri?.scheme?.toLowerCase();
    if (scheme !== undefined && !SIP_SCHEMES.has(scheme)) {
      return fail(
        `The Request-URI scheme “${scheme}:” is not supported`,
        reject(416, 'Unsupported URI Scheme', 4230, 'I'),
      );
    }
    if (destination === undefined) return unknown('The destination is not known');
    if (destination === null) {
      return fail(
        'The Request-URI has no number in its user part',
        reject(404, 'Prefix Not Supported', 4100, 'O'),
      );
    }
    if (!destination.ok) {
      switch (destination.problem) {
        case 'not-a-number':
          return fail('The destination is not a phone number', reject(484, 'Address Incomplete', 4120, 'I'));
        case 'no-country-code':
          return fail(
            `The destination ${destination.digits} has no country code`,
            reject(404, 'Prefix Not Supported', 4100, 'O'),
          );
        case 'unknown-country-code':
          return fail(
            `The destination +${destination.digits} starts with no known country code`,
            reject(404, 'Prefix Not Supported', 4100, 'O'),
          );
        case 'impossible-length':
          return fail(
            `The destination ${destination.digits} has a length no number of its country has`,
            reject(484, 'Address Incomplete', 4120, 'I'),
          );
      }
    }
    const where = destination.country ?? destination.possibleCountries.join('/');
    return pass(
      destination.valid
        ? `${destination.e164} is a ${destination.type} number in ${where}`
        : `${destination.e164} (${where || 'no country'}) is not in an assigned range; the carrier decides`,
    );
  },
};

export const destinationGeo: PolicyRule = {
  id: 'destination.geo',
  title: 'Destination country enabled in geo permissions',
  section: '§4.2 #16, §12.4, §17, §20',
  grade: 'D',
  check(context) {
    const destination = routable(context);
    if (!('ok' in destination)) return destination;
    const geo = context.view.geo;
    if (geo === undefined) return unknown('Your geo permissions are not known');
    const { countries, barred } = geoCheck(geo, destination);
    if (countries.length === 0) return skipped('The destination’s country cannot be determined');
    if (barred) {
      return fail(
        `Calls to ${countries.join('/')} are not enabled in your geo permissions`,
        reject(403, 'Barred Country', context.settings.geoBlockCode, 'O', {
          causeName: context.settings.geoBlockCauseName,
        }),
      );
    }
    return pass(`${countries.join('/')} is enabled in your geo permissions`);
  },
};

export const destinationPremium: PolicyRule = {
  id: 'destination.premium',
  title: 'Destination is not a premium or high-risk number',
  section: '§4.2 #17, §12.4, §20',
  grade: 'D',
  check(context) {
    const { view, settings } = context;
    if (settings.premiumBlocking === 'off') return skipped('Premium blocking is off (setting)');
    const destination = routable(context);
    if (!('ok' in destination)) return destination;
    const e164 = destination.e164;
    const approved = view.premiumAllowList?.find((prefix) => e164.startsWith(prefix));
    const highRisk = view.highRiskPrefixes?.find((prefix) => e164.startsWith(prefix));
    const premium = destination.type === 'premium-rate';
    if (!premium && highRisk === undefined && view.highRiskPrefixes === undefined) {
      return unknown('Not premium rate; your high-risk prefix list is not known');
    }
    if (!premium && highRisk === undefined) return pass(`${e164} is neither premium rate nor high risk`);
    if (approved !== undefined)
      return pass(`${e164} is ${premium ? 'premium rate' : 'high risk'} but approved by support`);
    if (view.premiumAllowList === undefined) {
      return unknown(
        `${e164} is ${premium ? 'premium rate' : 'high risk'}; whether support approved it is not known`,
      );
    }
    return fail(
      premium
        ? `${e164} is a premium-rate number, blocked against toll fraud`
        : `${e164} starts with the high-risk prefix ${highRisk ?? ''}, blocked against toll fraud`,
      reject(403, 'Barred Number', 4570, 'O'),
    );
  },
};

export const destinationIndiaAnchoring: PolicyRule = {
  id: 'destination.india-anchoring',
  title: 'India calls meet the domestic anchoring terms',
  section: '§4.2 #18, §12.4',
  grade: 'D',
  check({ destination, callerId, view }) {
    if (destination === undefined) return unknown('The destination is not known');
    if (destination === null || !destination.ok || destination.country !== 'IN')
      return skipped('Not a call to India');
    const compliant = view.indiaAnchoringCompliant;
    if (compliant === undefined)
      return unknown('Whether the account meets India’s anchoring terms is not known');
    if (!compliant) {
      return fail(
        'Calls to India need an India-region account that terminates SIP and media in India',
        reject(403, 'Forbidden', 4590, 'O'),
      );
    }
    if (callerId === undefined) return unknown('The caller ID is not known');
    if (!callerId?.info.ok || callerId.info.country !== 'IN') {
      return fail(
        'Calls to India need an Indian Plivo number as caller ID',
        reject(403, 'Forbidden', 4590, 'O'),
      );
    }
    return pass('The call to India meets the anchoring terms');
  },
};
