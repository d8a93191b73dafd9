// What the network checks need from the outside world, in one object the runner hands to each check. The call
// checks of the next slice extend it (`CallCheckServices extends NetworkCheckServices`) with the UA and the
// emulator; the runner never looks inside.

import type { Clock } from '../../common/clock.js';
import type { CheckCapture } from '../capture/check-capture.js';
import type { CheckTarget } from '../target/check-target.js';
import { createDnsResolver, hostResolverFor, type DnsResolver } from './dns-resolver.js';
import { OptionsRateGuard } from './options-rate-guard.js';
import { SipProbe } from './sip-probe.js';

export interface NetworkCheckServices {
  readonly resolver: DnsResolver;
  /** Shared by every check and run of this process: OPTIONS never faster than one per 15 s per target. */
  readonly optionsGuard: OptionsRateGuard;
  /** TCP connect plus TLS handshake. */
  readonly connectTimeoutMs: number;
  /** The run's capture (`--pcap`), when one was asked for: every SIP probe records into it. */
  readonly capture?: CheckCapture;
  openSipProbe(target: CheckTarget): Promise<SipProbe>;
}

/** Runs `use` with a SIP probe for the context's target and closes the probe afterwards, whatever happens. */
export async function withSipProbe<T>(
  context: { readonly services: NetworkCheckServices; readonly target: CheckTarget },
  use: (probe: SipProbe) => Promise<T>,
): Promise<T> {
  const probe = await context.services.openSipProbe(context.target);
  try {
    return await use(probe);
  } finally {
    await probe.close();
  }
}

export interface NetworkCheckServicesOptions {
  readonly clock: Clock;
  /** Default: Node's resolver, on `dnsServers` when given, else the system's servers. */
  readonly resolver?: DnsResolver;
  readonly dnsServers?: readonly string[];
  /** Pin the local SIP address (tests: 127.0.0.1). */
  readonly localAddress?: string;
  /** RFC 3261 T1 for the probes (default 500 ms). */
  readonly t1Ms?: number;
  readonly connectTimeoutMs?: number;
  /** Share one guard between several service objects (default: a new one). */
  readonly optionsGuard?: OptionsRateGuard;
  /** Record every probe's SIP into this capture (`trunkline check --pcap`). */
  readonly capture?: CheckCapture;
}

export function createNetworkCheckServices(options: NetworkCheckServicesOptions): NetworkCheckServices {
  const resolver = options.resolver ?? createDnsResolver(options.dnsServers);
  const optionsGuard = options.optionsGuard ?? new OptionsRateGuard({ clock: options.clock });
  return {
    resolver,
    optionsGuard,
    connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
    ...(options.capture !== undefined ? { capture: options.capture } : {}),
    openSipProbe: (target) =>
      SipProbe.open({
        target,
        clock: options.clock,
        guard: optionsGuard,
        resolver: hostResolverFor(resolver),
        ...(options.localAddress !== undefined ? { localAddress: options.localAddress } : {}),
        ...(options.t1Ms !== undefined ? { t1Ms: options.t1Ms } : {}),
        ...(options.capture !== undefined ? { capture: options.capture } : {}),
      }),
  };
}
