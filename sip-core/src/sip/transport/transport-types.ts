// The vocabulary shared by the transports, their owner and the trace: where bytes came from, where they go, and
// what a connection is. Plain data only, so that trace records and contexts can be stored and sent across
// process boundaries as they are.

/** The SIP transports of RFC 3261 §18 that Trunkline speaks (the Via transport token, lower case). */
export type SipTransportProtocol = 'udp' | 'tcp' | 'tls';

/** The stream transports: framed by Content-Length (RFC 3261 §18.3) and carried on connections. */
export type SipStreamProtocol = Exclude<SipTransportProtocol, 'udp'>;

/** A numeric IP address and port, as the socket sees it (never a host name). */
export interface SocketAddress {
  readonly address: string;
  readonly port: number;
}

/** Where to send a message when no connection is named: a transport, a host (name or IP) and a port. */
export interface SipDestination {
  readonly transport: SipTransportProtocol;
  /** A host name (resolved through the layer's resolver) or a numeric IPv4/IPv6 address. */
  readonly host: string;
  readonly port: number;
  /**
   * TLS only: the name to send as SNI and to verify the certificate against. Defaults to `host` when it is a
   * name; with a numeric host and no `serverName` the certificate must list that IP address.
   */
  readonly serverName?: string;
  /**
   * UDP only: the local address and port of the socket to send from, for symmetric signalling (RFC 3581 §4):
   * pass the `local` of the context a request arrived with, so that the response leaves from where the request
   * went. Without it the first UDP listener of the destination's address family is used.
   */
  readonly local?: SocketAddress;
}

/** Who opened a connection: the remote peer (`inbound`, accepted by a listener) or this layer (`outbound`). */
export type ConnectionDirection = 'inbound' | 'outbound';

/** The certificate a TLS peer presented, reduced to what diagnostics show. */
export interface PeerCertificateInfo {
  /** The subject distinguished name, e.g. `CN=sip.example.com, O=Example`. */
  readonly subject: string;
  readonly subjectCommonName?: string;
  readonly issuer: string;
  /** The subjectAltName entries as `DNS:name` / `IP Address:1.2.3.4`, in certificate order. */
  readonly subjectAltNames: readonly string[];
  /** Start and end of validity, in milliseconds since the Unix epoch. */
  readonly validFromMs: number;
  readonly validToMs: number;
  /** The SHA-256 fingerprint of the DER certificate, as colon-separated upper-case hex. */
  readonly fingerprintSha256: string;
  readonly serialNumber: string;
}

/** A connection as its owner and observers see it. */
export interface ConnectionInfo {
  readonly id: string;
  readonly transport: SipStreamProtocol;
  readonly direction: ConnectionDirection;
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  /**
   * TLS only: the SNI name. On an outbound connection the name we sent and verified; on an inbound one the
   * name the client asked for, if any.
   */
  readonly serverName?: string;
  /** TLS only: the certificate the peer presented (absent when an inbound client sent none). */
  readonly peerCertificate?: PeerCertificateInfo;
  /** The negotiated TLS version, e.g. `TLSv1.3`. */
  readonly tlsProtocol?: string;
}

/** Why a connection closed: a stable code to branch on and a sentence for people. */
export interface ConnectionCloseReason {
  readonly code:
    | 'local-close'
    | 'remote-closed'
    | 'socket-error'
    | 'idle-timeout'
    | 'framing-error'
    | 'incomplete-message-timeout'
    | 'keep-alive-timeout';
  readonly detail: string;
}

/**
 * Everything known about where a received message came from. The integration layer stamps Via `received` and
 * `rport` from `remote` (RFC 3261 §18.2.1, RFC 3581 §4), answers over `connectionId` on streams, and over the
 * UDP socket named by `local` (RFC 3261 §18.2.2).
 */
export interface ReceivedMessageContext {
  readonly transport: SipTransportProtocol;
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  /** Streams only: the connection the message arrived on. */
  readonly connectionId?: string;
  /** TLS only: the certificate of the peer at the other end of the connection. */
  readonly tlsPeerCertificate?: PeerCertificateInfo;
  /** TLS only: the SNI name on this connection (see `ConnectionInfo.serverName`). */
  readonly tlsServerName?: string;
}

/** What actually happened on a send: the socket addresses used and, on streams, the connection. */
export interface SendResult {
  readonly transport: SipTransportProtocol;
  readonly local: SocketAddress;
  readonly remote: SocketAddress;
  readonly connectionId?: string;
}

/** A bound listener (for UDP: the socket that both receives and sends). */
export interface ListenerInfo {
  readonly id: string;
  readonly transport: SipTransportProtocol;
  /** The address and the actual port (useful with port 0). */
  readonly local: SocketAddress;
}
