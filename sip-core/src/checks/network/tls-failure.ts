// Node's TLS and socket error codes, said in words a user can act on. The table is ours (not the transport's
// REASON_ADVICE) because a trunk tester speaks to someone configuring a trunk, not to a developer.

import type { CheckCause } from '../runner/check-definition.js';

export interface TlsFailureWords {
  readonly summary: string;
  readonly remedy: string;
}

interface Facts {
  readonly endpoint: string;
  readonly serverName: string;
  /** The certificate's names, when one was seen. */
  readonly names?: readonly string[];
  readonly validTo?: string;
}

const CA_REMEDY =
  "If this is Trunkline's emulator, pass its CA with --ca (the emulator exports it). A real Zentrunk certificate chains to a public CA: a self-signed or unknown one means something between you and Plivo answers on this port.";

export function describeTlsFailure(code: string, facts: Facts): TlsFailureWords {
  switch (code) {
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
    case 'HOSTNAME_MISMATCH':
    case 'IP_ADDRESS_MISMATCH':
      return {
        summary: `The certificate is for another host: it names ${facts.names?.join(', ') || 'no host names'}, not ${facts.serverName}.`,
        remedy:
          'Use the Termination SIP Domain exactly as Plivo shows it (<trunk_id>.zt.plivo.com); an SBC or proxy on the way must present a certificate for that name.',
      };
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return {
        summary: 'The certificate is self-signed and not trusted by this machine.',
        remedy: CA_REMEDY,
      };
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return {
        summary: 'The certificate was issued by a CA this machine does not trust.',
        remedy: CA_REMEDY,
      };
    case 'CERT_HAS_EXPIRED':
      return {
        summary: `The certificate expired${facts.validTo ? ` on ${facts.validTo}` : ''}.`,
        remedy: "The server must renew its certificate (or this machine's clock is wrong: check it).",
      };
    case 'CERT_NOT_YET_VALID':
      return {
        summary: 'The certificate is not valid yet.',
        remedy: "Check this machine's clock, then the certificate's dates.",
      };
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_NO_PROTOCOLS_AVAILABLE':
      return {
        summary: `${facts.endpoint} does not offer TLS 1.2 or 1.3 (Zentrunk supports both, BEHAVIOUR.md §2.1).`,
        remedy:
          'Something older than Zentrunk answers on this port (an SBC or proxy?): enable TLS 1.2 or later on it, or connect to the trunk domain directly.',
      };
    case 'ECONNREFUSED':
      return {
        summary: `Nothing accepts connections on ${facts.endpoint}.`,
        remedy:
          'Check the port (Zentrunk uses 5061 for TLS) and that this network allows outbound TCP to it.',
      };
    case 'ETIMEDOUT':
    case 'CHECKS_CONNECT_TIMEOUT':
      return {
        summary: `${facts.endpoint} did not complete a TLS handshake in time.`,
        remedy: "A firewall may drop TCP 5061 on the way: allow outbound TCP 5061 to Zentrunk's networks.",
      };
    case 'ECONNRESET':
    case 'EPIPE':
      return {
        summary: `${facts.endpoint} closed the connection during the handshake.`,
        remedy: 'The server refused the handshake: check that it speaks TLS on this port (not plain SIP).',
      };
    case 'ENOTFOUND':
    case 'ENODATA':
      return {
        summary: `${facts.serverName} does not resolve.`,
        remedy: 'See the DNS check; copy the Termination SIP Domain from the Plivo console.',
      };
    default:
      return {
        summary: `The TLS connection to ${facts.endpoint} failed (${code}).`,
        remedy: 'Check the address, the port and the certificate the server presents.',
      };
  }
}

export function tlsCause(code: string, words: TlsFailureWords): CheckCause {
  return { summary: words.summary, errorCode: code };
}
