// Number intelligence: what a dialled string means. Zentrunk routes on E.164 (BEHAVIOUR.md §4.1) and its
// guides also dial North American numbers as 1NXXNXXXXXX without '+'; geo permissions, premium blocking, the
// caller-ID rules and billing all need the country and the number type. libphonenumber-js with the `max`
// metadata knows number types; parsing is the expensive part, so results are cached.

import { parsePhoneNumberFromString, type PhoneNumberType } from 'libphonenumber-js/max';

/** The number types that matter to policy and billing (libphonenumber's, in kebab-case). */
export type NumberType =
  | 'fixed-line'
  | 'mobile'
  | 'fixed-line-or-mobile'
  | 'toll-free'
  | 'premium-rate'
  | 'shared-cost'
  | 'voip'
  | 'personal-number'
  | 'pager'
  | 'uan'
  | 'voicemail'
  | 'unknown';

/** How the dialled string was written. */
export type DialledForm = 'e164' | 'international-00' | 'nanp-11-digit';

/** Why a dialled string is not a routable international number. */
export type DialledProblem =
  /** Characters other than digits, a leading '+' and visual separators. */
  | 'not-a-number'
  /** Digits without a country code (a national or short number): Zentrunk's 4100 prefix_not_supported. */
  | 'no-country-code'
  /** A '+' number whose country calling code does not exist: 4100. */
  | 'unknown-country-code'
  /** A known country code but a length no number of that country has: 4120 destination_invalid. */
  | 'impossible-length';

export interface ClassifiedNumber {
  readonly ok: true;
  /** `+` and digits. */
  readonly e164: string;
  readonly form: DialledForm;
  readonly countryCallingCode: string;
  /**
   * ISO 3166-1 alpha-2 country, when it can be told: from the number itself, or the only country that uses
   * the calling code for a number of this shape. Undefined for shared codes when the number is not valid.
   */
  readonly country: string | undefined;
  /** Every country the number may belong to (several for a shared calling code such as +1 or +44). */
  readonly possibleCountries: readonly string[];
  /** Whether the number is in an assigned range per libphonenumber's metadata. */
  readonly valid: boolean;
  readonly type: NumberType;
}

export interface UnclassifiedNumber {
  readonly ok: false;
  readonly problem: DialledProblem;
  /** The digits that were read, for messages. */
  readonly digits: string;
}

export type NumberInfo = ClassifiedNumber | UnclassifiedNumber;

// RFC 3966 §5.1.1 visual separators, which SIP user parts may carry.
const VISUAL_SEPARATORS = /[-.()\s]/g;
// NANP: country code 1, then NXX NXX XXXX (N = 2–9) (BEHAVIOUR.md §4.1; Zentrunk's guides dial this form).
const NANP_11_DIGIT = /^1[2-9]\d{2}[2-9]\d{6}$/;

const TYPE_NAMES: Record<PhoneNumberType, NumberType> = {
  FIXED_LINE: 'fixed-line',
  MOBILE: 'mobile',
  FIXED_LINE_OR_MOBILE: 'fixed-line-or-mobile',
  TOLL_FREE: 'toll-free',
  PREMIUM_RATE: 'premium-rate',
  SHARED_COST: 'shared-cost',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal-number',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

/**
 * The cache is two generations of at most CACHE_GENERATION numbers each: a full current generation becomes the
 * previous one and the older is dropped whole. Not a Map with its oldest entry deleted per new number: V8 keeps
 * deleted entries as holes at the Map's front until it rebuilds the table, and `keys().next()` steps over all of
 * them — ~7 µs per new number at 10,000 entries (docs/adr/0167).
 */
const CACHE_GENERATION = 5_000;
let current = new Map<string, NumberInfo>();
let previous = new Map<string, NumberInfo>();

/**
 * Classifies a dialled string: `+E.164`, `00`-prefixed international, or 11-digit NANP without `+`. Anything
 * else is reported with the problem Zentrunk would reject it for. Pure and cached (bounded: the numbers of the
 * last two generations, see above).
 */
export function classifyNumber(dialled: string): NumberInfo {
  const cached = current.get(dialled);
  if (cached) return cached;
  const info = previous.get(dialled) ?? classifyUncached(dialled);
  if (current.size >= CACHE_GENERATION) {
    previous = current;
    current = new Map();
  }
  current.set(dialled, info);
  return info;
}

function classifyUncached(dialled: string): NumberInfo {
  const compact = dialled.trim().replace(VISUAL_SEPARATORS, '');
  const plus = compact.startsWith('+');
  const digits = plus ? compact.slice(1) : compact;
  if (!/^\d+$/.test(digits)) return { ok: false, problem: 'not-a-number', digits: digits.replace(/\D/g, '') };

  let form: DialledForm;
  let international: string;
  if (plus) {
    form = 'e164';
    international = digits;
  } else if (digits.startsWith('00')) {
    form = 'international-00';
    international = digits.slice(2);
  } else if (NANP_11_DIGIT.test(digits)) {
    form = 'nanp-11-digit';
    international = digits;
  } else {
    return { ok: false, problem: 'no-country-code', digits };
  }

  const parsed = parsePhoneNumberFromString(`+${international}`);
  if (!parsed) {
    // libphonenumber returns nothing both for an unknown calling code and for a too-short number; a known code
    // is a length problem.
    return {
      ok: false,
      problem: hasKnownCallingCode(international) ? 'impossible-length' : 'unknown-country-code',
      digits,
    };
  }
  if (!parsed.isPossible()) return { ok: false, problem: 'impossible-length', digits };
  const possibleCountries = parsed.getPossibleCountries();
  const type = parsed.getType();
  return {
    ok: true,
    e164: parsed.number,
    form,
    countryCallingCode: parsed.countryCallingCode,
    country: parsed.country ?? (possibleCountries.length === 1 ? possibleCountries[0] : undefined),
    possibleCountries,
    valid: parsed.isValid(),
    type: type === undefined ? 'unknown' : TYPE_NAMES[type],
  };
}

function hasKnownCallingCode(international: string): boolean {
  // ITU-T E.164 calling codes are prefix-free and at most three digits long, so a long probe that starts with
  // the number's first three digits parses exactly when one of its prefixes is a calling code (geographic or
  // not, such as +882). The padding must not take part in the code, hence the startsWith check.
  const code = parsePhoneNumberFromString(
    `+${international.slice(0, 3)}${'2'.repeat(10)}`,
  )?.countryCallingCode;
  return code !== undefined && international.startsWith(code);
}

/** The E.164 form of a number as written in account files (`14155550100` or `+14155550100`), or undefined. */
export function toE164(number: string): string | undefined {
  const trimmed = number.trim();
  const info = classifyNumber(/^\d+$/.test(trimmed) && !trimmed.startsWith('00') ? `+${trimmed}` : trimmed);
  return info.ok ? info.e164 : undefined;
}

/** Empties the cache (tests and benchmarks). */
export function clearNumberCache(): void {
  current.clear();
  previous.clear();
}
