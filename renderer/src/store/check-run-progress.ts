// The live check run as the Checks view draws it, folded from the host's events by a pure reducer: the plan
// (`checks.started`) draws every row as pending, each `checks.progress` replaces its check's row (started →
// progress → finished with the result), and `checks.finished` brings the verdict and the final results. Events
// of another run than the one shown are ignored, so a late event from a cancelled run cannot repaint a new one.
//
//   (none) ──started/resumed──► running ──finished──► finished ──started (next run)──► running

import type {
  CheckProgressEvent,
  CheckResultView,
  CheckRunStartedEvent,
  CheckRunView,
} from '../../../electron/common/index.js';

export interface LiveCheckRun {
  readonly runId: string;
  readonly target: string;
  readonly profileName: string;
  /** Every planned check in run order. */
  readonly rows: readonly CheckResultView[];
  /** Set once `checks.finished` arrived. */
  readonly finished?: CheckRunView;
  /** The user asked to cancel; the host has not finished the run yet. */
  readonly cancelling?: boolean;
}

export type CheckRunAction =
  | { readonly type: 'started'; readonly event: CheckRunStartedEvent }
  | { readonly type: 'progress'; readonly event: CheckProgressEvent }
  | { readonly type: 'finished'; readonly run: CheckRunView }
  /** A run already in progress when the window opened (`checks.active`). */
  | { readonly type: 'resumed'; readonly run: CheckRunView }
  | { readonly type: 'cancelling'; readonly runId: string };

export function reduceCheckRun(
  state: LiveCheckRun | undefined,
  action: CheckRunAction,
): LiveCheckRun | undefined {
  switch (action.type) {
    case 'started': {
      const { event } = action;
      return {
        runId: event.runId,
        target: event.target,
        profileName: event.profileName,
        rows: event.checks.map((c) => ({
          id: c.id,
          title: c.title,
          safety: c.safety,
          outcome: 'pending',
          message: 'Waiting',
        })),
      };
    }
    case 'resumed':
      return {
        runId: action.run.runId,
        target: action.run.target,
        profileName: action.run.profileName ?? action.run.target,
        rows: action.run.results ?? [],
      };
    case 'progress': {
      const { event } = action;
      if (state === undefined || state.runId !== event.runId || state.finished !== undefined) return state;
      const rows = [...state.rows];
      const at = rows.findIndex((r) => r.id === event.result.id);
      if (at >= 0) rows[at] = event.result;
      else rows.splice(Math.min(event.index, rows.length), 0, event.result);
      return { ...state, rows };
    }
    case 'finished': {
      if (state !== undefined && state.runId !== action.run.runId) return state;
      return {
        runId: action.run.runId,
        target: action.run.target,
        profileName: state?.profileName ?? action.run.profileName ?? action.run.target,
        rows: action.run.results ?? state?.rows ?? [],
        finished: action.run,
      };
    }
    case 'cancelling':
      return state?.runId === action.runId && state.finished === undefined
        ? { ...state, cancelling: true }
        : state;
  }
}

/** The whole run's progress, 0..1: finished checks count whole, the running one by its own fraction. */
export function runFraction(run: LiveCheckRun): number {
  if (run.finished !== undefined) return 1;
  if (run.rows.length === 0) return 0;
  const done = run.rows.reduce((sum, row) => {
    if (row.outcome === 'pending') return sum;
    if (row.outcome === 'running') return sum + (row.progress ?? 0);
    return sum + 1;
  }, 0);
  return done / run.rows.length;
}

export function isRunLive(run: LiveCheckRun | undefined): boolean {
  return run !== undefined && run.finished === undefined;
}

/**
 * The test number field's rule (the host checks it again): empty is allowed (the network checks dial nothing),
 * otherwise E.164 — a plus, a country code that does not start with 0, 7 to 15 digits. Spaces, dashes, dots and
 * brackets are tolerated while typing and removed. Returns the problem, or undefined when it is fine.
 */
export function testNumberProblem(text: string): string | undefined {
  const compact = compactNumber(text);
  if (compact === '') return undefined;
  if (!compact.startsWith('+')) return 'Start with + and the country code, e.g. +14155550100 (E.164).';
  if (!/^\+\d+$/.test(compact)) return 'Only digits may follow the +.';
  if (compact[1] === '0') return 'A country code never starts with 0.';
  const digits = compact.length - 1;
  if (digits < 7 || digits > 15) return `An E.164 number has 7 to 15 digits; this one has ${digits}.`;
  return undefined;
}

export function compactNumber(text: string): string {
  return text.replace(/[\s\-.()]/g, '');
}
