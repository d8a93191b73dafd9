// The call-list filters: Zentrunk's Call API filters under their own names and operators (BEHAVIOUR.md §14.6),
// then Trunkline's. One table turns each filter into a SQL condition on an indexed column; the same table
// accepts typed values from code and the strings of a REST query, so the emulator's Call API and the UI share
// one implementation and one set of error messages.

import {
  CALL_DIRECTIONS,
  HANGUP_SOURCES,
  RECORDERS,
  STIR_VERIFICATIONS,
  type CallDirection,
  type HangupSource,
  type RecordedBy,
  type StirVerification,
} from './call-detail-record.js';
import { StoreError } from './store-error.js';
import { parseUtcDate, parseZentrunkFilterTime } from './zentrunk-time.js';

type Operators<Name extends string, T> = {
  readonly [K in `${Name}${'' | '__gt' | '__gte' | '__lt' | '__lte'}`]?: T;
};

export type CdrFilter = {
  /**
   * The caller's number: every call whose number starts with this (or equals it, with `number_match: 'exact'`).
   * A leading `+` is optional: Zentrunk matches without it.
   */
  readonly from_number?: string;
  readonly to_number?: string;
  /** How `from_number` and `to_number` match: `prefix` (default; an exact number matches itself) or `exact`. */
  readonly number_match?: 'prefix' | 'exact';
  readonly call_direction?: CallDirection;
  readonly hangup_cause_code?: number;
  readonly hangup_source?: HangupSource;
  readonly stir_verification?: StirVerification;
  /** Trunkline: which side wrote the record. */
  readonly recorded_by?: RecordedBy;
  /** Trunkline: the trunk domain (case-insensitive). */
  readonly trunk_domain?: string;
  /** Trunkline: the hangup cause name. */
  readonly hangup_cause_name?: string;
  /** Trunkline: calls whose from or to number contains these digits anywhere (`+` ignored). */
  readonly number_search?: string;
  /** Trunkline: calls that ended on or after this UTC day (`YYYY-MM-DD`). */
  readonly end_date_from?: string;
  /** Trunkline: calls that ended on or before this UTC day (`YYYY-MM-DD`, inclusive). */
  readonly end_date_to?: string;
} & Operators<'bill_duration', number> &
  /** `YYYY-MM-DD HH:MM[:ss[.uuuuuu]]`, UTC, compared with the second-resolution `end_time`. */
  Operators<'end_time', string>;

export interface CdrQuery extends CdrFilter {
  /** Page size, 1–1000 (default 20, Zentrunk's). */
  readonly limit?: number;
  readonly offset?: number;
}

export type SqlValue = string | number;

export interface CompiledCdrQuery {
  /** A SQL condition over the `cdr` table (`1` when nothing is filtered). */
  readonly where: string;
  readonly params: readonly SqlValue[];
  readonly limit: number;
  readonly offset: number;
}

export const DEFAULT_PAGE_LIMIT = 20;
export const MAX_PAGE_LIMIT = 1_000;

const COMPARISONS = { '': '=', __gt: '>', __gte: '>=', __lt: '<', __lte: '<=' } as const;

/** The highest code point: `prefix + this` is above every string that starts with `prefix` (UTF-8 order). */
const AFTER_PREFIX = '\u{10FFFF}';

interface FilterRule {
  /** What the value must be, for the error message. */
  readonly expects: string;
  /** The value in SQL terms, or undefined when it is invalid. Accepts typed values and query-string text. */
  readonly value: (raw: unknown) => SqlValue | undefined;
  readonly sql: (value: SqlValue, filter: Readonly<Record<string, unknown>>) => [string, ...SqlValue[]];
}

