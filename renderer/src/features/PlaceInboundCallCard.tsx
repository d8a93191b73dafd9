import { useState } from 'react';
import type { ApiError } from '../../../electron/common/index.js';
import { useAppActions } from '../store/use-app-store.js';

/** The demo account's inbound DID (routed to the softphone's listener, electron/host/softphone-profile.ts). */
const DEMO_DID = '+14155550100';
const DEFAULT_CALLER = '+14155550199';

/**
 * "A PSTN caller dials your DID": the emulator routes the call by the DID's inbound trunk to its origination URI —
 * for the demo account, this app's softphone, so the Phone view rings. The command resolves once the call is
 * answered or failed.
 */
export function PlaceInboundCallCard() {
  const actions = useAppActions();
  const [to, setTo] = useState(DEMO_DID);
  const [from, setFrom] = useState(DEFAULT_CALLER);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();

  const place = async () => {
    setPending(true);
    setError(undefined);
    const failure = await actions.placeInboundCall(to.trim(), from.trim());
    setPending(false);
    setError(failure);
  };

  return (
    <section className="card" data-testid="place-inbound">
      <h3>Place an inbound call</h3>
      <p className="muted small">
        A caller dials one of the account&rsquo;s DIDs; the emulator sends the call to the DID&rsquo;s inbound
        trunk. The demo DID {DEMO_DID} rings this app&rsquo;s Phone view.
      </p>
      <div className="form-grid">
        <label className="field">
          <span className="field-label">To (DID)</span>
          <input
            data-testid="inbound-to"
            className="mono"
            value={to}
            onChange={(e) => setTo(e.target.value)}
          />
        </label>
        <label className="field">
          <span className="field-label">From (caller)</span>
          <input
            data-testid="inbound-from"
            className="mono"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
          />
        </label>
      </div>
      <button
        type="button"
        className="button"
        data-testid="place-inbound-button"
        disabled={pending || to.trim() === '' || from.trim() === ''}
        onClick={() => void place()}
      >
        {pending ? 'Ringing…' : 'Place inbound call'}
      </button>
      {error !== undefined && (
        <p className="error-text" role="alert" data-testid="place-inbound-error">
          {error.message}
        </p>
      )}
    </section>
  );
}
