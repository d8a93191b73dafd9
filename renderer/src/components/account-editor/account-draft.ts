// The account editor's model: the host's account document (Zentrunk's REST shape plus `settings` and
// `far_end`, electron/host/emulator-account-document.ts) as typed, immutable drafts, the inline checks the
// editor runs before the host sees anything, and the mapping of problems (the host's or ours) to fields. The
// paths are the host's: `numbers[2].number`, `ip_access_control_lists[0].ip_addresses[1]`, `settings.x`.

import type { ApiIssue, EmulatorAccountDocument } from '../../../../electron/common/index.js';

/** What the host sends in place of a stored password; sent back unchanged, it keeps that password. */
export const PASSWORD_MASK = '********';

type Extra = Readonly<Record<string, unknown>>;

export interface TrunkDraft extends Extra {
  readonly trunk_id: string;
  readonly name: string;
  readonly trunk_direction: 'inbound' | 'outbound';
  readonly secure: boolean;
  readonly ipacl_uuid: string | null;
  readonly credential_uuid: string | null;
  readonly primary_uri_uuid: string | null;
  readonly fallback_uri_uuid: string | null;
}
export interface CredentialDraft extends Extra {
  readonly credential_uuid: string;
  readonly name: string;
  readonly username: string;
  readonly password: string;
}
export interface AclDraft extends Extra {
  readonly ipacl_uuid: string;
  readonly name: string;
  readonly ip_addresses: readonly string[];
}
export interface UriDraft extends Extra {
  readonly uri_uuid: string;
  readonly name: string;
  readonly uri: string;
}
export interface NumberDraft extends Extra {
  readonly number: string;
  readonly alias: string;
  readonly app_id: string | null;
}
export interface ScenarioDraft extends Extra {
  readonly kind: 'answer' | 'reject' | 'no-answer';
  readonly afterMs?: number;
  readonly status?: number;
  readonly media?: Extra & { readonly kind: string };
}
export interface FarEndEntryDraft extends Extra {
  readonly number?: string;
  readonly prefix?: string;
  readonly name: string;
  readonly description: string;
  readonly scenario: ScenarioDraft;
}
export interface LimitsDraft extends Extra {
  readonly account_cps: number;
  readonly trunk_cps: Readonly<Record<string, number | null>>;
  readonly max_concurrent_calls: number | null;
}
export interface PermissionsDraft extends Extra {
  readonly geo: Extra & {
    readonly allowed_countries?: readonly string[];
    readonly barred_countries: readonly string[];
  };
  readonly premium_allow_list: readonly string[];
}
export interface FarEndDraft extends Extra {
  readonly builtInNumbers: boolean;
  readonly numbers: readonly FarEndEntryDraft[];
}

/** The whole editable account; keys the editor does not know (rates, auth_id…) ride along untouched. */
export interface AccountDraft extends Extra {
  readonly name: string;
  readonly trunks: readonly TrunkDraft[];
  readonly credentials: readonly CredentialDraft[];
  readonly ip_access_control_lists: readonly AclDraft[];
  readonly origination_uris: readonly UriDraft[];
  readonly numbers: readonly NumberDraft[];
  readonly limits: LimitsDraft;
  readonly permissions: PermissionsDraft;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly far_end: FarEndDraft;
}

