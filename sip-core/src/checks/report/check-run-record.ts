// A report as the store keeps it (store/check-run.ts, the existing check-run API): the list columns and the
// whole JSON report for the detail view and re-export. Warnings count as passed, as in the exit status.

import type { CheckRunRecord, TrunklineStore } from '../../store/index.js';
import type { CheckReport } from './report-schema.js';

export function toCheckRunRecord(report: CheckReport): CheckRunRecord {
  const run = report.run;
  return {
    runId: run.runId,
    startedMs: run.startedMs,
    finishedMs: Math.max(run.finishedMs, run.startedMs),
    target: run.target.isEmulator ? 'emulator' : run.target.terminationDomain,
    passed: run.counts.pass + run.counts.warning,
    failed: run.counts.fail,
    skipped: run.counts.skipped,
    report: JSON.parse(JSON.stringify(report)) as CheckRunRecord['report'],
  };
}

export function storeCheckReport(store: TrunklineStore, report: CheckReport): void {
  store.insertCheckRun(toCheckRunRecord(report));
}
