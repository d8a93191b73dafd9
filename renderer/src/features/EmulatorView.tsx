import { useEffect, useMemo } from 'react';
import type { EmulatorAccountDocument, EmulatorRunState } from '../../../electron/common/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { selectAccountDraft, selectAccountMessage } from '../store/account-editor-selectors.js';
import { AccountEditor } from './AccountEditor.js';
import { InboundCallPanel } from './InboundCallPanel.js';
import {
  selectEmulatorAccount,
  selectEmulatorCa,
  selectEmulatorError,
  selectEmulatorEvents,
  selectEmulatorLiveCalls,
  selectEmulatorStatus,
} from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';

const STATE_LABEL: Record<EmulatorRunState, string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  failed: 'Failed to start',
};

const STATE_BADGE: Record<EmulatorRunState, string> = {
  stopped: 'badge',
  starting: 'badge badge--warning',
  running: 'badge badge--ok',
  stopping: 'badge badge--warning',
  failed: 'badge badge--error',
};

type Row = Readonly<Record<string, unknown>>;

function rows(account: EmulatorAccountDocument | undefined, key: string): readonly Row[] {
  const value = account?.[key];
  return Array.isArray(value) ? (value as Row[]) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : '';
}

function time(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

export function EmulatorView() {
  const status = useAppStore(selectEmulatorStatus);
  const account = useAppStore(selectEmulatorAccount);
  const liveCalls = useAppStore(selectEmulatorLiveCalls);
  const events = useAppStore(selectEmulatorEvents);
  const error = useAppStore(selectEmulatorError);
  const ca = useAppStore(selectEmulatorCa);
  const actions = useAppActions();
  const editing = useAppStore(selectAccountDraft) !== undefined;
  const accountMessage = useAppStore(selectAccountMessage);

  // The CA as a file the user saves; the object URL is released when the PEM changes or the view closes.
  const caHref = useMemo(
    () =>
      ca === undefined
        ? undefined
        : URL.createObjectURL(new Blob([ca.pem], { type: 'application/x-pem-file' })),
    [ca],
  );
  useEffect(() => () => void (caHref && URL.revokeObjectURL(caHref)), [caHref]);

  const startsOnOpen = useAppStore((s) => s.settings?.emulatorStartsOnOpen !== false);
  const state = status?.state ?? 'stopped';
  const running = state === 'running';
  const credentials = rows(account, 'credentials');
  const trunks = rows(account, 'trunks');
  const numbers = rows(account, 'numbers');
  const farEnd = rows(account, 'far_end_numbers');
  const newestFirst = [...events].reverse();

  return (
    <div className="view" data-testid="emulator-view">
      <header className="view__header view__header--row">
        <div>
          <h2>Emulator</h2>
          <p className="muted">
            A local Zentrunk: the same rules, SIP responses, hangup codes and CDRs, offline.
          </p>
        </div>
        <div className="header-actions">
          <label className="small">
            <input
              type="checkbox"
              data-testid="emulator-starts-on-open"
              checked={startsOnOpen}
              onChange={(e) => void actions.setEmulatorStartsOnOpen(e.target.checked)}
            />{' '}
            Start with the app
          </label>
          <span className={STATE_BADGE[state]} data-testid="emulator-state">
            {STATE_LABEL[state]}
          </span>
          {running ? (
            <button
              type="button"
              className="button"
              data-testid="emulator-stop"
              onClick={() => void actions.stopEmulator()}
            >
              Stop
            </button>
          ) : (
            <button
              type="button"
              className="button button--primary"
              data-testid="emulator-start"
              disabled={state === 'starting' || state === 'stopping'}
              onClick={() => void actions.startEmulator()}
            >
              Start
            </button>
          )}
        </div>
      </header>
      {error && <p className="error-text">{error.message}</p>}
      {status?.problem && (
        <p className="error-text" data-testid="emulator-problem">
          {status.problem}
        </p>
      )}

      <section className="card" data-testid="emulator-addresses">
        <h3>Listening on</h3>
        {status && status.listeners.length > 0 ? (
          <ul>
            {status.listeners.map((l) => (
              <li key={l.transport} data-testid={`emulator-listener-${l.transport}`}>
                <code>
                  {l.transport.toUpperCase()} {l.address}:{l.port}
                </code>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">
            {running ? 'No listener is up.' : 'Not listening: start the emulator to get its addresses.'}
          </p>
        )}
        <p className="small">
          Point your PBX at these (the ports are picked free at every start). For TLS, trust the
          emulator&apos;s CA:{' '}
          <button
            type="button"
            className="button"
            data-testid="emulator-export-ca"
            disabled={!running}
            onClick={() => void actions.exportEmulatorCa()}
          >
            Export CA
          </button>
          {ca && caHref && (
            <>
              {' '}
              <a href={caHref} download={ca.fileName} data-testid="emulator-ca-link">
                Save {ca.fileName}
              </a>
            </>
          )}
        </p>
      </section>

      <section className="card" data-testid="emulator-live-calls">
        <h3>Live calls {status ? `(${liveCalls.length})` : ''}</h3>
        {liveCalls.length === 0 ? (
          <p className="muted small">
            No call is up. Calls your PBX or the Phone view place here appear live.
          </p>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th>Started (UTC)</th>
                  <th>Direction</th>
                  <th>From</th>
                  <th>To</th>
                  <th>State</th>
                </tr>
              </thead>
              <tbody>
                {liveCalls.map((c) => (
                  <tr key={c.callUuid} data-testid="emulator-live-call">
                    <td>{time(c.startedAtMs)}</td>
                    <td>{c.direction}</td>
                    <td>{c.from}</td>
                    <td>{c.to}</td>
                    <td>{c.state}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card" data-testid="emulator-account">
        <div className="card__header">
          <h3>Account {text(account?.['name'])}</h3>
          {account !== undefined && !editing && (
            <button
              type="button"
              className="button"
              data-testid="account-edit"
              onClick={() => actions.editAccount()}
            >
              Edit account
            </button>
          )}
        </div>
        {accountMessage && (
          <p
            className={accountMessage.kind === 'ok' ? 'small account-message--ok' : 'error-text'}
            role="status"
            data-testid="account-message"
          >
            {accountMessage.text}
          </p>
        )}
        {editing ? (
          <AccountEditor />
        ) : account === undefined ? (
          <EmptyState title="No account loaded">
            The emulator loads its account when it starts: the demo account unless you run your own.
          </EmptyState>
        ) : (
          <>
            <h4>Trunks</h4>
            <ul>
              {trunks.map((t) => (
                <li key={text(t['trunk_id'])}>
                  {text(t['name'])}: <code>{text(t['trunk_id'])}</code> ({text(t['trunk_direction'])})
                </li>
              ))}
            </ul>
            <h4>Credentials</h4>
            {credentials.length === 0 ? (
              <p className="muted small">None: the trunks authenticate by IP.</p>
            ) : (
              <ul data-testid="emulator-credentials">
                {credentials.map((c) => (
                  <li key={text(c['credential_uuid'])}>
                    {text(c['name'])}: <code>{text(c['username'])}</code> / <code>{text(c['password'])}</code>
                  </li>
                ))}
              </ul>
            )}
            <h4>Numbers</h4>
            <ul>
              {numbers.map((n) => (
                <li key={text(n['number'])}>
                  <code>{text(n['number']).replace(/^\+?/, '+')}</code> {text(n['alias'])}
                </li>
              ))}
            </ul>
            <h4>Far-end numbers (the &quot;PSTN&quot;)</h4>
            <ul data-testid="emulator-far-end">
              {farEnd.map((f) => (
                <li key={text(f['number'])}>
                  <code>{text(f['number'])}</code> {text(f['name'])}: {text(f['description'])}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      <InboundCallPanel />

      <section className="card" data-testid="emulator-events">
        <h3>Events</h3>
        {newestFirst.length === 0 ? (
          <p className="muted small">
            Nothing yet. Policy decisions, OPTIONS warnings, CPS queueing, DTMF and CDRs appear here as they
            happen.
          </p>
        ) : (
          <ul className="small">
            {newestFirst.map((e, i) => (
              <li key={`${e.atMs}-${i}`} data-testid="emulator-event" data-kind={e.kind}>
                <code>{time(e.atMs)}</code> <strong>{e.kind}</strong> {e.message}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
