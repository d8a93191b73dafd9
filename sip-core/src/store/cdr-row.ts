// Between a `CallDetailRecord` and its `cdr` row: booleans as 0/1, the JSON columns as text, plus the derived
// columns the indexes use. Rows are read back without re-validation: the store wrote them.

import { CDR_FIELDS, type CallDetailRecord } from './call-detail-record.js';
import type { SqlValue } from './cdr-filter.js';
import { parseZentrunkTime } from './zentrunk-time.js';

const BOOLEAN_FIELDS = new Set<string>(['srtp', 'secure_trunking', 'cnam_lookup']);
const JSON_FIELDS = new Set<string>(['rtp_stats', 'extras']);

/** The derived columns, after the record's own (see migration 1). */
const DERIVED_COLUMNS = ['end_epoch_s', 'from_digits', 'to_digits', 'total_amount_e5'] as const;

/** Every column an insert writes, in table order. */
export const CDR_INSERT_COLUMNS: readonly string[] = [...CDR_FIELDS, ...DERIVED_COLUMNS];

/** The INSERT of one row, parameters in `CDR_INSERT_COLUMNS` order (the values of `cdrToRow`). */
export const CDR_INSERT_SQL = `INSERT INTO cdr (${CDR_INSERT_COLUMNS.join(', ')}) VALUES (${CDR_INSERT_COLUMNS.map(() => '?').join(', ')})`;

/** The record's columns, for SELECT lists. */
export const CDR_SELECT_LIST = CDR_FIELDS.join(', ');

/** A five-decimal money string as an integer of 1e-5 USD (at most 15 digits: exact in a double). */
export function moneyToE5(money: string): number {
  return Number(money.replace('.', ''));
}

/** An integer of 1e-5 USD as a five-decimal string. */
export function e5ToMoney(e5: number): string {
  const text = String(e5).padStart(6, '0');
  return `${text.slice(0, -5)}.${text.slice(-5)}`;
}

/** The values of an INSERT of `cdr`, in `CDR_INSERT_COLUMNS` order. */
export function cdrToRow(cdr: CallDetailRecord): (SqlValue | null)[] {
  const values: (SqlValue | null)[] = CDR_FIELDS.map((field) => {
    const value = cdr[field];
    if (value === null) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (typeof value === 'object') return JSON.stringify(value);
    return value;
  });
  values.push(
    Math.floor((parseZentrunkTime(cdr.end_time) ?? 0) / 1000),
    cdr.from_number.replace(/^\+/, ''),
    cdr.to_number.replace(/^\+/, ''),
    moneyToE5(cdr.total_amount),
  );
  return values;
}

/** A record from a row selected with `CDR_SELECT_LIST`. */
export function rowToCdr(row: Readonly<Record<string, unknown>>): CallDetailRecord {
  const record: Record<string, unknown> = {};
  for (const field of CDR_FIELDS) {
    const value = row[field];
    if (value === null || value === undefined) record[field] = null;
    else if (BOOLEAN_FIELDS.has(field)) record[field] = value === 1;
    else if (JSON_FIELDS.has(field)) record[field] = JSON.parse(value as string) as unknown;
    else record[field] = value;
  }
  return record as CallDetailRecord;
}
