// Where an outgoing request goes: RFC 3261 §8.1.2 picks the URI (the first Route when it is a loose router,
// else the Request-URI), and a small part of RFC 3263 §4 turns that URI into a transport, host and port.
//
// What is done: the `transport` URI parameter; `sips` → TLS; `maddr` overrides the host; the default ports 5060
// (UDP/TCP) and 5061 (TLS); A/AAAA lookup of a host name through the transport layer's resolver when the message
// is sent. What is not done: NAPTR and SRV lookups (RFC 3263 §4.1, §4.2), failover between several addresses,
// and the switch to TCP for requests above the UDP size limit (RFC 3261 §18.1.1; the transport refuses them with
// `SIP_UDP_MESSAGE_TOO_LARGE`, which the TU sees as a transport error).

import type { SipRequest, Uri } from '../message/index.js';
import type { SipDestination, SipTransportProtocol } from '../transport/index.js';
import { SipStackError } from './sip-stack-error.js';

export const DEFAULT_SIP_PORT = 5060;
export const DEFAULT_SIPS_PORT = 5061;

/** The URI a request is sent towards (RFC 3261 §8.1.2, §12.2.1.1 for strict routers). */
export function requestTargetUri(request: SipRequest): Uri {
  const route = request.routes[0];
  if (route !== undefined && route.uri.kind === 'sip' && route.uri.lr) return route.uri;
  return request.requestUri;
}

/** The transport, host and port for a SIP or SIPS URI (RFC 3263 §4.1, §4.2 without DNS records). */
export function destinationForUri(uri: Uri): SipDestination {
  if (uri.kind !== 'sip') {
    throw new SipStackError(
      'SIP_STACK_UNROUTABLE',
      `A request to a ${uri.kind === 'tel' ? 'tel' : 'non-SIP'} URI needs an explicit destination (a proxy or trunk).`,
    );
  }
  const transport = transportFor(uri.scheme, uri.transport);
  const host = uri.maddr ?? uri.host;
  const port = uri.port ?? defaultPortFor(transport);
  return { transport, host, port };
}

export function defaultPortFor(transport: SipTransportProtocol): number {
  return transport === 'tls' ? DEFAULT_SIPS_PORT : DEFAULT_SIP_PORT;
}

function transportFor(scheme: 'sip' | 'sips', param: string | undefined): SipTransportProtocol {
  const wanted = param?.toLowerCase();
  // RFC 3261 §26.2.2: a SIPS URI is carried over TLS whatever the transport parameter says (tcp means TLS).
  if (scheme === 'sips') return 'tls';
  if (wanted === 'tcp') return 'tcp';
  if (wanted === 'tls') return 'tls';
  // RFC 3263 §4.1: without NAPTR/SRV records and without a transport parameter, a sip URI uses UDP. Unknown
  // transports (sctp, ws) are not spoken here; UDP is the best guess that can still succeed.
  return 'udp';
}
