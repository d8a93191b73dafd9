// The outbound pipeline: BEHAVIOUR.md §4.2 in its order, with the §12.4 policies where §4.2 places them. Order
// matters: a request that fails two checks reports the earlier one, as Zentrunk would. Two additions to §4.2
// (see docs/adr/0062): the OPTIONS-rate block and the method check run first, and the Require check runs right
// after authentication, so that an unauthenticated source learns nothing about the trunk's extensions.

import type { PolicyRule } from '../engine/policy-rule.js';
import { authentication } from './auth-rules.js';
import {
  callerIdCountryRules,
  callerIdDno,
  callerIdLength,
  callerIdNumeric,
  callerIdOwned,
} from './caller-id-rules.js';
import {
  destinationFormat,
  destinationGeo,
  destinationIndiaAnchoring,
  destinationPremium,
} from './destination-rules.js';
import { loopDetection, maxForwards } from './hop-rules.js';
import { accountCps, concurrency, credits, trunkCps } from './limit-rules.js';
import { mediaCodecs, requireExtensions, sessionTimer } from './media-rules.js';
import { optionsRateBlock, requestMethod, requestParse } from './request-rules.js';
import { trunkEnabledOutbound, trunkLookup, trunkSecureTransport } from './trunk-rules.js';

export const OUTBOUND_RULES: readonly PolicyRule[] = [
  optionsRateBlock, // §20 OPTIONS rate
  requestParse, // §4.2 #1
  requestMethod, // §3
  trunkLookup, // §4.2 #2
  trunkEnabledOutbound, // §4.2 #3
  trunkSecureTransport, // §4.2 #4
  authentication, // §4.2 #5–6
  requireExtensions, // §3 (PRACK), RFC 3261 §8.2.2.3
  trunkCps, // §4.2 #7
  accountCps, // §4.2 #7
  concurrency, // §4.2 #8
  credits, // §4.2 #9
  callerIdNumeric, // §4.2 #10
  callerIdLength, // §4.2 #11
  callerIdOwned, // §4.2 #12
  callerIdDno, // §4.2 #13
  callerIdCountryRules, // §4.2 #14
  destinationFormat, // §4.2 #15
  destinationGeo, // §4.2 #16
  destinationPremium, // §4.2 #17
  destinationIndiaAnchoring, // §4.2 #18
  mediaCodecs, // §4.2 #19
  sessionTimer, // §4.2 #20
  maxForwards, // §4.2 #21
  loopDetection, // §4.2 #22
];
