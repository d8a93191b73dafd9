import type { RtpDirectionStats } from '../../../electron/common/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { ExplanationPanel } from '../components/ExplanationPanel.js';
import { LadderDiagram } from '../components/LadderDiagram.js';
import { selectDiagnosis, selectDiagnosisError, selectSelectedArrow } from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';
import { CaptureSection } from './CaptureSection.js';

function statsText(stats: RtpDirectionStats | undefined): string {
  if (stats === undefined) return 'not recorded';
  const parts = [
    stats.packets !== undefined ? `${stats.packets} packets` : undefined,
    stats.bytes !== undefined ? `${stats.bytes} bytes` : undefined,
    stats.lost !== undefined ? `${stats.lost} lost` : undefined,
    stats.jitterMs !== undefined ? `jitter ${stats.jitterMs} ms` : undefined,
  ].filter((p) => p !== undefined);
  return parts.join(' · ') || 'not recorded';
}

export function DiagnosisPanel() {
  const diagnosis = useAppStore(selectDiagnosis);
  const error = useAppStore(selectDiagnosisError);
  const selectedArrow = useAppStore(selectSelectedArrow);
  const actions = useAppActions();

  return (
    <aside className="diagnosis" data-testid="diagnosis-panel">
      <header className="diagnosis__header">
        <h3>Diagnosis</h3>
        <button type="button" className="link-button" onClick={() => actions.closeDiagnosis()}>
          Close
        </button>
      </header>
      {error && <p className="error-text">{error.message}</p>}
      {diagnosis === undefined && error === undefined && <p className="muted">Loading…</p>}
      {diagnosis && (
        <>
          <dl className="facts facts--inline">
            <dt>Call</dt>
            <dd className="mono small">{diagnosis.call.call_uuid}</dd>
            <dt>Last response</dt>
            <dd data-testid="last-response">
              {diagnosis.ladder?.finalResponse
                ? `${diagnosis.ladder.finalResponse.status} ${diagnosis.ladder.finalResponse.reasonPhrase}`
                : (diagnosis.call.sip_status ?? '—')}
            </dd>
            <dt>Codec · SRTP</dt>
            <dd>
              {diagnosis.media.codec ?? '—'} ·{' '}
              {diagnosis.media.srtpSuite ?? (diagnosis.call.srtp ? 'on' : 'off')}
            </dd>
            <dt>RTP sent</dt>
            <dd>{statsText(diagnosis.media.sent)}</dd>
            <dt>RTP received</dt>
            <dd>{statsText(diagnosis.media.received)}</dd>
          </dl>
          <ExplanationPanel explanation={diagnosis.explanation} policyRule={diagnosis.policyRule} />
          <section className="card">
            <h3>SIP ladder</h3>
            {diagnosis.ladder ? (
              <>
                <p className="muted small">{diagnosis.ladder.outcome.summary} Click a message to read it.</p>
                <LadderDiagram
                  ladder={diagnosis.ladder}
                  selectedArrow={selectedArrow}
                  onSelectArrow={(i) => actions.selectArrow(i)}
                />
              </>
            ) : (
              <EmptyState title="No SIP trace stored for this call">
                <p>The recorder kept the CDR only; the explanation above comes from its hangup code.</p>
              </EmptyState>
            )}
          </section>
          <CaptureSection callUuid={diagnosis.call.call_uuid} />
        </>
      )}
    </aside>
  );
}
