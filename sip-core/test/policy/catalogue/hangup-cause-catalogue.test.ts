import { describe, expect, it } from 'vitest';
import { HANGUP_CAUSES } from '../../../src/policy/catalogue/hangup-cause-catalogue.js';
import {
  candidatesForSipStatus,
  causeOf,
  explainHangupCode,
  hangupCauseEntry,
  lookupHangupCauseName,
  lookupHangupCode,
} from '../../../src/policy/catalogue/hangup-cause-lookup.js';
import { VOICE_API_CAUSES } from '../../../src/policy/catalogue/voice-api-causes.js';
import { EVIDENCE_GRADES } from '../../../src/policy/evidence.js';

// Every code of BEHAVIOUR.md §13, written out independently of the catalogue so a dropped row fails.
const SECTION_13_CODES = [
  3000, 3010, 3020, 3030, 3040, 4000, 4010, 4020, 4030, 4040, 4050, 4060, 4070, 4080, 4090, 4100, 4110, 4120,
  4130, 4140, 4150, 4160, 4170, 4180, 4190, 4200, 4220, 4230, 4270, 4310, 4320, 4330, 4340, 4350, 4360, 4370,
  4380, 4410, 4420, 4430, 4440, 4500, 4520, 4540, 4550, 4560, 4570, 4580, 4590, 4610, 4620, 4630, 4640, 4650,
  5000, 5010, 5020, 5030, 5040, 5180, 5190, 5200, 5220, 5230, 5240, 5250, 5260, 5270, 5290, 5300, 5310, 5320,
  5330, 5340, 5350, 5360, 6000, 6020, 6030, 6040, 6070,
];

