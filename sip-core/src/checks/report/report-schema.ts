// The JSON report: a versioned, validated document (zod). `schemaVersion` changes only when a reader of the
// previous version would misread a report: new optional fields keep version 1; a renamed, removed or re-typed
// field makes version 2, and `parseCheckReport` then says which Trunkline wrote it (README: "Report schema").

import { z } from 'zod';
import { TrunklineError } from '../../common/errors.js';
import type { CheckRunResult } from '../runner/check-run-result.js';

export const CHECK_REPORT_SCHEMA_VERSION = 1;

const nonNegative = z.number().min(0);
const epochMs = z.number().int().min(0);
const status = z.enum(['pass', 'fail', 'skipped', 'warning']);
const safety = z.enum(['safe', 'emulator-only']);
const transport = z.enum(['udp', 'tcp', 'tls']);
const socketAddress = z.object({ address: z.string(), port: z.number().int().min(0).max(65_535) }).strict();

const measuredValueSchema = z
  .object({
    name: z.string().min(1),
    value: z.union([z.number(), z.string(), z.boolean()]),
    unit: z.string().min(1).optional(),
  })
  .strict();

const sipMessageSchema = z
  .object({
    timestampMs: epochMs,
    source: socketAddress,
    destination: socketAddress,
    transport,
    text: z.string(),
    retransmission: z.boolean().optional(),
    localEnd: z.enum(['source', 'destination']).optional(),
  })
  .strict();

const evidenceSchema = z
  .object({
    sip: z.array(z.object({ label: z.string(), messages: z.array(sipMessageSchema) }).strict()),
    lines: z.array(z.string()),
    captureFile: z.string().optional(),
    waveforms: z.array(
      z
        .object({
          label: z.string(),
          sampleRateHz: z.number().int().positive(),
          samples: z.array(z.number().int().min(-32_768).max(32_767)),
        })
        .strict(),
    ),
  })
  .strict();

const causeSchema = z
  .object({
    summary: z.string(),
    hangupCode: z.number().int().min(1000).max(9999).optional(),
    hangupCauseName: z.string().optional(),
    sipStatus: z.number().int().min(100).max(699).optional(),
    errorCode: z.string().optional(),
  })
  .strict();

const skipReasonSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('dependency'), dependencyId: z.string(), dependencyStatus: status }).strict(),
  z.object({ kind: z.literal('deselected') }).strict(),
  z.object({ kind: z.literal('emulator-only') }).strict(),
  z.object({ kind: z.literal('aborted') }).strict(),
  z.object({ kind: z.literal('not-applicable') }).strict(),
]);

const checkResultSchema = z
  .object({
    id: z.string().min(1),
    title: z.string(),
    description: z.string(),
    safety,
    status,
    summary: z.string(),
    startedMs: epochMs,
    durationMs: nonNegative,
    measurements: z.array(measuredValueSchema),
    evidence: evidenceSchema,
    cause: causeSchema.optional(),
    remedy: z.string().optional(),
    skipReason: skipReasonSchema.optional(),
    error: z.object({ code: z.string().optional(), message: z.string() }).strict().optional(),
  })
  .strict();

const targetSummarySchema = z
  .object({
    terminationDomain: z.string(),
    port: z.number().int(),
    transport,
    outboundProxy: z.string().optional(),
    username: z.string().optional(),
    hasPassword: z.boolean(),
    callerId: z.string().optional(),
    testNumber: z.string().optional(),
    isEmulator: z.boolean(),
    region: z.string().optional(),
    extraCaCertificates: z.number().int().min(0),
  })
  .strict();

const count = z.number().int().min(0);

const runSchema = z
  .object({
    runId: z.string().min(1).max(128),
    target: targetSummarySchema,
    startedMs: epochMs,
    finishedMs: epochMs,
    durationMs: nonNegative,
    aborted: z.boolean(),
    selection: z
      .object({ only: z.array(z.string()), skip: z.array(z.string()), pulledIn: z.array(z.string()) })
      .strict(),
    results: z.array(checkResultSchema),
    counts: z.object({ pass: count, fail: count, warning: count, skipped: count, total: count }).strict(),
    verdict: z.enum(['passed', 'failed']),
  })
  .strict();

export const checkReportSchema = z
  .object({
    schemaVersion: z.literal(CHECK_REPORT_SCHEMA_VERSION),
    generator: z.object({ name: z.literal('trunkline'), version: z.string() }).strict(),
    run: runSchema,
  })
  .strict();

export type CheckReport = z.output<typeof checkReportSchema>;

export class CheckReportError extends TrunklineError {
  constructor(message: string) {
    super('CHECKS_REPORT_INVALID', message);
  }
}

/** Wraps a run in the versioned report document. */
export function createCheckReport(run: CheckRunResult, generatorVersion: string): CheckReport {
  return checkReportSchema.parse({
    schemaVersion: CHECK_REPORT_SCHEMA_VERSION,
    generator: { name: 'trunkline', version: generatorVersion },
    run: JSON.parse(JSON.stringify(run)) as unknown,
  });
}

export function renderJsonReport(report: CheckReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Reads a JSON report (text or parsed); throws `CHECKS_REPORT_INVALID` naming the first bad field. */
export function parseCheckReport(input: unknown): CheckReport {
  let value: unknown = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch {
      throw new CheckReportError('The check report is not JSON.');
    }
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > CHECK_REPORT_SCHEMA_VERSION) {
    throw new CheckReportError(
      `The check report has schema version ${version}; this Trunkline reads version ${CHECK_REPORT_SCHEMA_VERSION}. Update Trunkline to read it.`,
    );
  }
  const parsed = checkReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CheckReportError(
      `The check report is not valid at ${issue.path.join('.') || '(root)'}: ${issue.message}.`,
    );
  }
  return parsed.data;
}
