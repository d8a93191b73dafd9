import { useState } from 'react';
import type { ApiError } from '../../../electron/common/index.js';
import { ProfileForm } from '../components/ProfileForm.js';
import { selectFeature, selectInfo, selectProfiles, selectSettings } from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';

const selectSoftphone = selectFeature('softphone');

export function ProfilesView() {
  const profiles = useAppStore(selectProfiles);
  const settings = useAppStore(selectSettings);
  const info = useAppStore(selectInfo);
  const softphone = useAppStore(selectSoftphone);
  const actions = useAppActions();
  const [editing, setEditing] = useState(false);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<ApiError | undefined>(undefined);

  return (
    <div className="view" data-testid="profiles-view">
      <header className="view__header">
        <h2>Trunk profiles</h2>
        <p className="muted">
          Where the softphone sends its calls. The embedded emulator is always here and needs no account.
        </p>
        {!editing && (
          <button
            type="button"
            className="button button--primary"
            data-testid="add-profile"
            onClick={() => {
              setFormError(undefined);
              setEditing(true);
            }}
          >
            Add a Zentrunk profile
          </button>
        )}
      </header>
      {editing && (
        <ProfileForm
          issues={formError?.issues ?? []}
          message={formError?.message}
          busy={busy}
          onCancel={() => setEditing(false)}
          onSubmit={(input, password) => {
            setBusy(true);
            void actions.saveProfile(input, password).then((outcome) => {
              setBusy(false);
              if (outcome.ok) setEditing(false);
              setFormError(outcome.ok ? undefined : outcome.error);
            });
          }}
        />
      )}
      {info?.secretStorage === 'file' && (
        <p className="notice notice--warning small" data-testid="secret-storage-warning">
          Browser mode keeps SIP passwords in a file only your user can read ({info.dataDir}/secrets.json),
          not in the system keychain. The desktop app uses the keychain.
        </p>
      )}
      <div className="profile-grid">
        {profiles.map((p) => {
          const selected = p.id === settings?.selectedProfileId;
          return (
            <section key={p.id} className={`card profile${selected ? ' profile--selected' : ''}`}>
              <header className="profile__header">
                <h3>{p.name}</h3>
                <span className="badge">{p.kind === 'emulator' ? 'Emulator' : 'Zentrunk'}</span>
              </header>
              <dl className="facts">
                <dt>Trunk domain</dt>
                <dd className="mono">{p.trunkDomain}</dd>
                <dt>Sends to</dt>
                <dd className="mono">
                  {p.proxyHost}:{p.port} ({p.transport.toUpperCase()})
                </dd>
                <dt>SRTP · codecs</dt>
                <dd>
                  {p.srtp === 'mandatory' ? 'SRTP required' : 'plain RTP'} · {p.codecs.join(', ')}
                </dd>
                <dt>Authentication</dt>
                <dd>
                  {p.username
                    ? `${p.username} (${p.hasPassword ? 'password stored' : 'no password'})`
                    : 'IP ACL'}
                </dd>
                <dt>Caller IDs</dt>
                <dd className="mono small">{p.callerIds.join(', ') || '—'}</dd>
              </dl>
              <div className="profile__actions">
                <button
                  type="button"
                  className="button"
                  disabled={selected}
                  onClick={() => void actions.selectProfile(p.id)}
                >
                  {selected ? 'In use' : 'Use for calls'}
                </button>
                <button
                  type="button"
                  className="button button--ghost"
                  disabled
                  title={softphone?.available === false ? softphone.message : undefined}
                >
                  Test connection
                </button>
                {p.kind === 'zentrunk' && (
                  <button
                    type="button"
                    className="button button--ghost"
                    onClick={() => void actions.deleteProfile(p.id)}
                  >
                    Delete
                  </button>
                )}
              </div>
            </section>
          );
        })}
      </div>
      <p className="muted small">
        Adding a real Zentrunk profile from this window arrives with the profile editor; the host already
        stores and validates profiles (<code>profiles.save</code>).
      </p>
    </div>
  );
}
