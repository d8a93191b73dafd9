import type { CheckRunView } from '../../../electron/common/index.js';

export interface CheckRunHistoryProps {
  readonly runs: readonly CheckRunView[];
  readonly openedRunId: string | undefined;
  readonly onOpen: (runId: string) => void;
}

/** Stored runs, newest first; a row opens the run with every result. */
export function CheckRunHistory({ runs, openedRunId, onOpen }: CheckRunHistoryProps) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="check-runs">
        <thead>
          <tr>
            <th>Started</th>
            <th>Target</th>
            <th>Verdict</th>
            <th className="num">Passed</th>
            <th className="num">Failed</th>
            <th className="num">Skipped</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => (
            <tr
              key={run.runId}
              className={run.runId === openedRunId ? 'is-selected' : undefined}
              data-testid="check-run-row"
              tabIndex={0}
              onClick={() => onOpen(run.runId)}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onOpen(run.runId);
              }}
            >
              <td>{new Date(run.startedMs).toLocaleString()}</td>
              <td className="mono small">{run.target}</td>
              <td>
                <VerdictBadge run={run} />
              </td>
              <td className="num">{run.passed + (run.warnings ?? 0)}</td>
              <td className="num">{run.failed}</td>
              <td className="num">{run.skipped}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function VerdictBadge({ run }: { readonly run: CheckRunView }) {
  if (run.verdict === undefined) return <span className="badge badge--info">running</span>;
  const label = run.aborted === true ? 'cancelled' : run.verdict;
  return (
    <span
      className={run.verdict === 'passed' ? 'badge badge--ok' : 'badge badge--error'}
      data-testid="check-verdict"
    >
      {label}
    </span>
  );
}
