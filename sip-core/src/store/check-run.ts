// A stored check-run report (the check runner arrives with a later issue): who ran what against which
// target, the summary counts for the list, and the whole JSON report for the detail view and re-export.

import { z } from 'zod';
import { jsonValueSchema } from './call-detail-record.js';

const count = z.number().int().min(0);
const epochMs = z.number().int().min(0);

export const checkRunSchema = z
  .object({
    runId: z.string().min(1).max(128),
    startedMs: epochMs,
    /** Null while the run has not finished (a crashed run keeps its partial report). */
    finishedMs: epochMs.nullable(),
    /** What was checked: a trunk domain or `emulator`. */
    target: z.string().min(1).max(256),
    passed: count,
    failed: count,
    skipped: count,
    /** The whole report, any JSON value. */
    report: jsonValueSchema,
  })
  .strict()
  .refine((run) => run.finishedMs === null || run.finishedMs >= run.startedMs, {
    path: ['finishedMs'],
    message: 'before startedMs',
  });

export type CheckRunRecord = z.output<typeof checkRunSchema>;
/** What the list shows: everything but the report. */
export type CheckRunSummary = Omit<CheckRunRecord, 'report'>;
