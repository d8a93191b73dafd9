// The softphone's trunk profile as a check target (README: "Where the UA's trunk profile plugs in"): the profile's
// domain, proxy, transport, CA files and inline PEMs, credentials (already a SecretString) and first caller ID;
// the test number and region come from the check command. A profile never names the emulator: `isEmulator` is
// false, so the runner keeps every emulator-only probe off a profile's trunk.

import { readFile } from 'node:fs/promises';
import type { TrunkProfile } from '../../ua/index.js';
import { CheckTargetError, createCheckTarget, type CheckTarget } from './check-target.js';

export async function targetFromProfile(
  profile: TrunkProfile,
  extra: { readonly testNumber?: string; readonly region?: string } = {},
): Promise<CheckTarget> {
  const caCertificates = [...profile.tls.caPem];
  for (const file of profile.tls.caFiles) {
    try {
      caCertificates.push(await readFile(file, 'utf8'));
    } catch (error) {
      throw new CheckTargetError(
        `The profile's CA file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'}).`,
      );
    }
  }
  const proxy = profile.outboundProxy;
  const callerId = profile.callerIds[0];
  return createCheckTarget({
    terminationDomain: profile.terminationDomain.host,
    ...(profile.terminationDomain.port !== undefined ? { port: profile.terminationDomain.port } : {}),
    transport: profile.transport,
    ...(proxy !== undefined
      ? {
          outboundProxy: {
            host: proxy.host,
            port: proxy.port ?? (profile.transport === 'tls' ? 5061 : 5060),
          },
        }
      : {}),
    caCertificates,
    ...(profile.credentials !== undefined ? { credentials: profile.credentials } : {}),
    ...(callerId !== undefined ? { callerId } : {}),
    ...(extra.testNumber !== undefined ? { testNumber: extra.testNumber } : {}),
    ...(extra.region !== undefined ? { region: extra.region } : {}),
    isEmulator: false,
  });
}
