import type { CallSummary } from '../../../electron/common/index.js';

export interface CallTableProps {
  readonly calls: readonly CallSummary[];
  readonly selected: string | undefined;
  readonly onSelect: (callUuid: string) => void;
}

function formatDuration(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}

/** The history list: newest first, one row per call, the hangup cause as a badge. */
export function CallTable({ calls, selected, onSelect }: CallTableProps) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="history-table">
        <thead>
          <tr>
            <th>Ended (UTC)</th>
            <th>Direction</th>
            <th>From</th>
            <th>To</th>
            <th className="num">Duration</th>
            <th>Hangup cause</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((call) => (
            <tr
              key={call.call_uuid}
              data-testid="history-row"
              data-call-uuid={call.call_uuid}
              className={call.call_uuid === selected ? 'is-selected' : undefined}
              onClick={() => onSelect(call.call_uuid)}
              tabIndex={0}
              onKeyDown={(e) => {
                if (e.key === 'Enter') onSelect(call.call_uuid);
              }}
            >
              <td className="mono">{call.end_time}</td>
              <td>{call.call_direction}</td>
              <td className="mono">{call.from_number}</td>
              <td className="mono">{call.to_number}</td>
              <td className="num mono">{formatDuration(call.call_duration)}</td>
              <td>
                <span className={call.hangup_cause_code === 3000 ? 'badge badge--ok' : 'badge badge--error'}>
                  {call.hangup_cause_code}
                </span>{' '}
                {call.hangup_cause_name}
              </td>
              <td>{call.recorded_by ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
