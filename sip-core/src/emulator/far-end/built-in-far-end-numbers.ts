// The built-in "PSTN" numbers: one destination per behaviour of BEHAVIOUR.md §4.3 and the scenario kinds, in
// the fictional +1 415 555 01xx range that the demo account uses (it allows US destinations and owns none of
// these). The README of this folder lists them; a config entry with the same number replaces a built-in.

import { farEndScenarioSchema, type FarEndScenarioInput } from './far-end-scenario.js';
import type { FarEndEntry } from './far-end-table.js';
import { ECHO, RINGBACK_TONE, TEST_TONE } from './media-source.js';

const entry = (number: string, name: string, description: string, scenario: FarEndScenarioInput) =>
  Object.freeze({
    number,
    name,
    description,
    scenario: farEndScenarioSchema.parse(scenario),
    impairment: null,
  }) as FarEndEntry;

/** The number that rings (180) and answers at once, and echoes (also what the default scenario does). */
export const ECHO_NUMBER = '+14155550111';

/**
 * Every other valid destination: ring (180) and answer at once, and echo (docs/adr/0075, docs/adr/0088).
 */
export const BUILT_IN_DEFAULT_SCENARIO = farEndScenarioSchema.parse({ kind: 'answer', media: ECHO });

export const BUILT_IN_FAR_END_NUMBERS: readonly FarEndEntry[] = Object.freeze([
  entry(ECHO_NUMBER, 'echo', 'Rings (180) and answers at once, echoes your audio', {
    kind: 'answer',
    media: ECHO,
  }),
  entry('+14155550112', 'tone', 'Rings (180) and answers at once, plays a 1004 Hz test tone', {
    kind: 'answer',
    media: TEST_TONE,
  }),
  entry('+14155550113', 'ring-then-answer', 'Rings 5 s (180), then answers and echoes', {
    kind: 'answer',
    afterMs: 5_000,
  }),
  entry('+14155550114', 'early-media-answer', '183 with ringback tone for 6 s, then answers and echoes', {
    kind: 'answer',
    afterMs: 6_000,
    earlyMedia: { afterMs: 0, media: RINGBACK_TONE },
  }),
  entry(
    '+14155550115',
    'early-media-fail',
    '183 with a 950 Hz announcement tone for 4 s, then 404 (4090 destination_not_found)',
    {
      kind: 'reject',
      status: 404,
      afterMs: 4_000,
      earlyMedia: {
        afterMs: 0,
        media: { kind: 'tone', tones: [{ frequencyHz: 950, levelDbfs: -18 }] },
      },
    },
  ),
  entry(
    '+14155550130',
    'hangup-after-10s',
    'Rings (180) and answers at once, echoes, hangs up after 10 s (3000 normal_hangup)',
    {
      kind: 'answer',
      hangupAfterMs: 10_000,
    },
  ),
  entry(
    '+14155550140',
    'send-dtmf',
    'Rings (180) and answers at once, echoes, sends DTMF 1234# (RFC 4733) after 2 s',
    {
      kind: 'answer',
      dtmf: { digits: '1234#', afterMs: 2_000 },
    },
  ),
  entry(
    '+14155550170',
    'hold',
    'Rings (180) and answers at once, puts you on hold after 5 s (re-INVITE sendonly), resumes 5 s later',
    {
      kind: 'answer',
      hold: { afterMs: 5_000, resumeAfterMs: 5_000 },
    },
  ),
  entry('+14155550186', 'busy', '486 Busy Here (4410 user_busy)', { kind: 'reject', status: 486 }),
  entry('+14155550180', 'unavailable', '480 Temporarily Unavailable (4340 temporary_unavailable)', {
    kind: 'reject',
    status: 480,
  }),
  entry('+14155550148', 'no-answer', 'Rings until the ring timeout: 480 (6030 alloted_timeout)', {
    kind: 'no-answer',
  }),
  entry('+14155550160', 'decline', '603 Decline (6040 declined_from_carrier)', {
    kind: 'reject',
    status: 603,
  }),
  entry('+14155550104', 'not-found', '404 Not Found (4090 destination_not_found)', {
    kind: 'reject',
    status: 404,
  }),
  entry('+14155550150', 'carrier-503', '503 Service Unavailable (5350 service_unavailable_by_carrier)', {
    kind: 'reject',
    status: 503,
  }),
  entry('+14155550152', 'bad-gateway', '502 Bad Gateway (5300 bad_gateway)', { kind: 'reject', status: 502 }),
  entry('+14155550188', 'sdp-reject', '488 Not Acceptable Here (4630 sdp_not_acceptable_here_by_carrier)', {
    kind: 'reject',
    status: 488,
  }),
]);
