import type { CheckOutcome, CheckResultView } from '../../../electron/common/index.js';
import { CheckResultDetail } from './CheckResultDetail.js';

export interface CheckResultListProps {
  readonly results: readonly CheckResultView[];
  readonly expanded: string | undefined;
  readonly onExpand: (checkId: string | undefined) => void;
}

const OUTCOME_LABELS: Record<CheckOutcome, string> = {
  passed: 'Passed',
  failed: 'Failed',
  warning: 'Warning',
  skipped: 'Skipped',
  running: 'Running',
  pending: 'Waiting',
};

const OUTCOME_BADGES: Record<CheckOutcome, string> = {
  passed: 'badge badge--ok',
  failed: 'badge badge--error',
  warning: 'badge badge--warning',
  skipped: 'badge',
  running: 'badge badge--info',
  pending: 'badge',
};

export function OutcomeBadge({ outcome }: { readonly outcome: CheckOutcome }) {
  return (
    <span className={OUTCOME_BADGES[outcome]} data-testid="check-outcome" data-outcome={outcome}>
      {OUTCOME_LABELS[outcome]}
    </span>
  );
}

/** One row per check: status, a progress bar while it runs, what it found; a finished row opens its detail. */
export function CheckResultList({ results, expanded, onExpand }: CheckResultListProps) {
  return (
    <ol className="check-results" data-testid="check-results">
      {results.map((result) => {
        const finished = result.outcome !== 'pending' && result.outcome !== 'running';
        const open = expanded === result.id;
        const percent = Math.round(
          (result.outcome === 'running' ? (result.progress ?? 0) : finished ? 1 : 0) * 100,
        );
        return (
          <li
            key={result.id}
            className={`check-result check-result--${result.outcome}`}
            data-testid={`check-result-${result.id}`}
            data-outcome={result.outcome}
          >
            <div className="check-result__row">
              <OutcomeBadge outcome={result.outcome} />
              <strong className="check-result__title">{result.title ?? result.id}</strong>
              <span className="check-result__message muted small" title={result.message}>
                {result.outcome === 'running' && result.progressNote ? result.progressNote : result.message}
              </span>
              {result.durationMs !== undefined && finished && (
                <span className="muted small num">{formatDuration(result.durationMs)}</span>
              )}
              {finished && (
                <button
                  type="button"
                  className="button button--ghost button--small"
                  aria-expanded={open}
                  data-testid="check-details-toggle"
                  onClick={() => onExpand(open ? undefined : result.id)}
                >
                  {open ? 'Hide details' : 'Details'}
                </button>
              )}
            </div>
            <progress
              className="check-result__progress"
              max={100}
              value={percent}
              aria-label={`${result.title ?? result.id} progress`}
            />
            {open && <CheckResultDetail result={result} />}
          </li>
        );
      })}
    </ol>
  );
}

export function formatDuration(ms: number): string {
  return ms < 1_000 ? `${Math.round(ms)} ms` : `${(ms / 1_000).toFixed(1)} s`;
}
