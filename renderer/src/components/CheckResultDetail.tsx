import { useState } from 'react';
import type { CheckMeasurementView, CheckResultView } from '../../../electron/common/index.js';
import { LadderDiagram } from './LadderDiagram.js';

/**
 * A finished check: what to do first (cause and remedy, or why it was skipped), then what was measured, the
 * facts it noted and each SIP exchange as a ladder (click an arrow for the whole message).
 */
export function CheckResultDetail({ result }: { readonly result: CheckResultView }) {
  const measurements = result.measurements ?? [];
  const evidence = result.evidence;
  return (
    <div className="check-detail" data-testid="check-detail">
      {result.outcome === 'skipped' && (
        <p className="check-detail__skip" data-testid="check-skip-reason">
          <strong>Why it was skipped:</strong> {result.skipReason ?? result.message}
        </p>
      )}
      {result.cause !== undefined && (
        <div className="cause" data-testid="check-cause">
          <p>
            <strong>Cause:</strong> {result.cause.summary}
          </p>
          <CauseCodes cause={result.cause} />
        </div>
      )}
      {result.remedy !== undefined && (
        <p className="check-detail__remedy" data-testid="check-remedy">
          <strong>Remedy:</strong> {result.remedy}
        </p>
      )}
      {result.error !== undefined && (
        <p className="error-text small">
          {result.error.code !== undefined ? `${result.error.code}: ` : ''}
          {result.error.message}
        </p>
      )}
      {measurements.length > 0 && (
        <dl className="facts" data-testid="check-measurements">
          {measurements.map((m) => (
            <div key={m.name} className="facts__pair">
              <dt>{m.name}</dt>
              <dd className="mono">{formatMeasurement(m)}</dd>
            </div>
          ))}
        </dl>
      )}
      {evidence !== undefined && evidence.lines.length > 0 && (
        <ul className="check-detail__lines plain-list small mono">
          {evidence.lines.map((line, i) => (
            <li key={i}>{line}</li>
          ))}
        </ul>
      )}
      {evidence?.sip.map((exchange, i) => (
        <SipExchange key={i} exchange={exchange} />
      ))}
      {evidence !== undefined && evidence.waveformCount > 0 && (
        <p className="muted small">
          {evidence.waveformCount} waveform{evidence.waveformCount === 1 ? '' : 's'}: export the HTML report
          to see them.
        </p>
      )}
    </div>
  );
}

function CauseCodes({ cause }: { readonly cause: NonNullable<CheckResultView['cause']> }) {
  const parts = [
    cause.hangupCode !== undefined
      ? `hangup ${cause.hangupCode}${cause.hangupCauseName ? ` ${cause.hangupCauseName}` : ''}`
      : undefined,
    cause.sipStatus !== undefined ? `SIP ${cause.sipStatus}` : undefined,
    cause.errorCode,
  ].filter((p): p is string => p !== undefined);
  return parts.length === 0 ? null : <p className="muted small mono">{parts.join(' · ')}</p>;
}

function SipExchange({
  exchange,
}: {
  readonly exchange: NonNullable<CheckResultView['evidence']>['sip'][number];
}) {
  const [open, setOpen] = useState(false);
  const [arrow, setArrow] = useState<number | undefined>(undefined);
  return (
    <details
      className="check-detail__sip"
      data-testid="check-sip-exchange"
      open={open}
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>
        {exchange.label} · {exchange.ladder.arrows.length} SIP messages
      </summary>
      {open && <LadderDiagram ladder={exchange.ladder} selectedArrow={arrow} onSelectArrow={setArrow} />}
    </details>
  );
}

export function formatMeasurement(m: CheckMeasurementView): string {
  const value =
    typeof m.value === 'number'
      ? String(Math.round(m.value * 100) / 100)
      : typeof m.value === 'boolean'
        ? m.value
          ? 'yes'
          : 'no'
        : m.value;
  return m.unit === undefined ? value : `${value} ${m.unit}`;
}
