import { useState, type ReactNode } from 'react';
import type {
  ApiIssue,
  SignallingTransport,
  SrtpMode,
  TrunkProfileInput,
} from '../../../electron/common/index.js';

export interface ProfileFormProps {
  /** Problems the host found, each with its field (`trunkDomain`, `callerIds.1`…). */
  readonly issues: readonly ApiIssue[];
  readonly message: string | undefined;
  readonly busy: boolean;
  readonly onSubmit: (input: TrunkProfileInput, password: string) => void;
  readonly onCancel: () => void;
}

const DEFAULT_PORTS: Record<SignallingTransport, number> = { udp: 5060, tcp: 5060, tls: 5061 };

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A new Zentrunk profile: every field of the UA profile; the host validates and the problems show inline. */
export function ProfileForm({ issues, message, busy, onSubmit, onCancel }: ProfileFormProps) {
  const [draft, setDraft] = useState({
    name: '',
    trunkDomain: '',
    proxyHost: '',
    transport: 'tls' as SignallingTransport,
    port: '5061',
    srtp: 'mandatory' as SrtpMode,
    pcmu: true,
    pcma: true,
    username: '',
    password: '',
    callerIds: '',
    defaultCountry: '',
  });
  const problem = (field: string) =>
    issues.find((i) => i.path === field || i.path.startsWith(`${field}.`))?.message;
  const field = (name: string, label: string, input: ReactNode, help?: string) => (
    <label className="form-field">
      <span className="field-label">{label}</span>
      {input}
      {problem(name) !== undefined ? (
        <span className="form-field__problem" data-testid={`problem-${name}`}>
          {problem(name)}
        </span>
      ) : (
        help && <span className="muted small">{help}</span>
      )}
    </label>
  );
  const submit = () => {
    const codecs = [...(draft.pcmu ? (['PCMU'] as const) : []), ...(draft.pcma ? (['PCMA'] as const) : [])];
    const callerIds = splitList(draft.callerIds);
    onSubmit(
      {
        name: draft.name,
        trunkDomain: draft.trunkDomain.trim(),
        proxyHost: (draft.proxyHost || draft.trunkDomain).trim(),
        port: Number(draft.port),
        transport: draft.transport,
        srtp: draft.srtp,
        codecs,
        ...(draft.username.trim() !== '' ? { username: draft.username.trim() } : {}),
        callerIds,
        ...(draft.defaultCountry.trim() !== ''
          ? { defaultCountry: draft.defaultCountry.trim().toUpperCase() }
          : {}),
        knowledge: callerIds.length > 0 ? { ownedNumbers: callerIds } : {},
      },
      draft.password,
    );
  };
  return (
    <form
      className="card profile-form"
      data-testid="profile-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>New Zentrunk profile</h3>
      <div className="form-grid">
        {field(
          'name',
          'Name',
          <input
            data-testid="profile-name"
            value={draft.name}
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
          />,
        )}
        {field(
          'trunkDomain',
          'Trunk domain',
          <input
            data-testid="profile-trunk-domain"
            placeholder="21784177241578.zt.plivo.com"
            value={draft.trunkDomain}
            onChange={(e) => setDraft({ ...draft, trunkDomain: e.target.value })}
          />,
          'The termination domain from the Zentrunk console.',
        )}
        {field(
          'proxyHost',
          'Send to (optional)',
          <input
            placeholder="the trunk domain"
            value={draft.proxyHost}
            onChange={(e) => setDraft({ ...draft, proxyHost: e.target.value })}
          />,
        )}
        {field(
          'transport',
          'Transport',
          <select
            value={draft.transport}
            onChange={(e) => {
              const transport = e.target.value as SignallingTransport;
              setDraft({ ...draft, transport, port: String(DEFAULT_PORTS[transport]) });
            }}
          >
            <option value="tls">TLS</option>
            <option value="tcp">TCP</option>
            <option value="udp">UDP</option>
          </select>,
        )}
        {field(
          'port',
          'Port',
          <input
            inputMode="numeric"
            value={draft.port}
            onChange={(e) => setDraft({ ...draft, port: e.target.value })}
          />,
        )}
        {field(
          'srtp',
          'Media encryption',
          <select
            value={draft.srtp}
            onChange={(e) => setDraft({ ...draft, srtp: e.target.value as SrtpMode })}
          >
            <option value="mandatory">SRTP required (secure trunk)</option>
            <option value="off">Plain RTP</option>
          </select>,
        )}
        {field(
          'codecs',
          'Codecs',
          <span className="checks">
            <label>
              <input
                type="checkbox"
                checked={draft.pcmu}
                onChange={(e) => setDraft({ ...draft, pcmu: e.target.checked })}
              />{' '}
              PCMU
            </label>
            <label>
              <input
                type="checkbox"
                checked={draft.pcma}
                onChange={(e) => setDraft({ ...draft, pcma: e.target.checked })}
              />{' '}
              PCMA
            </label>
          </span>,
        )}
        {field(
          'username',
          'SIP user name',
          <input value={draft.username} onChange={(e) => setDraft({ ...draft, username: e.target.value })} />,
          'Empty for an IP-ACL trunk.',
        )}
        {field(
          'password',
          'SIP password',
          <input
            type="password"
            autoComplete="new-password"
            value={draft.password}
            onChange={(e) => setDraft({ ...draft, password: e.target.value })}
          />,
          'Kept by the host; never shown again.',
        )}
        {field(
          'callerIds',
          'Caller IDs (your Plivo numbers)',
          <input
            data-testid="profile-caller-ids"
            placeholder="+14155550101, +442079460000"
            value={draft.callerIds}
            onChange={(e) => setDraft({ ...draft, callerIds: e.target.value })}
          />,
          'E.164, separated by commas. The pre-dial check treats them as the numbers you own.',
        )}
        {field(
          'defaultCountry',
          'Home country (optional)',
          <input
            placeholder="US"
            maxLength={2}
            value={draft.defaultCountry}
            onChange={(e) => setDraft({ ...draft, defaultCountry: e.target.value })}
          />,
          'Used only to suggest the E.164 form of national numbers.',
        )}
      </div>
      {message && (
        <p className="error-text" data-testid="profile-form-error">
          {/* Field problems are shown next to their fields; the summary only says so. */}
          {issues.length > 0 ? 'Some fields need a fix: see the notes in red above.' : message}
        </p>
      )}
      <div className="profile__actions">
        <button type="submit" className="button button--primary" data-testid="profile-save" disabled={busy}>
          Save profile
        </button>
        <button type="button" className="button button--ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
