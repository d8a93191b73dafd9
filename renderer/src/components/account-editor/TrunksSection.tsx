// Trunks: per trunk its name, id, direction and secure trunking (TLS + SRTP); outbound trunks authenticate by IP
// ACL, credentials or both (BEHAVIOUR.md §14.2) and have a CPS allocation; inbound trunks send calls to a
// primary and a fallback origination URI. The ACL, credential list and URIs are the account's own objects, linked
// by id as in Zentrunk's API; the editor creates them when a trunk needs one and shows when one is shared.

import {
  newId,
  problemAt,
  type AccountDraft,
  type AclDraft,
  type CredentialDraft,
  type SectionProps,
  type TrunkDraft,
  type UriDraft,
} from './account-draft.js';
import { CheckField, ListField, NumericField, SelectField, TextField } from './editor-fields.js';

type AuthMode = 'ip-acl' | 'credentials' | 'both';

const AUTH_OPTIONS: readonly { value: AuthMode; label: string }[] = [
  { value: 'ip-acl', label: 'IP access control list' },
  { value: 'credentials', label: 'Credentials (digest)' },
  { value: 'both', label: 'IP ACL and credentials' },
];

function authMode(trunk: TrunkDraft): AuthMode {
  if (trunk.ipacl_uuid !== null && trunk.credential_uuid !== null) return 'both';
  return trunk.credential_uuid !== null ? 'credentials' : 'ip-acl';
}

function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((existing, i) => (i === index ? item : existing));
}

/** What else names a trunk by its id (its CPS allocation, the numbers routed to it) follows a new id. */
function renamedTrunk(draft: AccountDraft, from: string, to: string): Partial<AccountDraft> {
  const trunkCps = { ...draft.limits.trunk_cps };
  if (from in trunkCps) {
    trunkCps[to] = trunkCps[from] ?? null;
    delete trunkCps[from];
  }
  return {
    limits: { ...draft.limits, trunk_cps: trunkCps },
    numbers: draft.numbers.map((n) => (n.app_id === from ? { ...n, app_id: to } : n)),
  };
}

export function TrunksSection({ draft, issues, onChange }: SectionProps) {
  const setTrunk = (index: number, trunk: TrunkDraft, rest: Partial<AccountDraft> = {}) =>
    onChange({ ...draft, ...rest, trunks: replaceAt(draft.trunks, index, trunk) });

  const addTrunk = (direction: 'inbound' | 'outbound') => {
    const taken = draft.trunks.map((t) => t.trunk_id);
    let id = direction === 'outbound' ? 10000000000101 : 20000000000101;
    while (taken.includes(String(id))) id += 1;
    const trunk: TrunkDraft = {
      trunk_id: String(id),
      name: direction === 'outbound' ? 'New outbound trunk' : 'New inbound trunk',
      trunk_direction: direction,
      secure: false,
      ipacl_uuid: null,
      credential_uuid: null,
      primary_uri_uuid: null,
      fallback_uri_uuid: null,
    };
    onChange({ ...draft, trunks: [...draft.trunks, trunk] });
  };

  const removeTrunk = (index: number) => {
    const trunk = draft.trunks[index];
    const trunkCps = { ...draft.limits.trunk_cps };
    if (trunk) delete trunkCps[trunk.trunk_id];
    onChange({
      ...draft,
      trunks: draft.trunks.filter((_, i) => i !== index),
      limits: { ...draft.limits, trunk_cps: trunkCps },
    });
  };

  return (
    <section className="editor-section" aria-labelledby="editor-trunks" data-testid="editor-trunks">
      <h4 id="editor-trunks">Trunks</h4>
      {draft.trunks.length === 0 && (
        <p className="muted small">No trunk: add an outbound trunk for your PBX to call out.</p>
      )}
      {draft.trunks.map((trunk, index) => (
        <TrunkCard
          key={index}
          index={index}
          trunk={trunk}
          draft={draft}
          issues={issues}
          onTrunk={(next, rest) => setTrunk(index, next, rest)}
          onRemove={() => removeTrunk(index)}
        />
      ))}
      <div className="editor-actions">
        <button
          type="button"
          className="button button--small"
          data-testid="editor-add-outbound-trunk"
          onClick={() => addTrunk('outbound')}
        >
          Add outbound trunk
        </button>
        <button
          type="button"
          className="button button--small"
          data-testid="editor-add-inbound-trunk"
          onClick={() => addTrunk('inbound')}
        >
          Add inbound trunk
        </button>
      </div>
    </section>
  );
}

interface TrunkCardProps {
  readonly index: number;
  readonly trunk: TrunkDraft;
  readonly draft: AccountDraft;
  readonly issues: SectionProps['issues'];
  readonly onTrunk: (trunk: TrunkDraft, rest?: Partial<AccountDraft>) => void;
  readonly onRemove: () => void;
}

