// The Calls view's filters and rows, mapped to and from the store's CDR shape. The store validates the values
// (dates, codes) and answers STORE_INVALID_FILTER with a message naming the field; the host turns that into an
// `invalid_params` result.

import { z } from 'zod';
import type { CallDetailRecord, CdrFilter } from '../../sip-core/src/index.js';
import type { CallSummary, HistoryFilter } from '../common/index.js';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

export const historyFilterSchema = z
  .object({
    direction: z.enum(['inbound', 'outbound']).optional(),
    recordedBy: z.enum(['emulator', 'softphone']).optional(),
    hangupCauseCode: z.number().int().min(0).max(99_999).optional(),
    number: z
      .string()
      .max(32)
      .regex(/^\+?[\d\s().-]*$/, 'expected digits (a number or part of one)')
      .optional(),
    dateFrom: day.optional(),
    dateTo: day.optional(),
  })
  .strict();

export const historyQuerySchema = z
  .object({
    filter: historyFilterSchema.optional(),
    limit: z.number().int().min(1).max(200).optional(),
    offset: z.number().int().min(0).optional(),
  })
  .strict();

export const DEFAULT_HISTORY_LIMIT = 50;

export function toCdrFilter(filter: HistoryFilter = {}): CdrFilter {
  const digits = filter.number?.replace(/\D/g, '');
  return {
    ...(filter.direction !== undefined ? { call_direction: filter.direction } : {}),
    ...(filter.recordedBy !== undefined ? { recorded_by: filter.recordedBy } : {}),
    ...(filter.hangupCauseCode !== undefined ? { hangup_cause_code: filter.hangupCauseCode } : {}),
    ...(digits ? { number_search: digits } : {}),
    ...(filter.dateFrom !== undefined ? { end_date_from: filter.dateFrom } : {}),
    ...(filter.dateTo !== undefined ? { end_date_to: filter.dateTo } : {}),
  };
}

export function toCallSummary(cdr: CallDetailRecord): CallSummary {
  return {
    call_uuid: cdr.call_uuid,
    call_direction: cdr.call_direction,
    recorded_by: cdr.recorded_by,
    from_number: cdr.from_number,
    to_number: cdr.to_number,
    initiation_time: cdr.initiation_time,
    answer_time: cdr.answer_time,
    end_time: cdr.end_time,
    call_duration: cdr.call_duration,
    hangup_cause_code: cdr.hangup_cause_code,
    hangup_cause_name: cdr.hangup_cause_name,
    hangup_source: cdr.hangup_source,
    sip_status: cdr.sip_status,
    codec: cdr.codec,
    srtp: cdr.srtp,
    trunk_domain: cdr.trunk_domain,
  };
}

/** `trunkline-calls-2026-11-26T130501Z.csv`: sortable, and no characters a file system refuses. */
export function csvFileName(nowMs: number): string {
  const stamp = new Date(nowMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `trunkline-calls-${stamp}.csv`;
}
