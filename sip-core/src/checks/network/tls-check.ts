// `tls`: a TLS handshake to the signalling port as the softphone would make it: protocol at least TLS 1.2
// (RFC 8996; Zentrunk offers 1.2 and 1.3, BEHAVIOUR.md §2.1), the chain verified against Node's roots plus the
// target's extra CAs, the host name verified against the termination domain (SNI), the days to expiry (a
// warning under 30), and the cipher. The socket is opened with verification recorded rather than enforced, so a
// failed verification still reports the certificate it saw; nothing is sent on the connection.

import { isIP } from 'node:net';
import tls from 'node:tls';
import type { Clock, TimerHandle } from '../../common/clock.js';
import type {
  CheckContext,
  CheckDefinition,
  CheckOutcome,
  MeasuredValue,
} from '../runner/check-definition.js';
import { formatHostAndPort, signallingAddress } from '../target/check-target.js';
import type { NetworkCheckServices } from './network-check-services.js';
import { describeTlsFailure, tlsCause } from './tls-failure.js';

/** Under this many days to expiry the check warns: renewals need lead time on the PBX side too. */
export const EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 86_400_000;
const ACCEPTED_PROTOCOLS = new Set(['TLSv1.2', 'TLSv1.3']);

export const tlsCheck: CheckDefinition<NetworkCheckServices> = {
  id: 'tls',
  title: 'TLS',
  description:
    'TLS handshake on the signalling port: protocol ≥ TLS 1.2, certificate chain and host name valid, days to expiry, cipher.',
  dependsOn: ['dns'],
  safety: 'safe',
  timeoutMs: 20_000,
  run: runTlsCheck,
};

interface Handshake {
  readonly protocol: string | null;
  readonly cipher: string;
  readonly authorized: boolean;
  readonly authorizationError: string | undefined;
  readonly certificate: tls.PeerCertificate | undefined;
  readonly handshakeMs: number;
}

async function runTlsCheck(context: CheckContext<NetworkCheckServices>): Promise<CheckOutcome> {
  const { target } = context;
  if (target.transport !== 'tls') {
    return {
      status: 'skipped',
      summary: `The target uses ${target.transport.toUpperCase()}, not TLS: secure trunking is not in use.`,
    };
  }
  const address = signallingAddress(target);
  const endpoint = formatHostAndPort(address);
  const serverName = target.terminationDomain;
  let handshake: Handshake;
  try {
    handshake = await handshakeWith(
      {
        host: address.host,
        port: address.port,
        ...(isIP(serverName) === 0 ? { servername: serverName } : {}),
        ...(target.caCertificates.length > 0
          ? { ca: [...tls.rootCertificates, ...target.caCertificates] }
          : {}),
        minVersion: 'TLSv1.2',
        rejectUnauthorized: false,
      },
      context.clock,
      context.signal,
      context.services.connectTimeoutMs,
    );
  } catch (error) {
    const code = codeOf(error) ?? 'ERR_TLS';
    const words = describeTlsFailure(code, { endpoint, serverName });
    context.note(`Handshake with ${endpoint} (SNI ${serverName}) failed: ${code}.`);
    return { status: 'fail', summary: words.summary, cause: tlsCause(code, words), remedy: words.remedy };
  }
  context.progress(0.8, 'handshake done');

  const measurements: MeasuredValue[] = [
    { name: 'protocol', value: handshake.protocol ?? 'unknown' },
    { name: 'cipher', value: handshake.cipher },
    { name: 'handshakeMs', value: Math.round(handshake.handshakeMs), unit: 'ms' },
  ];
  const certificate = handshake.certificate;
  const names = certificate ? namesOf(certificate) : [];
  let daysToExpiry: number | undefined;
  if (certificate?.valid_to) {
    const validToMs = Date.parse(certificate.valid_to);
    daysToExpiry = Math.floor((validToMs - context.clock.wallNow()) / DAY_MS);
    measurements.push({ name: 'daysToExpiry', value: daysToExpiry, unit: 'days' });
    context.note(
      `Certificate subject: ${formatDn(certificate.subject)}; issuer: ${formatDn(certificate.issuer)}.`,
    );
    context.note(`Certificate names: ${names.join(', ') || '(none)'}; valid until ${certificate.valid_to}.`);
    if (certificate.fingerprint256) context.note(`SHA-256 fingerprint: ${certificate.fingerprint256}.`);
  }
  context.note(`Negotiated ${handshake.protocol ?? 'unknown protocol'} with ${handshake.cipher}.`);

  if (handshake.protocol === null || !ACCEPTED_PROTOCOLS.has(handshake.protocol)) {
    const words = describeTlsFailure('ERR_SSL_UNSUPPORTED_PROTOCOL', { endpoint, serverName });
    return {
      status: 'fail',
      summary: words.summary,
      measurements,
      cause: tlsCause('ERR_SSL_UNSUPPORTED_PROTOCOL', words),
      remedy: words.remedy,
    };
  }
  if (!handshake.authorized) {
    const code = handshake.authorizationError ?? 'ERR_TLS_CERT_INVALID';
    const words = describeTlsFailure(code, {
      endpoint,
      serverName,
      names,
      ...(certificate?.valid_to ? { validTo: certificate.valid_to } : {}),
    });
    return {
      status: 'fail',
      summary: words.summary,
      measurements,
      cause: tlsCause(code, words),
      remedy: words.remedy,
    };
  }
  if (daysToExpiry !== undefined && daysToExpiry < EXPIRY_WARNING_DAYS) {
    return {
      status: 'warning',
      summary: `The certificate is valid but expires in ${daysToExpiry} day${daysToExpiry === 1 ? '' : 's'}.`,
      measurements,
      cause: { summary: `The certificate of ${serverName} expires on ${certificate!.valid_to}.` },
      remedy:
        'Make sure the certificate is renewed before it expires (for the emulator: restart it to reissue).',
    };
  }
  return {
    status: 'pass',
    summary: `${handshake.protocol} with ${handshake.cipher}; certificate valid for ${serverName}${daysToExpiry !== undefined ? `, ${daysToExpiry} days left` : ''}.`,
    measurements,
  };
}

