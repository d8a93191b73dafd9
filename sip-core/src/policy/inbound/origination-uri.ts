// Origination URIs are where Zentrunk sends inbound calls (BEHAVIOUR.md §1, §14.3): an IP or FQDN, an optional
// `:port`, an optional `;transport=udp|tcp|tls`, or a `sip:user@host` form. Without `;transport=` the emulator
// uses UDP (§2.3, §20: undocumented by Plivo, the RFC 3261 default; grade I).

import { parseIpAddress } from '../net/ip-address.js';

export type SignallingTransport = 'udp' | 'tcp' | 'tls';

export interface OriginationTarget {
  /** The user part of a `sip:user@host` URI, when given. */
  readonly user: string | undefined;
  /** Host name (lower case) or IP address (IPv6 without brackets). */
  readonly host: string;
  readonly hostKind: 'ipv4' | 'ipv6' | 'fqdn';
  /** The given port, else 5061 for TLS and 5060 otherwise (RFC 3261 §19.1.2). */
  readonly port: number;
  readonly portExplicit: boolean;
  readonly transport: SignallingTransport;
  /** False when the URI had no `;transport=` and the default (UDP) applied. */
  readonly transportExplicit: boolean;
}

export type OriginationUriResult =
  | { readonly ok: true; readonly target: OriginationTarget }
  | { readonly ok: false; readonly message: string };

const FQDN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

const fail = (message: string): OriginationUriResult => ({ ok: false, message });

/** Parses an origination URI string; the failure message says what a valid one looks like. */
export function parseOriginationUri(text: string): OriginationUriResult {
  let rest = text.trim();
  if (rest === '')
    return fail('an origination URI is required, for example pbx.example.com:5060;transport=udp');
  const scheme = /^(sips?):/i.exec(rest);
  if (scheme) rest = rest.slice(scheme[0].length);

  const [address = '', ...params] = rest.split(';');
  let transport: SignallingTransport | undefined = scheme?.[1]?.toLowerCase() === 'sips' ? 'tls' : undefined;
  for (const param of params) {
    const [name = '', value = ''] = param.split('=');
    if (name.trim().toLowerCase() !== 'transport') continue;
    const lower = value.trim().toLowerCase();
    if (lower !== 'udp' && lower !== 'tcp' && lower !== 'tls') {
      return fail(`transport “${value}” is not supported: use ;transport=udp, tcp or tls`);
    }
    transport = lower;
  }

  let hostPort = address;
  let user: string | undefined;
  const at = address.lastIndexOf('@');
  if (at >= 0) {
    if (!scheme)
      return fail('a URI with a user part needs the sip: scheme, for example sip:pbx@203.0.113.10');
    user = address.slice(0, at);
    hostPort = address.slice(at + 1);
    if (user === '') return fail('the user part before “@” is empty');
  }

  let host: string;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(hostPort);
  if (bracketed) {
    host = bracketed[1] ?? '';
    portText = bracketed[2];
  } else if ((hostPort.match(/:/g) ?? []).length > 1) {
    host = hostPort; // A bare IPv6 address: no port possible without brackets.
  } else {
    const colon = hostPort.indexOf(':');
    host = colon >= 0 ? hostPort.slice(0, colon) : hostPort;
    portText = colon >= 0 ? hostPort.slice(colon + 1) : undefined;
  }

  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
      return fail(`port “${portText}” is not a number from 1 to 65535`);
    }
    port = Number(portText);
  }

  const ip = parseIpAddress(host);
  let hostKind: OriginationTarget['hostKind'];
  if (ip) hostKind = ip.kind();
  else if (FQDN.test(host) && !/^[\d.]+$/.test(host)) hostKind = 'fqdn';
  else return fail(`“${host}” is neither an IP address nor a host name`);

  const chosen = transport ?? 'udp';
  return {
    ok: true,
    target: {
      user,
      host: ip ? ip.toString() : host.toLowerCase(),
      hostKind,
      port: port ?? (chosen === 'tls' ? 5061 : 5060),
      portExplicit: port !== undefined,
      transport: chosen,
      transportExplicit: transport !== undefined,
    },
  };
}