function TrunkCard({ index, trunk, draft, issues, onTrunk, onRemove }: TrunkCardProps) {
  const at = `trunks[${index}]`;
  const test = `trunk-${index}`;
  const outbound = trunk.trunk_direction === 'outbound';
  const mode = authMode(trunk);
  const aclIndex = draft.ip_access_control_lists.findIndex((a) => a.ipacl_uuid === trunk.ipacl_uuid);
  const credentialIndex = draft.credentials.findIndex((c) => c.credential_uuid === trunk.credential_uuid);
  const sharing = (field: 'ipacl_uuid' | 'credential_uuid', id: string | null) =>
    draft.trunks.filter((t) => id !== null && t[field] === id).length;

  const setMode = (next: AuthMode) => {
    const rest: { -readonly [K in keyof AccountDraft]?: AccountDraft[K] } = {};
    let ipacl = next === 'credentials' ? null : trunk.ipacl_uuid;
    let credential = next === 'ip-acl' ? null : trunk.credential_uuid;
    if (ipacl === null && next !== 'credentials') {
      ipacl = newId(
        `acl-${trunk.trunk_id}`,
        draft.ip_access_control_lists.map((a) => a.ipacl_uuid),
      );
      const acl: AclDraft = { ipacl_uuid: ipacl, name: `${trunk.name} ACL`, ip_addresses: ['127.0.0.1/32'] };
      rest.ip_access_control_lists = [...draft.ip_access_control_lists, acl];
    }
    if (credential === null && next !== 'ip-acl') {
      credential = newId(
        `cred-${trunk.trunk_id}`,
        draft.credentials.map((c) => c.credential_uuid),
      );
      const list: CredentialDraft = {
        credential_uuid: credential,
        name: `${trunk.name} credentials`,
        username: '',
        password: '',
      };
      rest.credentials = [...draft.credentials, list];
    }
    onTrunk({ ...trunk, ipacl_uuid: ipacl, credential_uuid: credential }, rest);
  };

  const setAcl = (acl: AclDraft) =>
    onTrunk(trunk, { ip_access_control_lists: replaceAt(draft.ip_access_control_lists, aclIndex, acl) });
  const setCredential = (credential: CredentialDraft) =>
    onTrunk(trunk, { credentials: replaceAt(draft.credentials, credentialIndex, credential) });

  const setUri = (field: 'primary_uri_uuid' | 'fallback_uri_uuid', text: string) => {
    const id = trunk[field];
    const uriIndex = draft.origination_uris.findIndex((u) => u.uri_uuid === id);
    const existing = draft.origination_uris[uriIndex];
    if (text === '') {
      // An emptied fallback detaches it; the URI object stays only while another trunk uses it.
      const used = draft.trunks.some(
        (t, i) => i !== index && (t.primary_uri_uuid === id || t.fallback_uri_uuid === id),
      );
      onTrunk(
        { ...trunk, [field]: null },
        used || existing === undefined
          ? {}
          : { origination_uris: draft.origination_uris.filter((_, i) => i !== uriIndex) },
      );
      return;
    }
    if (existing !== undefined) {
      onTrunk(trunk, {
        origination_uris: replaceAt(draft.origination_uris, uriIndex, { ...existing, uri: text }),
      });
      return;
    }
    const kind = field === 'primary_uri_uuid' ? 'primary' : 'fallback';
    const uriId = newId(
      `uri-${trunk.trunk_id}-${kind}`,
      draft.origination_uris.map((u) => u.uri_uuid),
    );
    const uri: UriDraft = { uri_uuid: uriId, name: `${trunk.name} (${kind})`, uri: text };
    onTrunk({ ...trunk, [field]: uriId }, { origination_uris: [...draft.origination_uris, uri] });
  };
  const uriText = (id: string | null) => draft.origination_uris.find((u) => u.uri_uuid === id)?.uri ?? '';
  const uriProblem = (id: string | null) => {
    const i = draft.origination_uris.findIndex((u) => u.uri_uuid === id);
    return i < 0 ? undefined : problemAt(issues, `origination_uris[${i}]`);
  };

  const cps = draft.limits.trunk_cps[trunk.trunk_id];
  const setCps = (value: number | undefined | null) => {
    const trunkCps = { ...draft.limits.trunk_cps };
    if (value === undefined) delete trunkCps[trunk.trunk_id];
    else trunkCps[trunk.trunk_id] = value;
    onTrunk(trunk, { limits: { ...draft.limits, trunk_cps: trunkCps } });
  };

  const sharedNote = (count: number) =>
    count > 1 ? `Shared by ${count} trunks: a change applies to all of them. ` : '';
  const trunkProblem = issues.find((i) => i.path === at)?.message;

  return (
    <fieldset className="editor-card" data-testid={test}>
      <legend>
        {trunk.name || 'Unnamed trunk'} <code>{trunk.trunk_id}</code>
      </legend>
      {trunkProblem !== undefined && (
        <p className="form-field__problem" data-testid={`problem-${test}`}>
          {trunkProblem}
        </p>
      )}
      <div className="form-grid">
        <TextField
          label="Name"
          testId={`${test}-name`}
          value={trunk.name}
          problem={problemAt(issues, `${at}.name`)}
          onChange={(name) => onTrunk({ ...trunk, name })}
        />
        <TextField
          label="Trunk ID"
          testId={`${test}-id`}
          value={trunk.trunk_id}
          problem={problemAt(issues, `${at}.trunk_id`)}
          onChange={(trunkId) =>
            onTrunk({ ...trunk, trunk_id: trunkId }, renamedTrunk(draft, trunk.trunk_id, trunkId))
          }
        />
        <SelectField
          label="Direction"
          testId={`${test}-direction`}
          value={trunk.trunk_direction}
          options={[
            { value: 'outbound', label: 'Outbound (your PBX calls out)' },
            { value: 'inbound', label: 'Inbound (calls to your DIDs)' },
          ]}
          onChange={(direction) => onTrunk({ ...trunk, trunk_direction: direction })}
        />
      </div>
      <CheckField
        label="Secure trunking (TLS signalling and SRTP media)"
        testId={`${test}-secure`}
        checked={trunk.secure}
        onChange={(secure) => onTrunk({ ...trunk, secure })}
      />
      {outbound ? (
        <>
          <div className="form-grid">
            <SelectField
              label="Authentication"
              testId={`${test}-auth`}
              value={mode}
              options={AUTH_OPTIONS}
              onChange={setMode}
            />
            <NumericField
              label="Trunk CPS"
              testId={`${test}-cps`}
              value={cps}
              placeholder={cps === null ? 'account pool only' : '1 (default)'}
              problem={problemAt(issues, `limits.trunk_cps.${trunk.trunk_id}`)}
              onChange={(value) => setCps(value)}
            />
            <CheckField
              label="No allocation: draw on the account CPS only"
              testId={`${test}-cps-pool`}
              checked={cps === null}
              onChange={(pool) => setCps(pool ? null : undefined)}
            />
          </div>
          {mode !== 'credentials' && aclIndex >= 0 && (
            <ListField
              label="Allowed IP addresses (IP ACL)"
              testId={`${test}-acl`}
              multiline
              value={draft.ip_access_control_lists[aclIndex]?.ip_addresses ?? []}
              placeholder="203.0.113.10/32"
              help={`${sharedNote(sharing('ipacl_uuid', trunk.ipacl_uuid))}One address or CIDR per line.`}
              problem={problemAt(issues, `ip_access_control_lists[${aclIndex}]`)}
              onChange={(addresses) => {
                const acl = draft.ip_access_control_lists[aclIndex];
                if (acl) setAcl({ ...acl, ip_addresses: addresses });
              }}
            />
          )}
          {mode !== 'ip-acl' && credentialIndex >= 0 && (
            <div className="form-grid">
              <TextField
                label="Username"
                testId={`${test}-username`}
                value={draft.credentials[credentialIndex]?.username ?? ''}
                problem={problemAt(issues, `credentials[${credentialIndex}].username`)}
                onChange={(username) => {
                  const c = draft.credentials[credentialIndex];
                  if (c) setCredential({ ...c, username });
                }}
              />
              <TextField
                label="Password"
                type="password"
                testId={`${test}-password`}
                value={draft.credentials[credentialIndex]?.password ?? ''}
                help="Stored by the host; never shown again once saved."
                problem={problemAt(issues, `credentials[${credentialIndex}].password`)}
                onChange={(password) => {
                  const c = draft.credentials[credentialIndex];
                  if (c) setCredential({ ...c, password });
                }}
              />
            </div>
          )}
        </>
      ) : (
        <div className="form-grid">
          <TextField
            label="Primary origination URI"
            testId={`${test}-primary-uri`}
            value={uriText(trunk.primary_uri_uuid)}
            placeholder="pbx.example.com:5060;transport=udp"
            problem={problemAt(issues, `${at}.primary_uri_uuid`) ?? uriProblem(trunk.primary_uri_uuid)}
            onChange={(text) => setUri('primary_uri_uuid', text)}
          />
          <TextField
            label="Fallback origination URI"
            testId={`${test}-fallback-uri`}
            value={uriText(trunk.fallback_uri_uuid)}
            placeholder="optional"
            problem={uriProblem(trunk.fallback_uri_uuid)}
            onChange={(text) => setUri('fallback_uri_uuid', text)}
          />
        </div>
      )}
      <div className="editor-actions">
        <button
          type="button"
          className="button button--small button--ghost"
          data-testid={`${test}-remove`}
          onClick={onRemove}
        >
          Remove trunk
        </button>
      </div>
    </fieldset>
  );
}
