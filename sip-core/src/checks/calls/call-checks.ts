// The call checks in the order they run (after the network checks they depend on): the CLI's default list is
// `[...NETWORK_CHECKS, ...CALL_CHECKS]`.

import type { CheckDefinition } from '../runner/check-definition.js';
import { blindTransferCheck } from './blind-transfer-check.js';
import type { CallCheckServices } from './call-check-services.js';
import { dtmfCheck } from './dtmf-check.js';
import { hangupCdrCheck } from './hangup-cdr-check.js';
import { holdResumeCheck } from './hold-resume-check.js';
import { inboundCallCheck, inboundFallbackCheck } from './inbound-check.js';
import { outboundCallCheck } from './outbound-call-check.js';
import { twoWayAudioCheck } from './two-way-audio-check.js';

export const CALL_CHECKS: readonly CheckDefinition<CallCheckServices>[] = [
  outboundCallCheck,
  twoWayAudioCheck,
  dtmfCheck,
  holdResumeCheck,
  blindTransferCheck,
  hangupCdrCheck,
  inboundCallCheck,
  inboundFallbackCheck,
];
