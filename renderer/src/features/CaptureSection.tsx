// The diagnosis view's evidence card: the waveform of the call's local capture (or an honest empty state), the
// PCAP export, and deleting the capture after a confirmation step.

import { useEffect, useMemo, useState } from 'react';
import { CaptureWaveform, type WaveformPlayerFactory } from '../components/CaptureWaveform.js';
import { EmptyState } from '../components/EmptyState.js';
import { selectCapture, selectCaptureError } from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';
import { captureEmptyState, waveformDataOf } from './capture-waveform-data.js';
import { startDownload } from '../components/start-download.js';

export interface CaptureSectionProps {
  readonly callUuid: string;
  readonly createPlayer?: WaveformPlayerFactory;
}

export function CaptureSection({ callUuid, createPlayer }: CaptureSectionProps) {
  const capture = useAppStore(selectCapture);
  const error = useAppStore(selectCaptureError);
  const actions = useAppActions();
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    setConfirming(false);
    void actions.loadCapture(callUuid);
  }, [actions, callUuid]);

  const data = useMemo(
    () =>
      capture?.state === 'available' && capture.callUuid === callUuid ? waveformDataOf(capture) : undefined,
    [capture, callUuid],
  );
  const empty =
    capture !== undefined && capture.callUuid === callUuid ? captureEmptyState(capture) : undefined;

  const exportPcap = async () => {
    const exported = await actions.exportPcap(callUuid);
    if (exported?.kind === 'download') startDownload(exported.href, exported.fileName);
    else if (exported?.kind === 'saved') actions.addNotice('info', `Saved ${exported.path}.`);
  };

  return (
    <section className="card" data-testid="capture-section">
      <header className="view__header--row">
        <h3>Local capture</h3>
        <button
          type="button"
          className="button button--small"
          data-testid="export-pcap"
          onClick={() => void exportPcap()}
        >
          Export PCAP
        </button>
      </header>
      {error && <p className="error-text">{error.message}</p>}
      {capture === undefined && error === undefined && <p className="muted">Loading…</p>}
      {empty && (
        <EmptyState title={empty.title} testId="capture-empty">
          <p>{empty.body}</p>
        </EmptyState>
      )}
      {data && capture?.state === 'available' && (
        <>
          {capture.truncated && <p className="muted small">{capture.truncated.reason}</p>}
          {capture.recovered && <p className="muted small">{capture.recovered}</p>}
          <CaptureWaveform data={data} {...(createPlayer ? { createPlayer } : {})} />
          {confirming ? (
            <p className="small" data-testid="capture-delete-confirm">
              Delete this call&apos;s local capture (audio and PCAP)? The history keeps its SIP.{' '}
              <button
                type="button"
                className="button button--small"
                data-testid="capture-delete-yes"
                onClick={() => {
                  setConfirming(false);
                  void actions.deleteCapture(callUuid);
                }}
              >
                Delete
              </button>{' '}
              <button type="button" className="button button--small" onClick={() => setConfirming(false)}>
                Keep
              </button>
            </p>
          ) : (
            <button
              type="button"
              className="button button--small button--ghost"
              data-testid="capture-delete"
              onClick={() => setConfirming(true)}
            >
              Delete capture
            </button>
          )}
        </>
      )}
    </section>
  );
}