const record = (value: unknown): Extra =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Extra) : {};
const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** A draft of the host's document, every collection present. */
export function toDraft(document: EmulatorAccountDocument): AccountDraft {
  const limits = record(document['limits']);
  const permissions = record(document['permissions']);
  const farEnd = record(document['far_end']);
  const rest = { ...document };
  delete rest['far_end_numbers'];
  return {
    ...rest,
    name: typeof document['name'] === 'string' ? document['name'] : '',
    trunks: list(document['trunks']),
    credentials: list(document['credentials']),
    ip_access_control_lists: list(document['ip_access_control_lists']),
    origination_uris: list(document['origination_uris']),
    numbers: list(document['numbers']),
    limits: {
      ...limits,
      account_cps: typeof limits['account_cps'] === 'number' ? limits['account_cps'] : 2,
      trunk_cps: record(limits['trunk_cps']) as Record<string, number | null>,
      max_concurrent_calls:
        typeof limits['max_concurrent_calls'] === 'number' ? limits['max_concurrent_calls'] : null,
    },
    permissions: {
      ...permissions,
      geo: { barred_countries: [], ...record(permissions['geo']) },
      premium_allow_list: list(permissions['premium_allow_list']),
    },
    settings: record(document['settings']),
    far_end: {
      ...farEnd,
      builtInNumbers: farEnd['builtInNumbers'] !== false,
      numbers: list(farEnd['numbers']),
    },
  };
}

/** The document to send to `emulator.saveAccount`. */
export function toDocument(draft: AccountDraft): EmulatorAccountDocument {
  return draft;
}

export function isDirty(draft: AccountDraft, original: AccountDraft): boolean {
  return JSON.stringify(draft) !== JSON.stringify(original);
}

/** The first problem at `path` or inside it (`trunks[0]` also finds `trunks[0].trunk_id`). */
export function problemAt(issues: readonly ApiIssue[], path: string): string | undefined {
  return issues.find((i) => i.path === path || i.path.startsWith(`${path}.`) || i.path.startsWith(`${path}[`))
    ?.message;
}

// Inline checks: the same rules as the host's schema, so most problems show while typing; the host's answer is
// still the authority and its problems replace these on save.
const E164 = /^\+[1-9]\d{6,14}$/;
const PREFIX = /^\+\d{1,15}$/;
const COUNTRY = /^[A-Z]{2}$/;
const TRUNK_ID = /^\d{6,20}$/;
const USERNAME = /^[A-Za-z0-9]{5,20}$/;
const PASSWORD = /^[A-Za-z0-9~!@#$%^&*()_+]{5,20}$/;
const PASSWORD_SPECIAL = /[~!@#$%^&*()_+]/;
const FAR_END_NAME = /^[a-z0-9][a-z0-9-]{0,47}$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/;

export function isE164(value: string): boolean {
  return E164.test(value);
}

/** An IPv4 or IPv6 address, optionally with a /prefix. */
export function isIpOrCidr(value: string): boolean {
  const [address = '', prefix, extra] = value.split('/');
  if (extra !== undefined) return false;
  const v4 = IPV4.test(address);
  const v6 = !v4 && /^[0-9a-fA-F:.]+$/.test(address) && address.includes(':') && isIpv6(address);
  if (!v4 && !v6) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (v4 ? 32 : 128);
}

function isIpv6(address: string): boolean {
  const halves = address.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  if (!groups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g) || IPV4.test(g))) return false;
  return halves.length === 2 ? groups.length < 8 : groups.length === 8;
}

/** An origination URI as Zentrunk takes it: `host[:port][;transport=udp|tcp|tls]`, optionally with `sip:`. */
export function isOriginationUri(value: string): boolean {
  const match = /^(?:sips?:)?(?:[^@\s;]+@)?(\[[^\]]+\]|[^:;\s]+)(?::(\d{1,5}))?((?:;[^;\s]+)*)$/i.exec(value);
  if (!match) return false;
  const [, host = '', port, params = ''] = match;
  if (!HOST.test(host)) return false;
  if (port !== undefined && Number(port) > 65_535) return false;
  const transport = /;transport=([^;]+)/i.exec(params)?.[1];
  return transport === undefined || ['udp', 'tcp', 'tls'].includes(transport.toLowerCase());
}

