// What the checks need to know about the trunk under test, and nothing more. The softphone's trunk profile (the
// ua layer) and the emulator's own description map onto this when they land (README: "Where the UA's profile
// plugs in"); until then the CLI builds it from flags. The password is a SecretString from the first moment,
// so a target can be logged, inspected or serialised without showing it.

import { z } from 'zod';
import { SecretString, zentrunkRegion } from '../../policy/index.js';
import { TrunklineError } from '../../common/errors.js';
import type { SipTransportProtocol } from '../../sip/transport/index.js';
import { hostAndPort } from '../../common/host-port.js';

export interface HostAndPort {
  readonly host: string;
  readonly port: number;
}

export interface CheckTarget {
  /** The termination SIP domain, `<trunk_id>.zt.plivo.com` (BEHAVIOUR.md §2.1), or the emulator's domain. */
  readonly terminationDomain: string;
  /** The signalling port: 5061 for TLS, 5060 otherwise, unless given. */
  readonly port: number;
  readonly transport: SipTransportProtocol;
  /** Where SIP is sent instead of the domain (an SBC, or the emulator on 127.0.0.1). */
  readonly outboundProxy?: HostAndPort;
  /** Extra trusted CA certificates (PEM), added to Node's roots: the emulator's exported CA. */
  readonly caCertificates: readonly string[];
  /** Digest credentials of the trunk's credential list; absent for an IP-ACL trunk. */
  readonly credentials?: { readonly username: string; readonly password: SecretString };
  /** The From user: one of the account's Plivo numbers. */
  readonly callerId?: string;
  /** The number the call checks dial (user-supplied; the emulator's echo number on the emulator). */
  readonly testNumber?: string;
  /** True only for Trunkline's own emulator: the runner allows `emulator-only` checks against nothing else. */
  readonly isEmulator: boolean;
  /** The Zentrunk region the trunk is expected in (an AWS name such as `us-east-1`). */
  readonly region?: string;
}

export class CheckTargetError extends TrunklineError {
  constructor(message: string) {
    super('CHECKS_TARGET_INVALID', message);
  }
}

const DOMAIN =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const port = z.number().int().min(1).max(65_535);

const targetInputSchema = z
  .object({
    terminationDomain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(DOMAIN, 'must be a host name such as 21784177241578.zt.plivo.com'),
    port: port.optional(),
    transport: z.enum(['udp', 'tcp', 'tls']).default('tls'),
    outboundProxy: z.object({ host: z.string().trim().min(1), port }).optional(),
    caCertificates: z
      .array(z.string().includes('BEGIN CERTIFICATE', { message: 'must be a PEM certificate' }))
      .default([]),
    credentials: z
      .object({
        username: z.string().min(1, 'must not be empty'),
        password: z.instanceof(SecretString),
      })
      .optional(),
    callerId: z
      .string()
      .trim()
      .regex(/^\+?\d{6,15}$/, 'must be a phone number: 6 to 15 digits, optionally after +')
      .optional(),
    testNumber: z
      .string()
      .trim()
      .regex(/^\+?\d{3,15}$/, 'must be a phone number, E.164 preferred (+14155551234)')
      .optional(),
    isEmulator: z.boolean().default(false),
    region: z
      .string()
      .trim()
      .toLowerCase()
      .refine((id) => zentrunkRegion(id) !== undefined, {
        message:
          'must be a Zentrunk region: us-west-1, us-east-1, eu-central-1, sa-east-1, ap-southeast-2, ap-southeast-1 or ap-south-1',
      })
      .optional(),
  })
  .strict();

export type CheckTargetInput = z.input<typeof targetInputSchema>;

/** Validates and completes a target (default port by transport); throws `CheckTargetError` naming the field. */
export function createCheckTarget(input: CheckTargetInput): CheckTarget {
  const parsed = targetInputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join('.') || 'target';
    throw new CheckTargetError(`The check target's ${field} ${issue.message}.`);
  }
  const value = parsed.data;
  return {
    ...value,
    port: value.port ?? (value.transport === 'tls' ? 5061 : 5060),
    ...(value.outboundProxy ? { outboundProxy: value.outboundProxy } : {}),
  };
}

/** Where SIP for the target goes: the outbound proxy, else the domain and port. */
export function signallingAddress(target: CheckTarget): HostAndPort {
  return target.outboundProxy ?? { host: target.terminationDomain, port: target.port };
}

/** The target as reports show it: every field but the password (only whether there is one). */
export interface TargetSummary {
  readonly terminationDomain: string;
  readonly port: number;
  readonly transport: SipTransportProtocol;
  readonly outboundProxy?: string;
  readonly username?: string;
  readonly hasPassword: boolean;
  readonly callerId?: string;
  readonly testNumber?: string;
  readonly isEmulator: boolean;
  readonly region?: string;
  readonly extraCaCertificates: number;
}

export function summarizeTarget(target: CheckTarget): TargetSummary {
  return {
    terminationDomain: target.terminationDomain,
    port: target.port,
    transport: target.transport,
    ...(target.outboundProxy ? { outboundProxy: formatHostAndPort(target.outboundProxy) } : {}),
    ...(target.credentials ? { username: target.credentials.username } : {}),
    hasPassword: target.credentials !== undefined,
    ...(target.callerId !== undefined ? { callerId: target.callerId } : {}),
    ...(target.testNumber !== undefined ? { testNumber: target.testNumber } : {}),
    isEmulator: target.isEmulator,
    ...(target.region !== undefined ? { region: target.region } : {}),
    extraCaCertificates: target.caCertificates.length,
  };
}

export function formatHostAndPort(value: HostAndPort): string {
  return hostAndPort(value.host, value.port);
}
