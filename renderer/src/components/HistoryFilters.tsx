import { useState } from 'react';
import type { HistoryFilter } from '../../../electron/common/index.js';

export interface HistoryFiltersProps {
  readonly filter: HistoryFilter;
  readonly onApply: (filter: HistoryFilter) => void;
}

/** Direction, cause code, number and date range; applied together so a half-typed date never runs a query. */
export function HistoryFilters({ filter, onApply }: HistoryFiltersProps) {
  const [draft, setDraft] = useState({
    direction: filter.direction ?? '',
    cause: filter.hangupCauseCode?.toString() ?? '',
    number: filter.number ?? '',
    dateFrom: filter.dateFrom ?? '',
    dateTo: filter.dateTo ?? '',
  });
  const apply = () => {
    const code = Number(draft.cause);
    onApply({
      ...(draft.direction === 'inbound' || draft.direction === 'outbound'
        ? { direction: draft.direction }
        : {}),
      ...(draft.cause !== '' && Number.isInteger(code) ? { hangupCauseCode: code } : {}),
      ...(draft.number !== '' ? { number: draft.number } : {}),
      ...(draft.dateFrom !== '' ? { dateFrom: draft.dateFrom } : {}),
      ...(draft.dateTo !== '' ? { dateTo: draft.dateTo } : {}),
    });
  };
  return (
    <form
      className="filters"
      data-testid="history-filters"
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <label>
        <span className="field-label">Direction</span>
        <select value={draft.direction} onChange={(e) => setDraft({ ...draft, direction: e.target.value })}>
          <option value="">Any</option>
          <option value="outbound">Outbound</option>
          <option value="inbound">Inbound</option>
        </select>
      </label>
      <label>
        <span className="field-label">Hangup code</span>
        <input
          inputMode="numeric"
          placeholder="e.g. 4190"
          value={draft.cause}
          onChange={(e) => setDraft({ ...draft, cause: e.target.value })}
        />
      </label>
      <label>
        <span className="field-label">Number contains</span>
        <input
          data-testid="filter-number"
          placeholder="digits"
          value={draft.number}
          onChange={(e) => setDraft({ ...draft, number: e.target.value })}
        />
      </label>
      <label>
        <span className="field-label">From (UTC)</span>
        <input
          type="date"
          value={draft.dateFrom}
          onChange={(e) => setDraft({ ...draft, dateFrom: e.target.value })}
        />
      </label>
      <label>
        <span className="field-label">To (UTC)</span>
        <input
          type="date"
          value={draft.dateTo}
          onChange={(e) => setDraft({ ...draft, dateTo: e.target.value })}
        />
      </label>
      <button type="submit" className="button" data-testid="apply-filters">
        Apply
      </button>
    </form>
  );
}
