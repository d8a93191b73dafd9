import { useEffect } from 'react';
import type { CheckReportFormat } from '../../../electron/common/index.js';
import { CheckPicker } from '../components/CheckPicker.js';
import { CheckResultList } from '../components/CheckResultList.js';
import { CheckRunHistory, VerdictBadge } from '../components/CheckRunHistory.js';
import { EmptyState } from '../components/EmptyState.js';
import { startDownload } from '../components/start-download.js';
import { UnavailableNotice } from '../components/UnavailableNotice.js';
import { isRunLive, runFraction, testNumberProblem } from '../store/check-run-progress.js';
import {
  selectChecksCatalog,
  selectChecksCatalogFor,
  selectChecksDeselected,
  selectChecksError,
  selectChecksExpanded,
  selectChecksExport,
  selectChecksOpenedRun,
  selectChecksProfileId,
  selectChecksRun,
  selectChecksRuns,
  selectChecksTestNumber,
  selectFeature,
  selectProfiles,
} from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';
import '../styles/checks.css';

const selectChecks = selectFeature('checks');

const FORMATS: readonly { readonly format: CheckReportFormat; readonly label: string }[] = [
  { format: 'html', label: 'HTML report' },
  { format: 'junit', label: 'JUnit XML' },
  { format: 'json', label: 'JSON' },
];

