// URI equality, RFC 3261 §19.1.4 for SIP and SIPS, RFC 3966 §4 for tel. Used to match Request-URIs, Route
// entries and registrar bindings; not the same as comparing text (`sip:%61lice@AtLanTa.CoM;Transport=tcp`
// equals `sip:alice@atlanta.com;transport=TCP`).

import type { ReadonlyParams } from './generic-params.js';
import { canonicalIpv6 } from './ip-address.js';
import { canonicalEscapes } from './percent-encoding.js';
import { CharClass } from './sip-lexer.js';
import type { SipUri } from './sip-uri.js';
import type { TelUri } from './tel-uri.js';
import type { Uri } from './uri.js';

// A parameter that, when present in only one of the URIs, makes them differ (§19.1.4, "URI parameters").
const PARAMS_THAT_MUST_MATCH = ['user', 'ttl', 'method', 'maddr', 'transport'];

export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.kind === 'sip' && b.kind === 'sip') return sipUriEquals(a, b);
  if (a.kind === 'tel' && b.kind === 'tel') return telUriEquals(a, b);
  if (a.kind === 'absolute' && b.kind === 'absolute') return a.scheme === b.scheme && a.opaque === b.opaque;
  return false;
}

function sipUriEquals(a: SipUri, b: SipUri): boolean {
  // A SIP and a SIPS URI are never equivalent.
  if (a.scheme !== b.scheme) return false;
  // The userinfo compares case-sensitively, with escapes of unreserved characters decoded.
  if (!sameEscaped(a.rawUser, b.rawUser) || !sameEscaped(a.rawPassword, b.rawPassword)) return false;
  if (canonicalHost(a.host) !== canonicalHost(b.host)) return false;
  // A URI without a port does not match one with the default port written out.
  if (a.port !== b.port) return false;
  if (!paramsMatch(a.params, b.params)) return false;
  return headersMatch(a.headers, b.headers);
}

function sameEscaped(x: string | undefined, y: string | undefined): boolean {
  if (x === undefined || y === undefined) return x === y;
  return canonicalEscapes(x, CharClass.UNRESERVED) === canonicalEscapes(y, CharClass.UNRESERVED);
}

function canonicalHost(host: string): string {
  if (host.startsWith('[')) return canonicalIpv6(host) ?? host.toLowerCase();
  return host.toLowerCase();
}

function lowerValue(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' ? value.toLowerCase() : value;
}

function paramsMatch(a: ReadonlyParams, b: ReadonlyParams): boolean {
  for (const name of PARAMS_THAT_MUST_MATCH) {
    if (lowerValue(a.get(name)) !== lowerValue(b.get(name))) return false;
  }
  // Any other parameter present in both must have the same value; one present in only one URI is ignored.
  for (const [name, value] of a) {
    const other = b.get(name);
    if (other !== undefined && lowerValue(other) !== lowerValue(value)) return false;
  }
  return true;
}

function headersMatch(
  a: ReadonlyArray<readonly [string, string]>,
  b: ReadonlyArray<readonly [string, string]>,
): boolean {
  // Every header present in one URI must be present in the other with the same value.
  if (a.length !== b.length) return false;
  const key = ([name, value]: readonly [string, string]): string => `${name.toLowerCase()}\u0000${value}`;
  const bKeys = b.map(key).sort();
  return a
    .map(key)
    .sort()
    .every((k, i) => k === bKeys[i]);
}

function telUriEquals(a: TelUri, b: TelUri): boolean {
  if (a.digits.toLowerCase() !== b.digits.toLowerCase()) return false;
  // RFC 3966 §4: the same parameters in any order, names and values compared case-insensitively.
  if (a.params.size !== b.params.size) return false;
  for (const [name, value] of a.params) {
    if (!b.params.has(name) || lowerValue(b.params.get(name)) !== lowerValue(value)) return false;
  }
  return true;
}
