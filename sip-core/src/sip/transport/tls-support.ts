// TLS settings in one place: the minimum version, how trust is built (the emulator's CA added to Node's roots),
// how a peer certificate is described, and how Node's verification errors become a typed reason.

import type { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import tls from 'node:tls';
import {
  SipTlsVerificationError,
  SipTransportError,
  type TlsVerificationReason,
} from './transport-errors.js';
import type { PeerCertificateInfo } from './transport-types.js';

/**
 * TLS 1.2 is the floor: RFC 8996 deprecates 1.0 and 1.1, and Zentrunk offers 1.2 and 1.3 (BEHAVIOUR.md §2).
 */
export const TLS_MIN_VERSION = 'TLSv1.2';

/** How this side checks the certificates servers present, and which certificate it presents itself. */
export interface TlsClientOptions {
  /** Extra trusted CA certificates (PEM), e.g. the emulator's own CA. Added to Node's bundled roots. */
  readonly ca?: string | readonly string[];
  /** When true, trust only `ca`, not Node's bundled roots. */
  readonly replaceDefaultCa?: boolean;
  /** Certificate verification; on unless explicitly turned off (then hostnames are not checked either). */
  readonly rejectUnauthorized?: boolean;
  /** A client certificate and key (PEM) for servers that ask for one. */
  readonly cert?: string;
  readonly key?: string;
}

/** What a TLS listener presents and what it asks of clients. */
export interface TlsServerOptions {
  /** The server certificate chain (PEM), leaf first. */
  readonly cert: string;
  /** The server private key (PEM). Never logged or shown. */
  readonly key: string;
  /** CA certificates (PEM) that client certificates must chain to, when `requestClientCertificate` is set. */
  readonly ca?: string | readonly string[];
  /** Ask clients for a certificate (mutual TLS). */
  readonly requestClientCertificate?: boolean;
  /** With `requestClientCertificate`: refuse clients without a valid certificate. Default false: record only. */
  readonly requireClientCertificate?: boolean;
}

function toList(ca: string | readonly string[] | undefined): string[] {
  if (ca === undefined) return [];
  return typeof ca === 'string' ? [ca] : [...ca];
}

/**
 * Builds the client context once per layer: parsing ~150 root certificates costs milliseconds, too much for every
 * connection. Node replaces its roots when `ca` is given, so the roots are passed explicitly to add rather than
 * replace.
 */
export function createClientSecureContext(options: TlsClientOptions = {}): tls.SecureContext {
  const extra = toList(options.ca);
  const ca = options.replaceDefaultCa
    ? extra
    : extra.length > 0
      ? [...tls.rootCertificates, ...extra]
      : undefined;
  try {
    return tls.createSecureContext({
      minVersion: TLS_MIN_VERSION,
      ...(ca ? { ca } : {}),
      ...(options.cert !== undefined ? { cert: options.cert } : {}),
      ...(options.key !== undefined ? { key: options.key } : {}),
    });
  } catch (error) {
    // Node's message can quote PEM fragments; keep only its code.
    throw new SipTransportError(
      'SIP_TLS_CONFIG',
      `The TLS client configuration is not usable (${errorCode(error)}): check the CA, certificate and key PEM.`,
    );
  }
}

/** Options for `tls.createServer`, with the TLS floor. */
export function serverTlsOptions(options: TlsServerOptions): tls.TlsOptions {
  const ca = toList(options.ca);
  const request = options.requestClientCertificate === true;
  try {
    // Validate the PEM now, so that a bad key fails `listen()` with a clear error instead of every handshake.
    tls.createSecureContext({ cert: options.cert, key: options.key, ...(ca.length > 0 ? { ca } : {}) });
  } catch (error) {
    throw new SipTransportError(
      'SIP_TLS_CONFIG',
      `The TLS server certificate or key is not usable (${errorCode(error)}): check that both are PEM and belong together.`,
    );
  }
  return {
    minVersion: TLS_MIN_VERSION,
    cert: options.cert,
    key: options.key,
    ...(ca.length > 0 ? { ca } : {}),
    requestCert: request,
    rejectUnauthorized: request && options.requireClientCertificate === true,
  };
}

/** The SNI name for a destination: the explicit one, else the host when it is a name (RFC 6066 §3: no IPs). */
export function serverNameFor(host: string, serverName: string | undefined): string | undefined {
  if (serverName !== undefined) return serverName;
  return isIP(host) === 0 ? host : undefined;
}

/** Describes the certificate of a connected TLS socket, or undefined when the peer sent none. */
export function describePeerCertificate(socket: tls.TLSSocket): PeerCertificateInfo | undefined {
  const x509 = socket.getPeerX509Certificate();
  if (x509 === undefined) return undefined;
  return describeCertificate(x509);
}

export function describeCertificate(x509: X509Certificate): PeerCertificateInfo {
  const subject = distinguishedName(x509.subject);
  const commonName = /(?:^|\n)CN=([^\n]*)/.exec(x509.subject)?.[1];
  return {
    subject,
    ...(commonName !== undefined ? { subjectCommonName: commonName } : {}),
    issuer: distinguishedName(x509.issuer),
    subjectAltNames: x509.subjectAltName?.split(', ').filter((name) => name.length > 0) ?? [],
    validFromMs: Date.parse(x509.validFrom),
    validToMs: Date.parse(x509.validTo),
    fingerprintSha256: x509.fingerprint256,
    serialNumber: x509.serialNumber,
  };
}

/** Node writes one attribute per line; diagnostics show the familiar comma-separated form. */
function distinguishedName(lines: string): string {
  return lines
    .split('\n')
    .filter((line) => line.length > 0)
    .join(', ');
}

const VERIFY_REASONS: Record<string, TlsVerificationReason> = {
  ERR_TLS_CERT_ALTNAME_INVALID: 'hostname-mismatch',
  HOSTNAME_MISMATCH: 'hostname-mismatch',
  IP_ADDRESS_MISMATCH: 'hostname-mismatch',
  UNABLE_TO_GET_ISSUER_CERT: 'unknown-ca',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'unknown-ca',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'unknown-ca',
  SELF_SIGNED_CERT_IN_CHAIN: 'unknown-ca',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'self-signed',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  CERT_REVOKED: 'revoked',
};

/** Maps an error from a TLS connect to a `SipTlsVerificationError` when it is about the peer's certificate. */
export function toVerificationError(error: unknown, target: string): SipTlsVerificationError | undefined {
  const code = errorCode(error);
  const reason = VERIFY_REASONS[code];
  if (reason !== undefined) return new SipTlsVerificationError(reason, code, target, { cause: error });
  if (/^(CERT_|ERR_TLS_CERT)/.test(code))
    return new SipTlsVerificationError('invalid', code, target, { cause: error });
  return undefined;
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : 'unknown';
}
