// Arrange helpers for the CDR tests: the facts of a typical answered call on the demo account's IP-ACL trunk,
// with times on the Clock's two scales, shaped like the documented CDR example of BEHAVIOUR.md §14.6.

import { ManualClock } from '../../../src/common/manual-clock.js';
import type { CallLegFacts, LegInstant } from '../../../src/emulator/cdr/index.js';
import { causeOf, DEFAULT_POLICY_SETTINGS } from '../../../src/policy/index.js';
import { demo, DEMO_TRUNK_IDS } from '../../support/policy-fixtures.js';

/** 2024-01-15 14:28:48 UTC: the initiation time of the §14.6 example. */
export const INITIATION_WALL_MS = Date.UTC(2024, 0, 15, 14, 28, 48);

export const context = { account: demo, settings: DEFAULT_POLICY_SETTINGS };
export const aclTrunk = demo.trunks.find((t) => t.trunk_id === DEMO_TRUNK_IDS.ipAcl);
export const secureTrunk = demo.trunks.find((t) => t.trunk_id === DEMO_TRUNK_IDS.secure);

/** An instant `offsetMs` after the initiation on both scales (the monotonic scale starts at 5,000 ms). */
export function at(offsetMs: number): LegInstant {
  return { wallMs: INITIATION_WALL_MS + offsetMs, monotonicMs: 5_000 + offsetMs };
}

/** Answered after 12 s, ended by the far end 180 s later: the §14.6 example's shape. */
export function answeredFacts(overrides: Partial<CallLegFacts> = {}): CallLegFacts {
  return {
    callUuid: 'c0ffee00-0000-4000-8000-000000000001',
    callId: 'a84b4c76e66710@pbx.example',
    direction: 'outbound',
    from: '+14155550101',
    to: '+14155550111',
    trunk: aclTrunk,
    requestHost: `${DEMO_TRUNK_IDS.ipAcl}.zt.plivo.com`,
    transport: 'udp',
    peer: { address: '127.0.0.1', port: 5070 },
    times: { initiated: at(0), alerted: at(1_000), answered: at(12_000), ended: at(192_000) },
    finalResponse: { status: 200, reasonPhrase: 'OK' },
    cause: causeOf(3000),
    decidedBy: { ruleId: 'far-end.hangup', section: '§4.3, §13', grade: 'D-old' },
    codec: 'PCMU',
    srtpSuite: null,
    stir: { verification: 'Verified', attestation: 'A' },
    farEndScenario: 'echo',
    ...overrides,
  };
}

export function manualClockAt(wallMs = INITIATION_WALL_MS): ManualClock {
  return new ManualClock({ epochMs: wallMs });
}