describe('hangup-cause catalogue', () => {
  it('holds exactly the §13 codes, once each, in order', () => {
    expect(HANGUP_CAUSES.map((e) => e.code)).toEqual(SECTION_13_CODES);
  });

  it.each(SECTION_13_CODES)('%i has a name, source, SIP signalling, meaning, remedy and grades', (code) => {
    const entry = hangupCauseEntry(code);
    expect(entry.causeName).toMatch(/^[a-z][a-z0-9_]*$/);
    expect(entry.sources.length).toBeGreaterThan(0);
    for (const source of entry.sources) expect(['customer', 'carrier', 'zentrunk']).toContain(source);
    if (entry.sipStatus !== undefined) expect(entry.sipStatus).toBeGreaterThanOrEqual(200);
    expect(entry.sipReason.length).toBeGreaterThan(2);
    expect(entry.meaning).toMatch(/^[A-Z].*\.$/);
    expect(entry.remedy).toMatch(/^[A-Z].*\.$/);
    expect(entry.remedy.length).toBeGreaterThan(30);
    expect(EVIDENCE_GRADES).toContain(entry.grade);
    expect(EVIDENCE_GRADES).toContain(entry.sipGrade);
  });

  it.each([
    // code, name, sources, status, reason, SIP grade — known answers from §13 and §20.
    [3000, 'normal_hangup', ['carrier'], undefined, 'D-old'],
    [3010, 'normal_hangup', ['customer'], undefined, 'D-old'],
    [3030, 'insufficient_plivo_credits', ['zentrunk'], 402, 'D-old'],
    [4020, 'unauthorized', ['customer'], 401, 'D-old'],
    [4070, 'trunk_not_found', ['zentrunk'], 404, 'I'],
    [4100, 'prefix_not_supported', ['zentrunk'], 404, 'O'],
    [4180, 'call_rejected_unauthorized', ['zentrunk'], 403, 'O'],
    [4190, 'unknown_caller_id', ['zentrunk'], 403, 'O'],
    [4370, 'loop_detected', ['zentrunk', 'carrier'], 482, 'O'],
    [4410, 'user_busy', ['carrier', 'customer'], 486, 'O'],
    [4560, 'barred_country', ['zentrunk'], 403, 'O'],
    [4570, 'barred_number', ['zentrunk'], 403, 'O'],
    [5180, 'cps_limit_reached', ['zentrunk'], 503, 'O'],
    [6030, 'alloted_timeout', ['zentrunk'], 480, 'I'],
  ] as const)('%i is %s', (code, name, sources, status, sipGrade) => {
    const entry = lookupHangupCode(code);
    expect(entry).toMatchObject({ causeName: name, sources, sipStatus: status, sipGrade });
  });

  it('gives the reason phrases Plivo staff observed', () => {
    expect(lookupHangupCode(4100)?.sipReason).toBe('Prefix Not Supported');
    expect(lookupHangupCode(4560)?.sipReason).toBe('Barred Country');
    expect(lookupHangupCode(4570)?.sipReason).toBe('Barred Number');
    expect(lookupHangupCode(3030)?.sipReason).toBe('Low Credits');
  });

  it.each([
    ['customer_cancelled', [4550]],
    ['insufficient_credits', [4030]],
    ['destination_country_barred', [4560, 4650]],
    ['barred_country', [4560, 4650]],
    ['call_rejected_unauthorized', [4020, 4180]],
    ['call_rejected_unauthorized_by_carrier', [4010]],
    ['insufficient_Plivo_credits', [3030, 4030]],
    ['service_interrupted_middialog_by_customer', [5220]],
    ['service_interrupted_middialog_by_carrier_4xx', [5310]],
    ['violates_media_anchoring', [4590]],
    ['FORBIDDEN', [4040, 4060, 4540]],
    ['  Normal_Hangup ', [3000, 3010]],
    ['temporary_unavailable', [4330, 4340, 4350]],
    ['server_timeout', [5200, 5330, 5340]],
  ])('resolves the name or alias %s to %j', (name, codes) => {
    expect(lookupHangupCauseName(name).map((e) => e.code)).toEqual(codes);
  });

  it('resolves every alias and CDR name of every entry back to that entry', () => {
    for (const entry of HANGUP_CAUSES) {
      for (const name of [entry.causeName, ...entry.aliases, ...(entry.cdrName ? [entry.cdrName] : [])]) {
        expect(lookupHangupCauseName(name)).toContain(entry);
      }
    }
  });

  it('returns nothing for unknown names and codes', () => {
    expect(lookupHangupCauseName('no_such_cause')).toEqual([]);
    expect(lookupHangupCode(4210)).toBeUndefined();
    expect(() => hangupCauseEntry(4210)).toThrow(RangeError);
  });

  it('lists candidate causes for a SIP status, main statuses first, all marked inferred', () => {
    const for403 = candidatesForSipStatus(403);
    expect(for403.every((c) => c.inferred)).toBe(true);
    const primary = for403.filter((c) => c.primary).map((c) => c.entry.code);
    expect(primary).toEqual(expect.arrayContaining([4040, 4130, 4180, 4190, 4200, 4540, 4560, 4570, 4590]));
    expect(for403.filter((c) => !c.primary).map((c) => c.entry.code)).toEqual([4110]);
    const for503 = candidatesForSipStatus(503).map((c) => c.entry.code);
    expect(for503.slice(0, 3)).toEqual([4010, 5000, 5010]);
    expect(for503).toContain(6000); // busy everywhere, observed relayed as 503
    expect(candidatesForSipStatus(299)).toEqual([]);
  });

  it('warns about Voice API collisions and Voice-API-only codes', () => {
    expect(explainHangupCode(3000)).toMatchObject({ verdict: 'collision', voiceApi: { name: 'No Answer' } });
    expect(explainHangupCode(4000).note).toMatch(/Voice API uses 4000 for “Normal Hangup”/);
    expect(explainHangupCode(4190)).toMatchObject({ verdict: 'zentrunk', voiceApi: undefined });
    expect(explainHangupCode(2030)).toMatchObject({ verdict: 'voice-api-only', zentrunk: undefined });
    expect(explainHangupCode(2030).note).toMatch(/looks like a Voice API code/);
    expect(explainHangupCode(4210).verdict).toBe('unknown');
  });

  it('keeps the Voice API table apart from the Zentrunk table', () => {
    const codes = VOICE_API_CAUSES.map((v) => v.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expect.arrayContaining([0, 1000, 2030, 2070, 3140, 6020, 7011, 8014, 9110]));
  });

  it('builds decision causes with an allowed source only', () => {
    expect(causeOf(4410, 'customer')).toEqual({
      code: 4410,
      causeName: 'user_busy',
      source: 'customer',
      cdrCauseName: 'user_busy',
    });
    expect(causeOf(4410)).toMatchObject({ source: 'carrier' });
    expect(causeOf(4550)).toMatchObject({ causeName: 'user_cancelled', cdrCauseName: 'customer_cancelled' });
    expect(causeOf(4560, undefined, 'destination_country_barred')).toMatchObject({
      causeName: 'destination_country_barred',
      cdrCauseName: 'destination_country_barred',
    });
    expect(() => causeOf(4190, 'carrier')).toThrow(RangeError);
  });
});