/** Every problem the editor can see without the host, with the host's paths. */
export function validateDraft(draft: AccountDraft): ApiIssue[] {
  const issues: ApiIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });
  draft.trunks.forEach((t, i) => {
    if (!TRUNK_ID.test(t.trunk_id)) add(`trunks[${i}].trunk_id`, 'a numeric trunk id, 6 to 20 digits');
    if (t.trunk_direction === 'outbound' && t.ipacl_uuid === null && t.credential_uuid === null)
      add(`trunks[${i}]`, 'an outbound trunk needs an IP ACL, credentials, or both');
    if (t.trunk_direction === 'inbound' && t.primary_uri_uuid === null)
      add(`trunks[${i}].primary_uri_uuid`, 'an inbound trunk needs a primary origination URI');
  });
  draft.credentials.forEach((c, i) => {
    if (!USERNAME.test(c.username)) add(`credentials[${i}].username`, '5 to 20 letters and digits');
    if (c.password !== PASSWORD_MASK && !(PASSWORD.test(c.password) && PASSWORD_SPECIAL.test(c.password)))
      add(
        `credentials[${i}].password`,
        '5 to 20 characters (letters, digits, ~!@#$%^&*()_+) with at least one special character',
      );
  });
  draft.ip_access_control_lists.forEach((acl, i) => {
    if (acl.ip_addresses.length === 0)
      add(`ip_access_control_lists[${i}].ip_addresses`, 'at least one address');
    acl.ip_addresses.forEach((address, j) => {
      if (!isIpOrCidr(address))
        add(`ip_access_control_lists[${i}].ip_addresses[${j}]`, `${address} is not an IP address or CIDR`);
    });
  });
  draft.origination_uris.forEach((u, i) => {
    if (!isOriginationUri(u.uri))
      add(`origination_uris[${i}].uri`, 'a URI such as pbx.example.com:5060;transport=udp');
  });
  draft.numbers.forEach((n, i) => {
    if (!isE164(n.number)) add(`numbers[${i}].number`, 'a phone number in E.164, for example +14155550100');
  });
  if (!(draft.limits.account_cps > 0)) add('limits.account_cps', 'a number of calls per second above 0');
  const geo = draft.permissions.geo;
  (geo.allowed_countries ?? []).forEach((c, i) => {
    if (!COUNTRY.test(c)) add(`permissions.geo.allowed_countries[${i}]`, `${c}: a country code such as US`);
  });
  geo.barred_countries.forEach((c, i) => {
    if (!COUNTRY.test(c)) add(`permissions.geo.barred_countries[${i}]`, `${c}: a country code such as US`);
  });
  draft.permissions.premium_allow_list.forEach((p, i) => {
    if (!PREFIX.test(p)) add(`permissions.premium_allow_list[${i}]`, `${p}: a number prefix such as +882`);
  });
  draft.far_end.numbers.forEach((e, i) => {
    const at = `far_end.numbers[${i}]`;
    if (e.number !== undefined && !isE164(e.number)) add(`${at}.number`, 'a phone number in E.164');
    if (e.prefix !== undefined && !PREFIX.test(e.prefix)) add(`${at}.prefix`, 'a number prefix such as +44');
    if (!FAR_END_NAME.test(e.name)) add(`${at}.name`, 'a short kebab-case name such as busy');
    const s = e.scenario;
    if (
      s.kind === 'reject' &&
      !(Number.isInteger(s.status) && (s.status ?? 0) >= 400 && (s.status ?? 0) <= 699)
    )
      add(`${at}.scenario.status`, 'a SIP status from 400 to 699');
    if (s.afterMs !== undefined && !(Number.isInteger(s.afterMs) && s.afterMs >= 0))
      add(`${at}.scenario.afterMs`, 'a delay in whole milliseconds, 0 or more');
  });
  return issues;
}

/** Splits a comma- or space-separated field into entries. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** A new id for an object the editor creates (ACL, credential list, URI), unique in the draft. */
export function newId(prefix: string, taken: readonly string[]): string {
  for (let n = 1; ; n += 1) {
    const id = `${prefix}-${n}`;
    if (!taken.includes(id)) return id;
  }
}

/** What every section of the editor receives. */
export interface SectionProps {
  readonly draft: AccountDraft;
  readonly issues: readonly ApiIssue[];
  readonly onChange: (draft: AccountDraft) => void;
}
