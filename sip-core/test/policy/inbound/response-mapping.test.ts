import { describe, expect, it } from 'vitest';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';
import {
  timerExpiry,
  mapCarrierOutcome,
  mapInDialogFailure,
  mapPbxOutcome,
  type LegOutcome,
} from '../../../src/policy/inbound/response-mapping.js';

const response = (status: number) => ({ kind: 'response' as const, status }) satisfies LegOutcome;

describe('response mapping', () => {
  it.each([
    // PBX outcome on an inbound call (§5.3): code, name, source, grade
    [response(401), 4020, 'unauthorized', 'customer', 'D-old'],
    [response(407), 4150, 'proxy_authentication_required', 'carrier', 'O'],
    [response(403), 4060, 'forbidden', 'customer', 'D'],
    [response(404), 4090, 'destination_not_found', 'customer', 'O'],
    [response(408), 4170, 'request_timeout_customer', 'customer', 'O'],
    [{ kind: 'timeout' } as const, 4170, 'request_timeout_customer', 'customer', 'O'],
    [response(480), 4350, 'temporary_unavailable', 'customer', 'O'],
    [response(486), 4410, 'user_busy', 'customer', 'O'],
    [response(488), 4640, 'sdp_not_acceptable_here_by_user', 'customer', 'I'],
    [response(501), 5040, 'not_implemented_at_user', 'customer', 'I'],
    [response(503), 5360, 'service_unavailable_by_user', 'customer', 'O'],
    [response(504), 5340, 'server_timeout', 'customer', 'I'],
    [{ kind: 'cancelled' } as const, 4420, 'carrier_cancelled', 'carrier', 'O'],
    [response(500), 5360, 'service_unavailable_by_user', 'customer', 'I'],
    [response(415), 4350, 'temporary_unavailable', 'customer', 'I'],
  ])('PBX %j → %i %s', (outcome, code, causeName, source, grade) => {
    expect(mapPbxOutcome(outcome)).toMatchObject({ cause: { code, causeName, source }, grade });
  });

  it.each([
    // carrier outcome on an outbound call (§4.3): code, relayed status, grade
    [response(486), 4410, 486, 'O'],
    [response(480), 4340, 480, 'O'],
    [response(404), 4090, 404, 'O'],
    [{ kind: 'timeout' } as const, 4160, 503, 'O'],
    [response(502), 5300, 502, 'O'],
    [response(503), 5350, 503, 'O'],
    [response(504), 5330, 504, 'O'],
    [response(401), 4010, 503, 'D-old'],
    [response(488), 4630, 488, 'O'],
    [response(600), 6000, 600, 'I'],
    [response(603), 6040, 603, 'I'],
    [response(604), 6020, 604, 'I'],
    [response(606), 6070, 606, 'I'],
    [response(487), 4420, 487, 'O'],
    [response(501), 5030, 501, 'I'],
    [response(599), 5000, 503, 'I'],
  ])('carrier %j → %i relayed as %i', (outcome, code, relayStatus, grade) => {
    const mapping = mapCarrierOutcome(outcome);
    expect(mapping).toMatchObject({ cause: { code, source: 'carrier' }, relayStatus, grade });
    expect(mapping.relayReason.length).toBeGreaterThan(2);
  });

  it.each([
    ['customer', response(481), 5220],
    ['customer', { kind: 'timeout' } as const, 5220],
    ['customer', response(500), 5230],
    ['customer', response(603), 5230],
    ['carrier', response(488), 5310],
    ['carrier', response(503), 5320],
  ] as const)('in-dialog failure by %s %j → %i', (party, outcome, code) => {
    expect(mapInDialogFailure(party, outcome)?.cause.code).toBe(code);
  });

  it('treats 491 and successes in a dialog as no failure', () => {
    expect(mapInDialogFailure('customer', response(491))).toBeUndefined();
    expect(mapInDialogFailure('carrier', response(200))).toBeUndefined();
  });

  it('uses CDR names where they differ', () => {
    expect(mapInDialogFailure('customer', response(400))?.cause.cdrCauseName).toBe(
      'service_interrupted_middialog_by_customer',
    );
  });

  it('maps the §20 timers: ring → 480 + 6030, RTP inactivity → BYE + 3020, with their settings', () => {
    expect(timerExpiry('ring', policySettings())).toEqual({
      timeoutMs: 60_000,
      cause: {
        code: 6030,
        causeName: 'alloted_timeout',
        source: 'zentrunk',
        cdrCauseName: 'alloted_timeout',
      },
      response: { status: 480, reasonPhrase: 'Temporarily Unavailable' },
    });
    expect(timerExpiry('rtp-inactivity', policySettings())).toMatchObject({
      timeoutMs: 60_000,
      cause: { code: 3020, causeName: 'rtp_timeout' },
      response: undefined,
    });
    expect(timerExpiry('ring', policySettings({ ringTimeoutMs: 20_000 })).timeoutMs).toBe(20_000);
    expect(
      timerExpiry('rtp-inactivity', policySettings({ rtpInactivityTimeoutMs: null })).timeoutMs,
    ).toBeNull();
  });
});
