// "Place an inbound call to my PBX": the emulator plays a PSTN caller dialling one of the account's DIDs and
// sends the call to the DID's inbound trunk (primary origination URI, then the fallback). The host answers with
// the call's id at once; the progress shown here is the emulator's events for that id, live.

import { useMemo, useState } from 'react';
import type { EmulatorEvent } from '../../../electron/common/index.js';
import { isE164 } from '../components/account-editor/account-draft.js';
import {
  inboundProgressOf,
  selectInboundCall,
  selectInboundError,
} from '../store/account-editor-selectors.js';
import { selectEmulatorAccount, selectEmulatorEvents, selectEmulatorStatus } from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';

/** The caller a new user sees first: a number in the demo's fictional range that the account does not own. */
const DEFAULT_CALLER = '+14155550199';

/** One line per event, in the words of the Emulator view. */
export function describeInboundEvent(event: EmulatorEvent): string | undefined {
  const d = event.detail ?? {};
  if (event.kind === 'inbound_call') {
    switch (String(d['stage'])) {
      case 'attempt':
        return `Ringing your PBX (${String(d['leg'])} URI)…`;
      case 'failover':
        return `Failed over to the fallback URI${d['sipStatus'] ? ` after ${String(d['sipStatus'])} from the primary` : ''}`;
      case 'answered':
        return `Answered by your PBX (${String(d['leg'])} URI)`;
      case 'failed':
        return d['causeName']
          ? `Failed: ${String(d['causeName'])} (${String(d['causeCode'])})${d['sipStatus'] ? `, SIP ${String(d['sipStatus'])}` : ''}`
          : `Failed: ${event.message}`;
      default:
        return undefined;
    }
  }
  if (event.kind === 'call_state' && d['state'] === 'ringing')
    return `Your PBX is ringing${d['sipStatus'] ? ` (${String(d['sipStatus'])})` : ''}`;
  if (event.kind === 'call_state' && d['state'] === 'ended') return 'Call ended';
  return undefined;
}

function toneOf(line: string): string {
  if (line.startsWith('Failed:')) return 'badge badge--error';
  if (line.startsWith('Answered')) return 'badge badge--ok';
  if (line === 'Call ended') return 'badge';
  return 'badge badge--warning';
}

export function InboundCallPanel() {
  const account = useAppStore(selectEmulatorAccount);
  const running = useAppStore((s) => selectEmulatorStatus(s)?.state === 'running');
  const call = useAppStore(selectInboundCall);
  const error = useAppStore(selectInboundError);
  const events = useAppStore(selectEmulatorEvents);
  const progress = useMemo(() => inboundProgressOf(call, events), [call, events]);
  const actions = useAppActions();
  const numbers = Array.isArray(account?.['numbers'])
    ? (account['numbers'] as Record<string, unknown>[])
    : [];
  const dids = numbers.filter((n) => typeof n['app_id'] === 'string').map((n) => String(n['number']));
  const farEnd = Array.isArray(account?.['far_end_numbers'])
    ? (account['far_end_numbers'] as Record<string, unknown>[]).map((f) => String(f['number']))
    : [];
  const [did, setDid] = useState<string | undefined>(undefined);
  const [caller, setCaller] = useState(DEFAULT_CALLER);
  const to = did ?? dids[0] ?? '';
  const callerProblem =
    caller === '' || isE164(caller) ? undefined : 'a number in E.164, such as +14155550199';
  const lines = progress.map(describeInboundEvent).filter((l): l is string => l !== undefined);
  const latest = lines.at(-1);

  return (
    <section className="card" data-testid="inbound-call" aria-labelledby="inbound-call-title">
      <h3 id="inbound-call-title">Place an inbound call to my PBX</h3>
      {dids.length === 0 ? (
        <p className="muted small">
          The account has no DID: route one of its numbers to an inbound trunk in the account editor.
        </p>
      ) : (
        <form
          className="inbound-call__form"
          onSubmit={(e) => {
            e.preventDefault();
            if (callerProblem === undefined && caller !== '') void actions.placeInboundCall(to, caller);
          }}
        >
          <div className="form-field">
            <label className="field-label" htmlFor="inbound-did">
              DID (called number)
            </label>
            <select
              id="inbound-did"
              data-testid="inbound-did"
              value={to}
              onChange={(e) => setDid(e.target.value)}
            >
              {dids.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </div>
          <div className="form-field">
            <label className="field-label" htmlFor="inbound-caller">
              Caller ID (the PSTN caller)
            </label>
            <input
              id="inbound-caller"
              data-testid="inbound-caller"
              list="inbound-caller-numbers"
              value={caller}
              aria-invalid={callerProblem !== undefined}
              aria-describedby={callerProblem !== undefined ? 'inbound-caller-problem' : undefined}
              onChange={(e) => setCaller(e.target.value.trim())}
            />
            <datalist id="inbound-caller-numbers">
              {[
                DEFAULT_CALLER,
                ...farEnd.filter((n) => isE164(n)),
                ...numbers.map((n) => String(n['number'])),
              ].map((n, i) => (
                <option key={`${n}-${i}`} value={n} />
              ))}
            </datalist>
            {callerProblem !== undefined && (
              <span id="inbound-caller-problem" className="form-field__problem">
                {callerProblem}
              </span>
            )}
          </div>
          <button
            type="submit"
            className="button button--primary"
            data-testid="inbound-place"
            disabled={!running || caller === '' || callerProblem !== undefined}
          >
            Place call
          </button>
        </form>
      )}
      {error && <p className="error-text">{error.message}</p>}
      {call !== undefined && (
        <div className="inbound-call__progress" aria-live="polite" data-testid="inbound-progress">
          <p className="small">
            {call.from} → {call.to}:{' '}
            <span className={toneOf(latest ?? '')} data-testid="inbound-state">
              {latest ?? 'Placing…'}
            </span>
          </p>
          <ol className="small">
            {lines.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