export function ChecksView() {
  const availability = useAppStore(selectChecks);
  const profiles = useAppStore(selectProfiles);
  const profileId = useAppStore(selectChecksProfileId);
  const catalog = useAppStore(selectChecksCatalog);
  const deselected = useAppStore(selectChecksDeselected);
  const testNumber = useAppStore(selectChecksTestNumber);
  const live = useAppStore(selectChecksRun);
  const opened = useAppStore(selectChecksOpenedRun);
  const runs = useAppStore(selectChecksRuns);
  const expanded = useAppStore(selectChecksExpanded);
  const error = useAppStore(selectChecksError);
  const exported = useAppStore(selectChecksExport);
  const catalogFor = useAppStore(selectChecksCatalogFor);
  const actions = useAppActions();

  // The selected profile changed elsewhere (Phone or Profiles view): list what applies to it.
  useEffect(() => {
    if (profileId !== undefined && profileId !== catalogFor) {
      void actions.loadChecksCatalog(profileId);
    }
  }, [actions, profileId, catalogFor]);

  if (availability !== undefined && !availability.available) {
    return (
      <div className="view" data-testid="checks-view">
        <ChecksHeader />
        <UnavailableNotice
          title="No checks in this build"
          availability={availability}
          willDo="Each check sends real OPTIONS, INVITEs and calls, reads their ladders and reports pass or fail with the reason; runs are kept with their reports."
        />
      </div>
    );
  }

  const running = isRunLive(live);
  const numberProblem = testNumberProblem(testNumber);
  const chosen = (catalog ?? []).filter((c) => c.applicable && !deselected.includes(c.id));
  const runBlocked = running
    ? 'A run is in progress.'
    : numberProblem !== undefined
      ? 'Fix the test number first.'
      : catalog !== undefined && chosen.length === 0
        ? 'Choose at least one check.'
        : undefined;
  const shown = opened ?? live?.finished;
  const results = opened?.results ?? live?.rows ?? [];
  const exportable = shown?.verdict !== undefined;

  const exportReport = async (format: CheckReportFormat) => {
    const delivered = await actions.exportCheckReport(format);
    if (delivered?.kind === 'download') startDownload(delivered.href, delivered.fileName);
    else if (delivered?.kind === 'saved') actions.addNotice('info', `Saved ${delivered.path}.`);
  };

  return (
    <div className="view checks-view" data-testid="checks-view">
      <ChecksHeader />
      {error !== undefined && (
        <p className="notice notice--error" role="alert" data-testid="checks-error">
          {error.message}
        </p>
      )}
      <div className="checks-layout">
        <section className="card checks-setup" aria-label="Choose the checks">
          <form
            className="checks-setup__form"
            onSubmit={(e) => {
              e.preventDefault();
              void actions.runChecks();
            }}
          >
            <label className="form-field">
              <span className="field-label">Trunk profile</span>
              <select
                data-testid="checks-profile"
                value={profileId ?? ''}
                disabled={running}
                onChange={(e) => void actions.setChecksProfile(e.target.value)}
              >
                {profiles.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.kind === 'emulator' ? p.name : `${p.name} (${p.trunkDomain})`}
                  </option>
                ))}
              </select>
            </label>
            <label className="form-field">
              <span className="field-label">Test number</span>
              <input
                data-testid="checks-test-number"
                inputMode="tel"
                placeholder="+14155550100"
                value={testNumber}
                disabled={running}
                aria-invalid={numberProblem !== undefined}
                onChange={(e) => actions.setChecksTestNumber(e.target.value)}
              />
              <span
                className={numberProblem === undefined ? 'hint' : 'hint hint--problem'}
                data-testid="checks-test-number-hint"
              >
                {numberProblem ??
                  'The number the call checks dial, in E.164. Use one you own: a real trunk charges for it.'}
              </span>
            </label>
            <div className="checks-setup__actions">
              {running ? (
                <button
                  type="button"
                  className="button"
                  data-testid="checks-cancel"
                  disabled={live?.cancelling === true}
                  onClick={() => void actions.cancelChecks()}
                >
                  {live?.cancelling === true ? 'Cancelling…' : 'Cancel'}
                </button>
              ) : (
                <button
                  type="submit"
                  className="button button--primary"
                  data-testid="checks-run"
                  disabled={runBlocked !== undefined}
                  title={runBlocked}
                >
                  Run{' '}
                  {chosen.length > 0 && catalog !== undefined && chosen.length < catalog.length
                    ? `${chosen.length} checks`
                    : 'all checks'}
                </button>
              )}
              <button
                type="button"
                className="link-button small"
                disabled={running}
                onClick={() => actions.setAllChecks(deselected.length > 0)}
              >
                {deselected.length > 0 ? 'Select all' : 'Select none'}
              </button>
            </div>
          </form>
          {catalog === undefined ? (
            <p className="muted">Loading the checks…</p>
          ) : (
            <CheckPicker
              catalog={catalog}
              deselected={deselected}
              disabled={running}
              onToggle={(id) => actions.toggleCheck(id)}
            />
          )}
        </section>

        <section className="card checks-results" aria-label="Results" data-testid="checks-results">
          {results.length === 0 ? (
            <EmptyState title="No results yet" testId="checks-empty">
              <p>
                Run the checks against the emulator to see what a healthy trunk looks like, then choose your
                own trunk profile and compare.
              </p>
            </EmptyState>
          ) : (
            <>
              <div className="view__header--row checks-results__header">
                <div>
                  <h3>
                    {opened !== undefined
                      ? `Run of ${new Date(opened.startedMs).toLocaleString()}`
                      : running
                        ? 'Running…'
                        : 'Last run'}{' '}
                    {shown !== undefined && <VerdictBadge run={shown} />}
                  </h3>
                  <p className="muted small mono" data-testid="checks-target">
                    {opened?.target ?? live?.target}
                    {shown !== undefined && (
                      <>
                        {' · '}
                        {shown.passed + (shown.warnings ?? 0)} passed · {shown.failed} failed ·{' '}
                        {shown.skipped} skipped
                      </>
                    )}
                  </p>
                </div>
                <div className="header-actions">
                  {exportable &&
                    FORMATS.map(({ format, label }) => (
                      <button
                        key={format}
                        type="button"
                        className="button button--small"
                        data-testid={`checks-export-${format}`}
                        onClick={() => void exportReport(format)}
                      >
                        {label}
                      </button>
                    ))}
                  {opened !== undefined && (
                    <button
                      type="button"
                      className="button button--ghost button--small"
                      data-testid="checks-close-run"
                      onClick={() => actions.closeCheckRun()}
                    >
                      Close
                    </button>
                  )}
                </div>
              </div>
              {live !== undefined && opened === undefined && running && (
                <progress
                  className="checks-results__overall"
                  data-testid="checks-overall-progress"
                  max={100}
                  value={Math.round(runFraction(live) * 100)}
                  aria-label="Run progress"
                />
              )}
              {exported?.kind === 'saved' && (
                <p className="muted small" role="status">
                  Saved {exported.path}.
                </p>
              )}
              <CheckResultList
                results={results}
                expanded={expanded}
                onExpand={(id) => actions.expandCheck(id)}
              />
            </>
          )}
        </section>

        <section className="card checks-history" aria-label="Earlier runs">
          <h3>Earlier runs</h3>
          {runs.length === 0 ? (
            <EmptyState title="No runs stored yet" testId="checks-history-empty">
              <p>Every run is kept here with its full results and reports; open one to compare.</p>
            </EmptyState>
          ) : (
            <CheckRunHistory
              runs={runs}
              openedRunId={opened?.runId}
              onOpen={(id) => void actions.openCheckRun(id)}
            />
          )}
        </section>
      </div>
    </div>
  );
}

function ChecksHeader() {
  return (
    <header className="view__header">
      <h2>Checks</h2>
      <p className="muted">
        Pre-deployment checks against your trunk or the embedded emulator: each says what it found, why a
        failure happened and what to do, with reports for CI.
      </p>
    </header>
  );
}
