// `trunkline emulator --verify-pbx-tls [--pbx-ca FILE]`: how the emulator, as the TLS client of an inbound call,
// checks the PBX's certificate (ADR 0128). Off by default — PBXs rehearsing with the emulator mostly present
// self-signed certificates, and whether Zentrunk itself verifies them is undocumented (BEHAVIOUR.md §18 #7) —
// so a user who wants to prove their PBX's certificate chain turns it on, with their private CA if they have one.

import type { TlsClientOptions } from '../sip/transport/index.js';

export interface PbxTlsFlags {
  readonly verifyPbxTls?: boolean;
  /** A PEM file of CA certificates to trust besides the system's; implies verification. */
  readonly pbxCa?: string;
}

/** A flag the user can fix: printed as one line, exit status 1 (the CLI's usage-error path). */
export class PbxTlsFlagError extends Error {}

/** Undefined when neither flag is given: the emulator's default (certificates not verified) applies. */
export function pbxTlsClientOptions(
  flags: PbxTlsFlags,
  readText: (path: string) => string,
): TlsClientOptions | undefined {
  if (flags.pbxCa === undefined) return flags.verifyPbxTls ? { rejectUnauthorized: true } : undefined;
  let pem: string;
  try {
    pem = readText(flags.pbxCa);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new PbxTlsFlagError(`--pbx-ca ${flags.pbxCa}: cannot read it (${reason})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new PbxTlsFlagError(
      `--pbx-ca ${flags.pbxCa}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)`,
    );
  }
  return { rejectUnauthorized: true, ca: pem };
}

/** The banner's line, so nobody wonders whether their PBX's certificate was checked. */
export function describePbxTls(options: TlsClientOptions | undefined): string {
  if (options === undefined) return 'not verified (--verify-pbx-tls to verify)';
  return options.ca === undefined
    ? 'verified against the system CAs'
    : 'verified against the system CAs and --pbx-ca';
}
