import { describe, expect, it } from 'vitest';
import { explainHangup, parseExplainQuery } from '../../../src/diagnostics/explain/index.js';
import { lookupHangupCode } from '../../../src/policy/index.js';

describe('parseExplainQuery', () => {
  it.each([
    ['4190', { kind: 'code', code: 4190 }],
    [' 3000 ', { kind: 'code', code: 3000 }],
    ['403', { kind: 'status', status: 403 }],
    ['699', { kind: 'status', status: 699 }],
    ['unknown_caller_id', { kind: 'name', name: 'unknown_caller_id' }],
    ['Geo-Permission', { kind: 'name', name: 'Geo-Permission' }],
    ['099', undefined],
    ['700', undefined],
    ['41900', undefined],
    ['', undefined],
    ['drop table;', undefined],
  ])('%j → %j', (text, query) => {
    expect(parseExplainQuery(text)).toEqual(query);
  });
});

describe('explainHangup', () => {
  it('explains a code with meaning, source, status, what to check and remedy', () => {
    const explanation = explainHangup({ kind: 'code', code: 4190 });
    expect(explanation.found).toBe(true);
    expect(explanation.causes).toHaveLength(1);
    const entry = lookupHangupCode(4190)!;
    expect(explanation.causes[0]).toMatchObject({
      code: 4190,
      causeName: 'unknown_caller_id',
      sources: ['zentrunk'],
      sipStatus: 403,
      meaning: entry.meaning,
      remedy: entry.remedy,
      inferred: false,
      evidenceFields: ['from', 'p-asserted-identity'],
    });
    expect(explanation.causes[0].whatToCheck).toMatch(/From user and P-Asserted-Identity/);
  });

  it.each([
    ['unknown_caller_id', [4190]],
    ['UNKNOWN_CALLER_ID', [4190]],
    ['destination_country_barred', [4560, 4650]],
    ['geo_permission_block', [4650]],
    ['customer_cancelled', [4550]],
    ['forbidden', [4040, 4060, 4540]],
  ])('finds every code for the name or alias %s', (name, codes) => {
    const explanation = explainHangup({ kind: 'name', name });
    expect(explanation.found).toBe(true);
    expect(explanation.causes.map((c) => c.code)).toEqual(codes);
    expect(explanation.causes.every((c) => !c.inferred)).toBe(true);
  });

  it('lists the inferred candidates of a SIP status, main statuses first', () => {
    const explanation = explainHangup({ kind: 'status', status: 403 });
    expect(explanation.found).toBe(true);
    expect(explanation.causes.map((c) => c.code)).toContain(4190);
    expect(explanation.causes.every((c) => c.inferred)).toBe(true);
    expect(explanation.headline).toMatch(/inferred/);
  });

  it.each([
    [{ kind: 'code', code: 9999 } as const, false, /not a known Zentrunk hangup code/],
    [{ kind: 'code', code: 2000 } as const, true, /not a Zentrunk hangup code/],
    [{ kind: 'name', name: 'no_such_cause' } as const, false, /not a Zentrunk cause name/],
    [{ kind: 'status', status: 199 } as const, false, /No Zentrunk hangup cause/],
  ])('says so for %j', (query, found, headline) => {
    const explanation = explainHangup(query);
    expect(explanation.found).toBe(found);
    expect(explanation.headline).toMatch(headline);
  });

  it('warns about a Voice API collision', () => {
    const explanation = explainHangup({ kind: 'code', code: 3000 });
    expect(explanation.found).toBe(true);
    expect(explanation.note ?? '').toMatch(/Voice API/);
  });

  it('gives every catalogue code a what-to-check sentence', () => {
    for (let code = 3000; code < 7000; code += 10) {
      const explanation = explainHangup({ kind: 'code', code });
      for (const cause of explanation.causes) expect(cause.whatToCheck.length).toBeGreaterThan(20);
    }
  });
});