function handshakeWith(
  options: tls.ConnectionOptions,
  clock: Clock,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<Handshake> {
  const started = clock.now();
  return new Promise<Handshake>((resolve, reject) => {
    const socket = tls.connect(options);
    const finish = (error: Error | undefined, handshake?: Handshake): void => {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      socket.removeAllListeners('secureConnect');
      socket.on('error', () => undefined);
      socket.destroy();
      if (error) reject(error);
      else resolve(handshake!);
    };
    const onAbort = (): void => finish(Object.assign(new Error('aborted'), { code: 'CHECKS_ABORTED' }));
    const timer: TimerHandle = clock.setTimeout(
      () => finish(Object.assign(new Error('TLS handshake timed out'), { code: 'CHECKS_CONNECT_TIMEOUT' })),
      timeoutMs,
    );
    signal.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const raw: unknown = socket.authorizationError;
      const authorizationError =
        typeof raw === 'string'
          ? raw
          : raw instanceof Error
            ? ((raw as { code?: string }).code ?? raw.message)
            : undefined;
      finish(undefined, {
        protocol: socket.getProtocol(),
        cipher: socket.getCipher().standardName ?? socket.getCipher().name,
        authorized: socket.authorized,
        authorizationError,
        certificate: socket.getPeerCertificate(),
        handshakeMs: clock.now() - started,
      });
    });
    socket.once('error', (error: Error) => finish(error));
  });
}

function namesOf(certificate: tls.PeerCertificate): string[] {
  const alt = certificate.subjectaltname?.split(', ').filter((n) => n.length > 0) ?? [];
  if (alt.length > 0) return alt.map((n) => n.replace(/^(DNS|IP Address):/, ''));
  const cn = certificate.subject?.CN;
  return typeof cn === 'string' ? [cn] : [];
}

function formatDn(dn: tls.Certificate | undefined): string {
  if (!dn) return '(none)';
  return Object.entries(dn)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
