// The emulator's signalling listeners (BEHAVIOUR.md §2.1: 5060 UDP/TCP, 5061 TLS; loopback and any port by
// config): each bound through the one SipStack, TLS with the local CA's server certificate or the user's own. A
// listener that cannot bind fails the start with a message that names the port and what to do about it.

import type { Clock } from '../../common/clock.js';
import type { SipStack } from '../../sip/stack/index.js';
import type { ListenerInfo, SipTransportProtocol, TlsServerOptions } from '../../sip/transport/index.js';
import type { EmulatorConfig } from '../config/index.js';
import { serverCertificateNames } from '../config/index.js';
import { EmulatorError } from '../emulator-error.js';
import { ensureLocalCertificates, loadUserCertificate } from '../tls/index.js';

export interface EmulatorTls {
  readonly server: TlsServerOptions;
  /** The CA a PBX must trust (PEM), when known. */
  readonly caCertificatePem: string | null;
}

/** The TLS listener's certificate: made (or reused) in the data folder, or the user's files (tls/README.md). */
export async function emulatorTls(
  config: EmulatorConfig,
  dataDir: string,
  clock: Clock,
): Promise<EmulatorTls> {
  const tls = config.tls;
  const material =
    tls.mode === 'generate'
      ? await ensureLocalCertificates({
          dataDir,
          names: serverCertificateNames(config),
          clock,
          keyAlgorithm: tls.keyAlgorithm,
          serverValidityDays: tls.serverValidityDays,
          renewBeforeDays: tls.renewBeforeDays,
        })
      : await loadUserCertificate(tls);
  return {
    server: { cert: material.serverCertificatePem, key: material.serverKey.reveal() },
    caCertificatePem: material.caCertificatePem,
  };
}

/** Binds every configured listener; rejects with EMULATOR_LISTEN_FAILED naming the first that could not bind. */
export async function startListeners(
  stack: SipStack,
  config: EmulatorConfig,
  tls: EmulatorTls | undefined,
): Promise<ListenerInfo[]> {
  const host = config.listen.host;
  const listeners: ListenerInfo[] = [];
  for (const transport of ['udp', 'tcp', 'tls'] as const satisfies readonly SipTransportProtocol[]) {
    const port = config.listen[transport];
    if (port === null) continue;
    try {
      listeners.push(
        await stack.listen({
          transport,
          host,
          port,
          ...(transport === 'tls' && tls ? { tls: tls.server } : {}),
        }),
      );
    } catch (error) {
      throw new EmulatorError('EMULATOR_LISTEN_FAILED', listenFailure(transport, host, port, error), {
        cause: error,
      });
    }
  }
  return listeners;
}

function listenFailure(transport: SipTransportProtocol, host: string, port: number, error: unknown): string {
  // The transport wraps the socket error (SIP_LISTEN_FAILED); the system's code is on its cause.
  const errno = (error as { cause?: unknown } | undefined)?.cause ?? error;
  const code = (errno as NodeJS.ErrnoException | undefined)?.code;
  const where = `${transport.toUpperCase()} ${host}:${port}`;
  const flag = `--${transport}`;
  switch (code ?? '') {
    case 'EADDRINUSE':
      return `Cannot listen on ${where}: the port is in use. Stop the program that holds it, or choose another port with ${flag} (0 picks a free one).`;
    case 'EACCES':
      return `Cannot listen on ${where}: permission denied. Ports below 1024 need privileges; choose another with ${flag}.`;
    case 'EADDRNOTAVAIL':
      return `Cannot listen on ${where}: ${host} is not an address of this machine. Choose another with --host.`;
    default:
      return `Cannot listen on ${where} (${code ?? (error instanceof Error ? error.message : 'unknown error')}). Choose another port with ${flag}.`;
  }
}
