// Errors of the transport layer. Each has a stable `code` a caller branches on (the integration layer falls back
// from a closed connection to the Via address, RFC 3261 §18.2.2) and a message that says what to do.

import { TrunklineError } from '../../common/errors.js';
import type { SipTransportProtocol } from './transport-types.js';
import { hostAndPort } from '../../common/host-port.js';

export type SipTransportErrorCode =
  | 'SIP_TRANSPORT_CLOSED'
  | 'SIP_NO_UDP_SOCKET'
  | 'SIP_CONNECTION_NOT_FOUND'
  | 'SIP_CONNECTION_LIMIT'
  | 'SIP_CONNECT_TIMEOUT'
  | 'SIP_CONNECT_FAILED'
  | 'SIP_RESOLVE_FAILED'
  | 'SIP_SEND_FAILED'
  | 'SIP_LISTEN_FAILED'
  | 'SIP_INVALID_DESTINATION'
  | 'SIP_TLS_CONFIG'
  | 'SIP_UDP_MESSAGE_TOO_LARGE'
  | 'SIP_TLS_VERIFICATION_FAILED';

export class SipTransportError extends TrunklineError {
  declare readonly code: SipTransportErrorCode;

  constructor(code: SipTransportErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

/**
 * A message too large for UDP. RFC 3261 §18.1.1 requires a congestion-controlled transport for requests larger
 * than the limit (1300 bytes when the path MTU is unknown): the caller should send it over TCP or TLS.
 */
export class SipUdpMessageTooLargeError extends SipTransportError {
  readonly sizeBytes: number;
  readonly limitBytes: number;

  constructor(sizeBytes: number, limitBytes: number) {
    super(
      'SIP_UDP_MESSAGE_TOO_LARGE',
      `The SIP message is ${sizeBytes} bytes, more than the UDP limit of ${limitBytes} bytes (RFC 3261 §18.1.1); ` +
        'send it over TCP or TLS, or raise udpMaxMessageBytes when the path MTU is known to be larger.',
    );
    this.sizeBytes = sizeBytes;
    this.limitBytes = limitBytes;
  }
}

/** Why a TLS peer's certificate was not accepted. */
export type TlsVerificationReason =
  'hostname-mismatch' | 'unknown-ca' | 'self-signed' | 'expired' | 'not-yet-valid' | 'revoked' | 'invalid';

const REASON_ADVICE: Record<TlsVerificationReason, string> = {
  'hostname-mismatch':
    'the certificate does not name this host; connect by a name the certificate lists, or set serverName',
  'unknown-ca':
    'the certificate was issued by a CA that is not trusted; add that CA (PEM) to the TLS client options',
  'self-signed':
    'the certificate is self-signed and not trusted; add it (or its CA) to the TLS client options',
  expired: 'the certificate has expired; the peer must renew it (or the local clock is wrong)',
  'not-yet-valid': 'the certificate is not valid yet; check the local clock or the certificate dates',
  revoked: 'the certificate has been revoked; the peer must replace it',
  invalid: 'the certificate is invalid',
};

/** A TLS peer certificate failed verification; `reason` names why, `verifyCode` is OpenSSL's/Node's code. */
export class SipTlsVerificationError extends SipTransportError {
  readonly reason: TlsVerificationReason;
  readonly verifyCode: string;

  constructor(
    reason: TlsVerificationReason,
    verifyCode: string,
    target: string,
    options?: { cause?: unknown },
  ) {
    super(
      'SIP_TLS_VERIFICATION_FAILED',
      `TLS certificate of ${target} failed verification (${reason}, ${verifyCode}): ${REASON_ADVICE[reason]}.`,
      options,
    );
    this.reason = reason;
    this.verifyCode = verifyCode;
  }
}

/** Formats `transport:host:port` for messages, with IPv6 addresses in brackets. */
export function describeTarget(transport: SipTransportProtocol, host: string, port: number): string {
  return `${transport}:${hostAndPort(host, port)}`;
}
