import type { CallSnapshot, CallState } from '../../../electron/common/index.js';
import { DialPad } from '../components/DialPad.js';
import { LevelMeter } from '../components/LevelMeter.js';
import {
  selectAudioError,
  selectCallAudio,
  selectCallErrors,
  selectConsultation,
  selectEndedCall,
  selectLiveCalls,
  selectTransferTarget,
} from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';
import { formatElapsed, useAudioLevels, useNow } from './use-call-clock.js';

const STATE_LABELS: Record<CallState, string> = {
  dialling: 'Dialling…',
  ringing: 'Ringing…',
  incoming: 'Incoming call',
  connected: 'Connected',
  'on-hold': 'On hold',
  ended: 'Ended',
};

const TRANSFER_LABELS = {
  'in-progress': 'Transfer in progress…',
  succeeded: 'Transfer completed',
  failed: 'Transfer failed',
} as const;

function MediaBadge({ call }: { readonly call: CallSnapshot }) {
  if (call.media.codec === undefined) return null;
  return (
    <span className="badge" data-testid="call-media">
      {call.media.codec} ·{' '}
      {call.media.srtpSuite === undefined ? 'RTP (not encrypted)' : `SRTP ${call.media.srtpSuite}`}
    </span>
  );
}

function CallCard({ call }: { readonly call: CallSnapshot }) {
  const actions = useAppActions();
  const errors = useAppStore(selectCallErrors);
  const audio = useAppStore(selectCallAudio);
  const transferTarget = useAppStore(selectTransferTarget);
  const consultation = useAppStore(selectConsultation);
  const talking = call.state === 'connected' || call.state === 'on-hold';
  const now = useNow(talking);
  const levels = useAudioLevels(audio, talking);
  const error = errors[call.callId];
  const isConsultation = consultation?.consultationCallId === call.callId;

  return (
    <section
      className="card in-call"
      data-testid="in-call"
      data-state={call.state}
      data-call-id={call.callId}
      aria-label="Call in progress"
    >
      <header className="in-call__header">
        <div>
          <p className="in-call__number mono" data-testid="in-call-number">
            {call.remoteNumber}
          </p>
          <p className="muted small">
            {call.direction === 'outbound' ? 'Outbound' : 'Inbound'}
            {call.callerId !== undefined && ` · caller ID ${call.callerId}`}
            {isConsultation && ' · consultation call'}
          </p>
        </div>
        <div className="in-call__status">
          <span
            className={call.state === 'connected' ? 'badge badge--ok' : 'badge badge--warning'}
            data-testid="call-state"
          >
            {STATE_LABELS[call.state]}
          </span>
          <span className="in-call__timer mono" data-testid="call-timer">
            {call.answeredAtMs !== undefined ? formatElapsed(call.answeredAtMs, now) : '0:00'}
          </span>
        </div>
      </header>
      <div className="in-call__badges">
        <MediaBadge call={call} />
        {call.muted && <span className="badge badge--warning">Muted</span>}
        {call.transfer !== 'none' && (
          <span
            className={call.transfer === 'failed' ? 'badge badge--error' : 'badge badge--ok'}
            data-testid="transfer-result"
            data-transfer={call.transfer}
          >
            {TRANSFER_LABELS[call.transfer]}
            {call.transferDetail !== undefined && ` (${call.transferDetail})`}
          </span>
        )}
      </div>
      {talking && (
        <div className="in-call__meters">
          <LevelMeter label="Microphone" dbfs={levels.inputDbfs} testId="level-input" />
          <LevelMeter label="Received" dbfs={levels.outputDbfs} testId="level-output" />
        </div>
      )}
      {talking && (
        <div data-testid="dtmf-keypad">
          <DialPad
            onKey={(key) => void actions.sendDtmf(call.callId, key)}
            disabled={call.state !== 'connected'}
          />
        </div>
      )}
      <div className="in-call__actions">
        {talking && (
          <button
            type="button"
            className="button"
            data-testid="hold-button"
            onClick={() => void actions.toggleHold(call.callId)}
          >
            {call.state === 'on-hold' ? 'Resume' : 'Hold'}
          </button>
        )}
        {talking && (
          <button
            type="button"
            className="button"
            data-testid="mute-button"
            aria-pressed={call.muted}
            onClick={() => void actions.toggleMute(call.callId)}
          >
            {call.muted ? 'Unmute' : 'Mute'}
          </button>
        )}
        <button
          type="button"
          className="button button--hangup"
          data-testid="hangup-button"
          onClick={() => void actions.hangup(call.callId)}
          title="Esc"
        >
          Hang up
        </button>
      </div>
      {talking && !isConsultation && (
        <div className="in-call__transfer">
          <label className="field">
            <span className="field-label">Transfer to</span>
            <input
              data-testid="transfer-target"
              className="mono"
              value={transferTarget}
              placeholder="+14155550190"
              onChange={(e) => actions.setTransferTarget(e.target.value)}
            />
          </label>
          <div className="in-call__actions">
            <button
              type="button"
              className="button"
              data-testid="transfer-blind"
              onClick={() => void actions.transferBlind(call.callId)}
            >
              Blind transfer
            </button>
            {consultation?.originalCallId === call.callId ? (
              <button
                type="button"
                className="button button--primary"
                data-testid="transfer-complete"
                onClick={() => void actions.completeTransfer()}
              >
                Complete transfer
              </button>
            ) : (
              <button
                type="button"
                className="button"
                data-testid="transfer-consult"
                onClick={() => void actions.startConsultation(call.callId)}
              >
                Consult first
              </button>
            )}
          </div>
        </div>
      )}
      {error !== undefined && (
        <p className="error-text" role="alert" data-testid="call-error">
          {error}
        </p>
      )}
    </section>
  );
}

function EndedCall({ call }: { readonly call: CallSnapshot }) {
  const actions = useAppActions();
  return (
    <section className="card card--muted" data-testid="ended-call" role="status">
      <h3>Call to {call.remoteNumber} ended</h3>
      {call.hangup !== undefined && (
        <>
          <p>
            <span className="mono" data-testid="ended-code">
              {call.hangup.code ?? '—'}
            </span>{' '}
            <strong data-testid="ended-cause">{call.hangup.causeName ?? 'unknown cause'}</strong>
          </p>
          <p className="small" data-testid="ended-explanation">
            {call.hangup.message}
          </p>
        </>
      )}
      {call.transfer !== 'none' && (
        <p className="small" data-testid="ended-transfer">
          {TRANSFER_LABELS[call.transfer]}
          {call.transferDetail !== undefined && ` (${call.transferDetail})`}
        </p>
      )}
      <button
        type="button"
        className="button button--ghost button--small"
        onClick={() => actions.dismissEndedCall()}
      >
        Dismiss
      </button>
    </section>
  );
}

/** The Phone view's call area: every live call with its controls, then the last ended call's outcome. */
export function InCallPanel() {
  const calls = useAppStore(selectLiveCalls);
  const ended = useAppStore(selectEndedCall);
  const audioError = useAppStore(selectAudioError);
  const shown = calls.filter((c) => c.state !== 'incoming');
  return (
    <>
      {audioError !== undefined && shown.length > 0 && (
        <p className="notice notice--warning" role="alert" data-testid="audio-error">
          {audioError}
        </p>
      )}
      {shown.map((call) => (
        <CallCard key={call.callId} call={call} />
      ))}
      {shown.length === 0 && ended !== undefined && <EndedCall call={ended} />}
    </>
  );
}
