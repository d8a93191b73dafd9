// The dial field's hint: policy's number intelligence (what Zentrunk routes on) plus, for a national number the
// user typed, the E.164 form in the profile's default country. Zentrunk itself never guesses a country (a
// number without one fails with 4100), so the suggestion is only shown, never dialled silently.

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { classifyNumber, type NumberType } from '../../sip-core/src/index.js';
import type { NumberClassification } from '../common/index.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

const PROBLEM_HINTS = {
  'not-a-number': 'Only digits, a leading + and separators can be dialled.',
  'no-country-code':
    'Zentrunk needs the country code: dial +<country code><number> (else the call fails with 4100 prefix_not_supported).',
  'unknown-country-code':
    'No country uses this calling code: check the digits after + (the call would fail with 4100 prefix_not_supported).',
  'impossible-length':
    'No number of this country has this many digits (the call would fail with 4120 destination_invalid).',
} as const;

export function describeNumberType(type: NumberType): string {
  return type === 'unknown' ? 'type unknown' : type.replace(/-/g, ' ');
}

export function countryName(iso2: string): string {
  try {
    return regionNames.of(iso2) ?? iso2;
  } catch {
    return iso2;
  }
}

export function classifyForDialField(typed: string, defaultCountry?: string): NumberClassification {
  if (typed.trim() === '') {
    return {
      ok: false,
      problem: 'empty',
      hint: 'Type a number in E.164, e.g. +14155550111 (the echo number).',
    };
  }
  const info = classifyNumber(typed);
  if (info.ok) {
    const parsed = parsePhoneNumberFromString(info.e164);
    const pretty = parsed?.formatInternational() ?? info.e164;
    const where = info.country
      ? `${countryName(info.country)} (${info.country})`
      : info.possibleCountries.length > 0
        ? `one of ${info.possibleCountries.join(', ')}`
        : 'country unknown';
    const validity = info.valid ? '' : ' · not an assigned range';
    return {
      ok: true,
      e164: info.e164,
      country: info.country,
      possibleCountries: info.possibleCountries,
      valid: info.valid,
      type: info.type,
      hint: `${pretty} · ${where} · ${describeNumberType(info.type)}${validity}`,
    };
  }
  const suggestion =
    info.problem === 'no-country-code' && defaultCountry !== undefined
      ? parsePhoneNumberFromString(typed, defaultCountry as CountryCode)
      : undefined;
  const e164 = suggestion?.isValid() ? suggestion.number : undefined;
  return {
    ok: false,
    problem: info.problem,
    hint:
      e164 !== undefined
        ? `${PROBLEM_HINTS[info.problem]} As a ${countryName(defaultCountry ?? '')} number this is ${e164}.`
        : PROBLEM_HINTS[info.problem],
    ...(e164 !== undefined ? { suggestion: e164 } : {}),
  };
}
