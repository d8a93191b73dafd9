// What `trunkline check` shows while it runs: on a terminal, one live line per running check (a bar and the
// check's note, redrawn in place) and a line per finished check; elsewhere (CI logs, pipes) plain lines only,
// one per event, no control characters.

import { formatCause, type CheckResult, type CheckRunEvents } from '../checks/index.js';

const LABEL: Record<CheckResult['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warning: 'WARN',
  skipped: 'SKIP',
};
const BAR_WIDTH = 20;

export interface ProgressOutput {
  /** Writes a whole line. */
  line(text: string): void;
  /** Rewrites the live line (terminals only). */
  live?(text: string): void;
}

type Listeners = { [K in keyof CheckRunEvents]: CheckRunEvents[K] };

export function progressListeners(output: ProgressOutput): Listeners {
  let current: { id: string; title: string; index: number; total: number } | undefined;
  return {
    runStarted: (plan) => {
      const pulled =
        plan.selection.pulledIn.length > 0
          ? ` (with ${plan.selection.pulledIn.join(', ')}, needed by the selection)`
          : '';
      output.line(
        `Checking ${plan.target.terminationDomain} over ${plan.target.transport.toUpperCase()}: ${plan.checks.length} check${plan.checks.length === 1 ? '' : 's'}${pulled}.`,
      );
    },
    checkStarted: (check) => {
      current = check;
      if (output.live) output.live(`[${check.index + 1}/${check.total}] ${check.title} …`);
      else output.line(`[${check.index + 1}/${check.total}] ${check.id}: started`);
    },
    checkProgress: (progress) => {
      if (current?.id !== progress.id) return;
      // Without a terminal, a call check's steps (calling, answered, hold…) are lines, so a CI log shows where a
      // slow check spent its time; bare fractions say nothing there and are left out.
      if (!output.live) {
        if (progress.note !== undefined)
          output.line(`[${current.index + 1}/${current.total}] ${current.id}: ${progress.note}`);
        return;
      }
      const filled = Math.round(progress.fraction * BAR_WIDTH);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
      output.live(`[${current.index + 1}/${current.total}] ${current.title} ${bar} ${progress.note ?? ''}`);
    },
    checkFinished: (result, position) => {
      current = undefined;
      output.line(
        `[${position.index + 1}/${position.total}] ${LABEL[result.status]} ${result.id} (${formatMs(result.durationMs)}): ${result.summary}`,
      );
    },
    runFinished: () => undefined,
  };
}

/** The closing summary: counts, then cause and remedy of every failure and warning. */
export function summaryLines(results: readonly CheckResult[], verdict: 'passed' | 'failed'): string[] {
  const lines = [''];
  for (const result of results) {
    if (result.status !== 'fail' && result.status !== 'warning') continue;
    lines.push(`${LABEL[result.status]} ${result.title} (${result.id})`);
    if (result.cause) lines.push(`  Cause:  ${formatCause(result.cause)}`);
    if (result.remedy) lines.push(`  Remedy: ${result.remedy}`);
  }
  const count = (status: CheckResult['status']) => results.filter((r) => r.status === status).length;
  lines.push(
    `${verdict === 'passed' ? 'PASSED' : 'FAILED'}: ${count('pass')} passed, ${count('warning')} warnings, ${count('fail')} failed, ${count('skipped')} skipped.`,
  );
  return lines;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
