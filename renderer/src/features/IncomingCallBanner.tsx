import { selectIncomingCalls } from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';

/** Ringing inbound calls, above whatever view is open: answer or decline. */
export function IncomingCallBanner() {
  const incoming = useAppStore(selectIncomingCalls);
  const actions = useAppActions();
  if (incoming.length === 0) return null;
  return (
    <div className="incoming-calls">
      {incoming.map((call) => (
        <section
          key={call.callId}
          className="incoming-call"
          role="alertdialog"
          aria-label={`Incoming call from ${call.remoteNumber}`}
          data-testid="incoming-call"
        >
          <div>
            <p className="incoming-call__title">Incoming call</p>
            <p className="mono">
              {call.remoteNumber}
              {call.callerId !== undefined && <span className="muted small"> → {call.callerId}</span>}
            </p>
          </div>
          <div className="incoming-call__actions">
            <button
              type="button"
              className="button button--call"
              data-testid="answer-button"
              title="Enter"
              onClick={() => {
                actions.navigate('phone');
                void actions.answer(call.callId);
              }}
            >
              Answer
            </button>
            <button
              type="button"
              className="button button--hangup"
              data-testid="decline-button"
              onClick={() => void actions.decline(call.callId)}
            >
              Decline
            </button>
          </div>
        </section>
      ))}
    </div>
  );
}
