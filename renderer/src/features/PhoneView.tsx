import { useState } from 'react';
import { DialPad } from '../components/DialPad.js';
import { NumberField } from '../components/NumberField.js';
import { WarningList } from '../components/WarningList.js';
import { UnavailableNotice } from '../components/UnavailableNotice.js';
import { AudioSettingsPanel } from './AudioSettingsPanel.js';
import { InCallPanel } from './InCallPanel.js';
import {
  selectCallerId,
  selectDialError,
  selectFeature,
  selectNumber,
  selectPreDial,
  selectSelectedProfile,
} from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';

const selectSoftphone = selectFeature('softphone');

/** The caller-ID picker's entry for a number the profile does not list (to see what the trunk says about it). */
const OTHER_CALLER_ID = '__other';

export function PhoneView() {
  const [otherCallerId, setOtherCallerId] = useState(false);
  const number = useAppStore(selectNumber);
  const preDial = useAppStore(selectPreDial);
  const profile = useAppStore(selectSelectedProfile);
  const callerId = useAppStore(selectCallerId);
  const softphone = useAppStore(selectSoftphone);
  const dialError = useAppStore(selectDialError);
  const actions = useAppActions();
  const canCall = softphone?.available === true && number.trim() !== '';

  return (
    <div className="view view--phone" data-testid="phone-view">
      <header className="view__header">
        <h2>Phone</h2>
        <p className="muted">
          Dialling with <strong data-testid="active-profile">{profile?.name ?? '—'}</strong>
          {profile && <span className="mono small"> · {profile.trunkDomain}</span>}
        </p>
      </header>
      <div className="phone-layout">
        <section className="card phone-card">
          <NumberField
            value={number}
            classification={preDial?.number}
            onChange={(v) => void actions.setNumber(v)}
            onSubmit={() => void actions.dial()}
            onUseSuggestion={(e164) => void actions.setNumber(e164)}
          />
          <label className="field">
            <span className="field-label">Caller ID</span>
            <select
              data-testid="caller-id"
              value={otherCallerId ? OTHER_CALLER_ID : (callerId ?? '')}
              onChange={(e) => {
                const other = e.target.value === OTHER_CALLER_ID;
                setOtherCallerId(other);
                if (!other) void actions.setCallerId(e.target.value);
              }}
            >
              {(profile?.callerIds ?? []).map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
              {profile?.callerIds.length === 0 && <option value="">No caller IDs in this profile</option>}
              <option value={OTHER_CALLER_ID}>Another number…</option>
            </select>
          </label>
          {otherCallerId && (
            <label className="field">
              <span className="field-label">Caller ID to present (E.164)</span>
              <input
                data-testid="caller-id-other"
                className="mono"
                placeholder="+14155550123"
                onChange={(e) => void actions.setCallerId(e.target.value.trim())}
              />
            </label>
          )}
          <WarningList warnings={preDial?.warnings ?? []} />
          <DialPad onKey={(key) => void actions.pressKey(key)} />
          <div className="phone-actions">
            <button
              type="button"
              className="button button--call"
              data-testid="call-button"
              disabled={!canCall}
              title={softphone?.available === false ? softphone.message : undefined}
              onClick={() => void actions.dial()}
            >
              Call
            </button>
            <button
              type="button"
              className="button button--ghost"
              disabled={number === ''}
              onClick={() => void actions.backspace()}
              aria-label="Delete last digit"
            >
              ⌫
            </button>
          </div>
          {softphone?.available === false && (
            <p className="muted small" data-testid="call-unavailable">
              The softphone arrives with the user agent (<code>sip-core/src/ua</code>); until then you can
              check numbers and caller IDs here, and diagnose stored calls in Calls.
            </p>
          )}
          {dialError && (
            <p className="error-text" role="alert" data-testid="dial-error">
              {dialError.message}
            </p>
          )}
        </section>
        <aside className="phone-side">
          <UnavailableNotice
            title="In-call controls"
            availability={softphone}
            willDo="Once calls can be placed, this panel shows the call timer, codec and SRTP, DTMF keypad, hold, mute, transfer and level meters."
          />
          {softphone?.available === true && <InCallPanel />}
          <section className="card card--muted">
            <h3>Try these numbers on the emulator</h3>
            <ul className="plain-list small">
              <li>
                <span className="mono">+14155550111</span> — echo: answers and plays your voice back
              </li>
              <li>
                <span className="mono">+14155550113</span> — rings 5 s, then answers
              </li>
              <li>
                <span className="mono">+14155550140</span> — answers and sends DTMF 1234#
              </li>
            </ul>
            <p className="muted small">
              Pick a caller ID the profile does not own to see the pre-dial warning for 4190
              unknown_caller_id.
            </p>
          </section>
          <AudioSettingsPanel />
        </aside>
      </div>
    </div>
  );
}
