// Which trunk a request addresses. Zentrunk routes by the Request-URI host, `<trunk_id>.zt.plivo.com` (§4.1,
// §4.2 #2). Test tools and many PBX set-ups address the emulator by IP instead (SIPp's built-in scenarios always
// write `sip:<service>@<remote_ip>:<port>`), and a local emulator has no DNS name to give them. So a Request-URI
// whose host is an IP literal is read as addressed to the trunk the source identifies: the first enabled outbound
// trunk whose IP ACL contains the source address, preferring one whose secure setting matches the transport
// (docs/adr/0082). No such trunk: the IP stays, and the trunk lookup refuses it (404 + 4070) as Zentrunk would.

import { isIP } from 'node:net';
import {
  networkContains,
  parseIpAddress,
  type Account,
  type PolicyView,
  type SipTransport,
  type Trunk,
} from '../../policy/index.js';

export interface RequestTrunkHost {
  /** The host the policy looks the trunk up by. */
  readonly host: string;
  /** The IP literal the Request-URI had, when the host was chosen by the source's ACL. */
  readonly mappedFromIp?: string;
}

export function requestTrunkHost(
  host: string,
  sourceIp: string,
  transport: SipTransport,
  account: Account,
  view: PolicyView,
): RequestTrunkHost {
  const literal = host.startsWith('[') ? host.slice(1, -1) : host;
  if (isIP(literal) === 0) return { host };
  const source = parseIpAddress(sourceIp);
  if (source === undefined) return { host };
  const candidates = account.trunks.filter(
    (trunk) =>
      trunk.trunk_direction === 'outbound' &&
      trunk.trunk_status === 'enabled' &&
      (view.aclOf(trunk) ?? []).some((network) => networkContains(network, source)),
  );
  const wantSecure = transport === 'tls';
  const chosen: Trunk | undefined = candidates.find((trunk) => trunk.secure === wantSecure) ?? candidates[0];
  return chosen === undefined ? { host } : { host: view.trunkDomainOf(chosen), mappedFromIp: literal };
}