function nonNegativeInt(raw: unknown): number | undefined {
  const n = typeof raw === 'string' && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

function nonEmpty(raw: unknown): string | undefined {
  return typeof raw === 'string' && raw.length > 0 && raw.length <= 256 ? raw : undefined;
}

/** A number filter's value: what the `*_digits` columns hold (the number without its leading `+`). */
function digits(raw: unknown): string | undefined {
  return nonEmpty(typeof raw === 'string' ? raw.replace(/^\+/, '') : undefined);
}

function oneOf(values: readonly string[]): (raw: unknown) => string | undefined {
  return (raw) => (typeof raw === 'string' && values.includes(raw) ? raw : undefined);
}

function numberRule(column: 'from_digits' | 'to_digits'): FilterRule {
  return {
    expects: 'a number or the start of one, with or without +',
    value: digits,
    sql: (value, filter) =>
      filter.number_match === 'exact'
        ? [`${column} = ?`, value]
        : [`${column} >= ? AND ${column} < ?`, value, `${value}${AFTER_PREFIX}`],
  };
}

function equals(column: string, expects: string, value: FilterRule['value']): FilterRule {
  return { expects, value, sql: (v) => [`${column} = ?`, v] };
}

function operatorRules(
  name: string,
  column: string,
  expects: string,
  value: FilterRule['value'],
): Record<string, FilterRule> {
  return Object.fromEntries(
    Object.entries(COMPARISONS).map(([suffix, op]) => [
      `${name}${suffix}`,
      { expects, value, sql: (v: SqlValue): [string, SqlValue] => [`${column} ${op} ?`, v] },
    ]),
  );
}

const SECONDS_PER_DAY = 86_400;

const FILTER_RULES: Readonly<Record<string, FilterRule>> = {
  from_number: numberRule('from_digits'),
  to_number: numberRule('to_digits'),
  call_direction: equals('call_direction', CALL_DIRECTIONS.join(' or '), oneOf(CALL_DIRECTIONS)),
  hangup_cause_code: equals('hangup_cause_code', 'a hangup cause code', nonNegativeInt),
  hangup_source: equals('hangup_source', HANGUP_SOURCES.join(', '), oneOf(HANGUP_SOURCES)),
  stir_verification: equals('stir_verification', STIR_VERIFICATIONS.join(', '), oneOf(STIR_VERIFICATIONS)),
  ...operatorRules('bill_duration', 'bill_duration', 'whole seconds', nonNegativeInt),
  // Bounds become epoch seconds, fractional when the filter has them, against the integer end_epoch_s column.
  ...operatorRules('end_time', 'end_epoch_s', 'a UTC time as YYYY-MM-DD HH:MM[:ss[.uuuuuu]]', (raw) => {
    const ms = typeof raw === 'string' ? parseZentrunkFilterTime(raw) : undefined;
    return ms === undefined ? undefined : ms / 1000;
  }),
  recorded_by: equals('recorded_by', RECORDERS.join(' or '), oneOf(RECORDERS)),
  trunk_domain: {
    expects: 'a trunk domain',
    value: nonEmpty,
    sql: (v) => ['trunk_domain = ? COLLATE NOCASE', v],
  },
  hangup_cause_name: equals('hangup_cause_name', 'a hangup cause name', nonEmpty),
  number_search: {
    expects: 'digits to look for',
    value: digits,
    sql: (v) => ['(instr(from_digits, ?) > 0 OR instr(to_digits, ?) > 0)', v, v],
  },
  end_date_from: {
    expects: 'a UTC date as YYYY-MM-DD',
    value: (raw) => (typeof raw === 'string' ? parseUtcDate(raw) : undefined),
    sql: (ms) => ['end_epoch_s >= ?', Number(ms) / 1000],
  },
  end_date_to: {
    expects: 'a UTC date as YYYY-MM-DD',
    value: (raw) => (typeof raw === 'string' ? parseUtcDate(raw) : undefined),
    sql: (ms) => ['end_epoch_s < ?', Number(ms) / 1000 + SECONDS_PER_DAY],
  },
};

/** Filter names a caller may use (for UIs and the emulator's Call API). */
export const CDR_FILTER_NAMES: readonly string[] = Object.keys(FILTER_RULES);

function invalidFilter(message: string): StoreError {
  return new StoreError('STORE_INVALID_FILTER', message);
}

/** Validated `limit` and `offset` of a page (any list: CDRs, check runs). */
export function pageBounds(page: { readonly limit?: unknown; readonly offset?: unknown }): {
  limit: number;
  offset: number;
} {
  return {
    limit: pageNumber('limit', page.limit, DEFAULT_PAGE_LIMIT, 1, MAX_PAGE_LIMIT),
    offset: pageNumber('offset', page.offset, 0, 0, Number.MAX_SAFE_INTEGER),
  };
}

function pageNumber(name: string, raw: unknown, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const n = nonNegativeInt(raw);
  if (n === undefined || n < min || n > max) {
    throw invalidFilter(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return n;
}

/**
 * Validates a query and compiles it to SQL. Values may be typed (`hangup_cause_code: 3000`) or the text of a
 * REST query (`'3000'`); an unknown name or a bad value throws `STORE_INVALID_FILTER` (Zentrunk says
 * "filtering not allowed on srtp" for a field it does not filter on; so do we).
 */
export function compileCdrQuery(query: CdrQuery | Readonly<Record<string, unknown>>): CompiledCdrQuery {
  const filter = query as Readonly<Record<string, unknown>>;
  const conditions: string[] = [];
  const params: SqlValue[] = [];
  for (const [name, raw] of Object.entries(filter)) {
    if (raw === undefined || name === 'limit' || name === 'offset') continue;
    if (name === 'number_match') {
      if (raw !== 'prefix' && raw !== 'exact') throw invalidFilter('number_match must be prefix or exact.');
      continue;
    }
    const rule = Object.hasOwn(FILTER_RULES, name) ? FILTER_RULES[name] : undefined;
    if (rule === undefined) throw invalidFilter(`filtering not allowed on ${name}`);
    const value = rule.value(raw);
    if (value === undefined) throw invalidFilter(`The filter ${name} must be ${rule.expects}.`);
    const [sql, ...values] = rule.sql(value, filter);
    conditions.push(sql);
    params.push(...values);
  }
  return {
    where: conditions.length === 0 ? '1' : conditions.join(' AND '),
    params,
    ...pageBounds(filter),
  };
}

/** A query from URL search parameters (the emulator's Call API); values stay text and are checked on compile. */
export function cdrQueryFromSearchParams(params: URLSearchParams): Readonly<Record<string, string>> {
  const query: Record<string, string> = {};
  for (const [name, value] of params) {
    if (Object.hasOwn(query, name)) throw invalidFilter(`The filter ${name} is given twice.`);
    query[name] = value;
  }
  return query;
}
