import { describe, expect, it } from 'vitest';
import { classifyNumber, clearNumberCache, toE164 } from '../../../src/policy/numbers/number-intelligence.js';

describe('number intelligence', () => {
  it.each([
    // dialled, e164, form, country, type
    ['+14155550111', '+14155550111', 'e164', 'US', 'fixed-line-or-mobile'],
    ['14155550111', '+14155550111', 'nanp-11-digit', 'US', 'fixed-line-or-mobile'],
    ['0014155550111', '+14155550111', 'international-00', 'US', 'fixed-line-or-mobile'],
    ['+16135550123', '+16135550123', 'e164', 'CA', 'fixed-line-or-mobile'],
    ['16135550123', '+16135550123', 'nanp-11-digit', 'CA', 'fixed-line-or-mobile'],
    ['+18005550100', '+18005550100', 'e164', 'US', 'toll-free'],
    ['+19005550100', '+19005550100', 'e164', 'US', 'premium-rate'],
    ['+442079460123', '+442079460123', 'e164', 'GB', 'fixed-line'],
    ['+448712345678', '+448712345678', 'e164', 'GB', 'premium-rate'],
    ['+61255501234', '+61255501234', 'e164', 'AU', 'fixed-line'],
    ['+61491570156', '+61491570156', 'e164', 'AU', 'mobile'],
    ['+611300123456', '+611300123456', 'e164', 'AU', 'shared-cost'],
    ['+611800123456', '+611800123456', 'e164', 'AU', 'toll-free'],
    ['+611900123456', '+611900123456', 'e164', 'AU', 'premium-rate'],
    ['+919810012345', '+919810012345', 'e164', 'IN', 'mobile'],
    ['+8613800138000', '+8613800138000', 'e164', 'CN', 'mobile'],
    ['+868001234567', '+868001234567', 'e164', 'CN', 'toll-free'],
    ['+1 (415) 555-0111', '+14155550111', 'e164', 'US', 'fixed-line-or-mobile'],
  ] as const)('%s → %s (%s, %s, %s)', (dialled, e164, form, country, type) => {
    expect(classifyNumber(dialled)).toMatchObject({ ok: true, e164, form, country, type, valid: true });
  });

  it.each([
    ['alice', 'not-a-number'],
    ['+1415555011x', 'not-a-number'],
    ['4155550111', 'no-country-code'],
    ['02079460123', 'no-country-code'],
    ['1234', 'no-country-code'],
    ['04155550111', 'no-country-code'],
    ['+999123456789', 'unknown-country-code'],
    ['+1415', 'impossible-length'],
    ['+4420794601234567', 'impossible-length'],
  ])('%s is refused as %s', (dialled, problem) => {
    expect(classifyNumber(dialled)).toMatchObject({ ok: false, problem });
  });

  it('does not take an 11-digit number with an invalid NANP area code as NANP', () => {
    expect(classifyNumber('10155550111')).toMatchObject({ ok: false, problem: 'no-country-code' });
  });

  it('keeps shared-code countries it cannot place as possible countries', () => {
    const info = classifyNumber('+447700900123');
    expect(info).toMatchObject({ ok: true, valid: false, country: undefined, type: 'unknown' });
    expect(info.ok && info.possibleCountries).toContain('GB');
  });

  it('knows non-geographic calling codes (+882)', () => {
    expect(classifyNumber('+88234567890')).toMatchObject({
      ok: true,
      countryCallingCode: '882',
      country: undefined,
    });
  });

  it('normalises account numbers written without +', () => {
    expect(toE164('14155550100')).toBe('+14155550100');
    expect(toE164('442079460000')).toBe('+442079460000');
    expect(toE164('+61255501234')).toBe('+61255501234');
    expect(toE164('letters')).toBeUndefined();
  });

  it('caches: the same object comes back, and the cache can be cleared', () => {
    const first = classifyNumber('+14155550111');
    expect(classifyNumber('+14155550111')).toBe(first);
    clearNumberCache();
    const again = classifyNumber('+14155550111');
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });

  it('keeps a number used again across generations, and forgets one not seen for two generations of others', () => {
    clearNumberCache();
    const kept = classifyNumber('+14155550111');
    const dropped = classifyNumber('+14155550112');
    // 12,000 other numbers: more than two generations of 5,000; the kept number is used every 1,000.
    for (let i = 0; i < 12_000; i++) {
      classifyNumber(`+1415${String(2_000_000 + i)}`);
      if (i % 1_000 === 0) expect(classifyNumber('+14155550111')).toBe(kept);
    }
    expect(classifyNumber('+14155550111')).toBe(kept);
    const again = classifyNumber('+14155550112');
    expect(again).not.toBe(dropped);
    expect(again).toEqual(dropped);
  });
});
