// The receiving side of RFC 3261 §18.2: stamping `received`/`rport` on the top Via of a request (§18.2.1,
// RFC 3581 §4) and deciding where its responses go (§18.2.2, RFC 3581 §4). Pure functions of the Via and the
// context the transport delivered the request with.

import type { Via } from '../message/index.js';
import type { ReceivedMessageContext, SipDestination, SocketAddress } from '../transport/index.js';
import { defaultPortFor } from './request-destination.js';

/**
 * RFC 3261 §18.2.1: add `received` when the sent-by host differs from the packet's source address. RFC 3581 §4:
 * when the client asked for `rport`, fill it with the source port and always add `received`.
 */
export function stampReceived(via: Via, remote: SocketAddress): void {
  if (via.rport === null) {
    via.rport = remote.port;
    via.received = remote.address;
    return;
  }
  if (bareHost(via.host) !== remote.address.toLowerCase()) via.received = remote.address;
}

/** Where a response goes: the connection (streams) and the address to fall back to, or to use on UDP. */
export interface ResponseRoute {
  /** Streams: the connection the request arrived on. */
  readonly connectionId?: string;
  /** UDP: the address; streams: the fallback when the connection has closed (a new connection is opened). */
  readonly destination: SipDestination;
}

/**
 * RFC 3261 §18.2.2 with RFC 3581 §4. Reliable transports: the request's connection, else a new connection to
 * `received` (or the sent-by host) and the sent-by port. UDP: `maddr` with the sent-by port; else `received`
 * with `rport`; else `received` (or the sent-by host) with the sent-by port; always from the socket the request
 * arrived on (symmetric signalling).
 */
export function responseRoute(via: Via, context: ReceivedMessageContext): ResponseRoute {
  const { transport } = context;
  const sentByPort = via.port ?? defaultPortFor(transport);
  if (transport !== 'udp') {
    const destination = { transport, host: sourceHost(via.received ?? via.host, context), port: sentByPort };
    return context.connectionId === undefined
      ? { destination }
      : { connectionId: context.connectionId, destination };
  }
  const maddr = via.maddr;
  if (maddr !== undefined) {
    return { destination: { transport, host: maddr, port: sentByPort, local: context.local } };
  }
  const rport = via.rport;
  return {
    destination: {
      transport,
      host: sourceHost(via.received ?? via.host, context),
      port: typeof rport === 'number' ? rport : sentByPort,
      local: context.local,
    },
  };
}

/**
 * `host`, as the transport's own string of the request's source address when it is that address (nearly always:
 * `received` is added only when the Via names another). A server transaction keeps its route for 64·T1, and a
 * copy of the address per transaction is one more string for the young-generation collector to copy and promote
 * (docs/adr/0178).
 */
function sourceHost(host: string, context: ReceivedMessageContext): string {
  return host === context.remote.address ? context.remote.address : host;
}

function bareHost(host: string): string {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare.toLowerCase();
}
