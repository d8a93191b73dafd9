// The §20 switches: every place where Zentrunk's documentation leaves a choice, with the emulator's default
// first (sip-core policy/settings/policy-settings.ts is the schema; the host validates against it). To add a
// switch, add a row to SWITCHES.

import { problemAt, type SectionProps } from './account-draft.js';
import { CheckField, NumericField, SelectField } from './editor-fields.js';

type Switch =
  | {
      readonly key: string;
      readonly label: string;
      readonly kind: 'choice';
      /** Values as the schema has them (numbers stay numbers); the first is the default. */
      readonly options: readonly { readonly value: string | number; readonly label: string }[];
    }
  | { readonly key: string; readonly label: string; readonly kind: 'flag'; readonly defaultValue: boolean }
  | {
      readonly key: string;
      readonly label: string;
      readonly kind: 'ms';
      readonly defaultValue: number;
      readonly nullable?: boolean;
    };

export const SWITCHES: readonly Switch[] = [
  {
    key: 'authChallenge',
    label: 'Digest challenge',
    kind: 'choice',
    options: [
      { value: '407', label: '407 Proxy-Authenticate' },
      { value: '401', label: '401 WWW-Authenticate' },
    ],
  },
  {
    key: 'aclAndCredentials',
    label: 'Trunk with IP ACL and credentials',
    kind: 'choice',
    options: [
      { value: 'either', label: 'Either suffices' },
      { value: 'both', label: 'Both required' },
    ],
  },
  {
    key: 'callerIdSource',
    label: 'Caller ID read from',
    kind: 'choice',
    options: [
      { value: 'pai-then-from', label: 'P-Asserted-Identity, else From' },
      { value: 'from-only', label: 'From only' },
    ],
  },
  {
    key: 'geoBlockCode',
    label: 'Geo block hangup code',
    kind: 'choice',
    options: [
      { value: 4560, label: '4560 (hangup table)' },
      { value: 4650, label: '4650 (geo permissions page)' },
    ],
  },
  {
    key: 'geoBlockCauseName',
    label: 'Geo block cause name',
    kind: 'choice',
    options: [
      { value: 'destination_country_barred', label: 'destination_country_barred' },
      { value: 'barred_country', label: 'barred_country' },
    ],
  },
  {
    key: 'premiumBlocking',
    label: 'Premium and high-risk destinations',
    kind: 'choice',
    options: [
      { value: 'block', label: 'Blocked' },
      { value: 'off', label: 'Not blocked' },
    ],
  },
  {
    key: 'noG711Response',
    label: 'Offer without PCMU/PCMA',
    kind: 'choice',
    options: [
      { value: '488', label: '488 (4620)' },
      { value: '415', label: '415 (4220)' },
    ],
  },
  {
    key: 'insecureTrunkResponse',
    label: 'TLS/SRTP to a non-secure trunk',
    kind: 'choice',
    options: [
      { value: '488', label: '488 (4110)' },
      { value: '403', label: '403 (4110)' },
    ],
  },
  {
    key: 'secureTrunkPlainRtp',
    label: 'Plain RTP to a secure trunk',
    kind: 'choice',
    options: [
      { value: 'reject', label: 'Reject 488 (4110)' },
      { value: 'accept-no-media', label: 'Accept, send no media' },
    ],
  },
  {
    key: 'unsupportedMethodStatus',
    label: 'Unsupported methods',
    kind: 'choice',
    options: [
      { value: 405, label: '405 with Allow' },
      { value: 501, label: '501' },
    ],
  },
  {
    key: 'allowHeader',
    label: 'Allow header',
    kind: 'choice',
    options: [
      { value: 'trunkline', label: "Trunkline's full list" },
      { value: 'plivo-traces', label: "Plivo's traces" },
    ],
  },
  {
    key: 'referCdrs',
    label: 'CDRs for a transfer',
    kind: 'choice',
    options: [
      { value: 'two-records', label: 'Two linked records' },
      { value: 'single-record', label: 'One record' },
    ],
  },
  {
    key: 'hangupCodeHeaders',
    label: 'X-ZT-Hangup-Code and Reason headers',
    kind: 'flag',
    defaultValue: true,
  },
  { key: 'digestSha256', label: 'Offer SHA-256 digest beside MD5', kind: 'flag', defaultValue: false },
  { key: 'ringTimeoutMs', label: 'Ring timeout before 480 (ms)', kind: 'ms', defaultValue: 60_000 },
  {
    key: 'rtpInactivityTimeoutMs',
    label: 'RTP inactivity before BYE (ms, empty: off)',
    kind: 'ms',
    defaultValue: 60_000,
    nullable: true,
  },
];

export function SwitchesSection({ draft, issues, onChange }: SectionProps) {
  const settings = draft.settings;
  const set = (key: string, value: unknown) =>
    onChange({ ...draft, settings: { ...settings, [key]: value } });
  return (
    <section className="editor-section" aria-labelledby="editor-switches" data-testid="editor-switches">
      <h4 id="editor-switches">Behaviour switches (§20)</h4>
      <p className="muted small">
        Where Zentrunk&apos;s documentation allows two readings; the first option is the default.
      </p>
      <div className="form-grid">
        {SWITCHES.filter((s) => s.kind !== 'flag').map((s) => {
          const problem = problemAt(issues, `settings.${s.key}`);
          if (s.kind === 'choice') {
            const stored = settings[s.key];
            const current =
              typeof stored === 'string' || typeof stored === 'number' ? stored : (s.options[0]?.value ?? '');
            return (
              <SelectField
                key={s.key}
                label={s.label}
                testId={`switch-${s.key}`}
                value={String(current)}
                options={s.options.map((o) => ({ value: String(o.value), label: o.label }))}
                problem={problem}
                onChange={(text) =>
                  set(s.key, s.options.find((o) => String(o.value) === text)?.value ?? text)
                }
              />
            );
          }
          const value = settings[s.key];
          return (
            <NumericField
              key={s.key}
              label={s.label}
              testId={`switch-${s.key}`}
              value={typeof value === 'number' ? value : value === null ? null : s.defaultValue}
              problem={problem}
              onChange={(ms) => set(s.key, ms ?? (s.kind === 'ms' && s.nullable ? null : s.defaultValue))}
            />
          );
        })}
      </div>
      {SWITCHES.map((s) =>
        s.kind === 'flag' ? (
          <CheckField
            key={s.key}
            label={s.label}
            testId={`switch-${s.key}`}
            checked={typeof settings[s.key] === 'boolean' ? (settings[s.key] as boolean) : s.defaultValue}
            onChange={(on) => set(s.key, on)}
          />
        ) : null,
      )}
    </section>
  );
}
