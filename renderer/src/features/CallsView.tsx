import { useEffect } from 'react';
import { CallTable } from '../components/CallTable.js';
import { EmptyState } from '../components/EmptyState.js';
import { HistoryFilters } from '../components/HistoryFilters.js';
import {
  selectDiagnosisCallUuid,
  selectHistoryError,
  selectHistoryFilter,
  selectHistoryLoading,
  selectHistoryPage,
} from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';
import { DiagnosisPanel } from './DiagnosisPanel.js';
import { startDownload } from './download-link.js';

export function CallsView() {
  const page = useAppStore(selectHistoryPage);
  const filter = useAppStore(selectHistoryFilter);
  const error = useAppStore(selectHistoryError);
  const loading = useAppStore(selectHistoryLoading);
  const selected = useAppStore(selectDiagnosisCallUuid);
  const actions = useAppActions();

  useEffect(() => {
    void actions.loadHistory(0);
  }, [actions]);

  const filtered = Object.keys(filter).length > 0;
  const exportCsv = async () => {
    const exported = await actions.exportHistoryCsv();
    if (exported?.kind === 'download') startDownload(exported.href, exported.fileName);
    else if (exported?.kind === 'saved') actions.addNotice('info', `Saved ${exported.path}.`);
  };

  return (
    <div className="view view--calls" data-testid="calls-view">
      <header className="view__header view__header--row">
        <div>
          <h2>Calls</h2>
          <p className="muted">
            Every call of the softphone and the emulator, from the local history.
            {page &&
              ` ${page.totalCount} call${page.totalCount === 1 ? '' : 's'}${filtered ? ' match' : ''}.`}
          </p>
        </div>
        <div className="header-actions">
          <button
            type="button"
            className="button"
            onClick={() => void actions.loadHistory(0)}
            disabled={loading}
          >
            Refresh
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="export-csv"
            disabled={page === undefined || page.totalCount === 0}
            onClick={() => void exportCsv()}
          >
            Export CSV
          </button>
        </div>
      </header>
      <HistoryFilters filter={filter} onApply={(f) => void actions.setHistoryFilter(f)} />
      {error && <p className="error-text">{error.message}</p>}
      <div className={selected ? 'calls-layout calls-layout--split' : 'calls-layout'}>
        <div className="calls-list">
          {page && page.calls.length > 0 && (
            <CallTable
              calls={page.calls}
              selected={selected}
              onSelect={(id) => void actions.openDiagnosis(id)}
            />
          )}
          {page && page.calls.length === 0 && !filtered && (
            <EmptyState title="No calls yet" testId="history-empty">
              <p>
                Calls you place from the Phone view and calls the emulator handles appear here, each with its
                SIP ladder and why it ended.
              </p>
              <p className="muted small">
                Already have a capture? <code>npx trunkline explain call.pcap</code> explains it from the
                terminal.
              </p>
            </EmptyState>
          )}
          {page && page.calls.length === 0 && filtered && (
            <EmptyState title="No calls match these filters" testId="history-no-match">
              <p>Clear a filter or widen the date range.</p>
            </EmptyState>
          )}
        </div>
        {selected && <DiagnosisPanel />}
      </div>
    </div>
  );
}
