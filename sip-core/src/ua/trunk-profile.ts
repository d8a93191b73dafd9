// The trunk profile: everything the softphone knows about the Zentrunk trunk it calls through (or the emulator
// standing in for it). Validated by a zod schema whose errors name the field; the password is a SecretString
// from the moment it is parsed, so printing, logging or serialising a profile never shows it.
//
// Zentrunk's softphone rules (BEHAVIOUR.md §11): never register; INVITEs go to the termination SIP domain
// `<trunk_id>.zt.plivo.com` with digest credentials from the trunk's credential list; the From user is a Plivo
// number (the caller ID); inbound calls arrive at the origination URI from the §2.2 networks.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { formatPath, parseIpNetwork, SecretString } from '../policy/index.js';
import { TrunkProfileError, type ProfileIssue } from './ua-error.js';
import { ZENTRUNK_SIGNALLING_CIDRS } from './zentrunk-signalling-ranges.js';
import { bracketHost } from '../common/host-port.js';

export type SignallingTransport = 'tls' | 'tcp' | 'udp';
export type SrtpMode = 'mandatory' | 'optional' | 'off';

/** A host name or address with an optional port (`zt.example`, `127.0.0.1:5061`, `[::1]:5060`). */
export interface HostPort {
  readonly host: string;
  readonly port: number | undefined;
}

/** Zentrunk's OPTIONS rule (§11): never more than one ping per 10–15 s. The guard enforces this floor. */
export const MIN_OPTIONS_INTERVAL_S = 15;

export interface TrunkProfile {
  readonly name: string | undefined;
  /** Where INVITEs are addressed: `<trunk_id>.zt.plivo.com`, or the emulator's domain (optionally with a port). */
  readonly terminationDomain: HostPort;
  /** Where every request is sent instead of resolving the Request-URI (how the emulator is reached). */
  readonly outboundProxy: HostPort | undefined;
  readonly transport: SignallingTransport;
  /** Digest credentials of the trunk's credential list; undefined for an IP-ACL trunk. */
  readonly credentials: { readonly username: string; readonly password: SecretString } | undefined;
  /** The account's Plivo numbers; the first is the default caller ID (the From user). */
  readonly callerIds: readonly string[];
  readonly displayName: string | undefined;
  /** Default: mandatory on TLS (a secure trunk), off otherwise. */
  readonly srtp: SrtpMode;
  readonly tls: {
    /** Extra trusted CA certificates, PEM files (the emulator's exported CA). */
    readonly caFiles: readonly string[];
    /** Extra trusted CA certificates given inline (PEM). */
    readonly caPem: readonly string[];
    /** Trust the system's (Node's) CA roots as well. */
    readonly useSystemCas: boolean;
    /** Verify the trunk's certificate (never turn this off outside a lab). */
    readonly verifyServer: boolean;
  };
  /** Where this phone listens for inbound calls and in-dialog requests. */
  readonly listen: {
    readonly address: string;
    /** 0: any free port (fine for outbound calls; inbound calls need the port the origination URI names). */
    readonly port: number;
    /** TLS server certificate and key (PEM files) for inbound TLS; a self-signed one is made when absent. */
    readonly tlsCertificateFile: string | undefined;
    readonly tlsKeyFile: string | undefined;
  };
  /** The address written in Contact and SDP when the listen address is not what the trunk can reach (NAT). */
  readonly advertisedAddress: string | undefined;
  /** The numbers Zentrunk delivers inbound calls to (Request-URI users we accept). */
  readonly dids: readonly string[];
  /** CIDRs allowed to send us requests; default Zentrunk's §2.2 networks (the trunk's own address is added). */
  readonly allowedInboundSources: readonly string[];
  /** OPTIONS keep-alive to the termination URI: 0 (off) or at least 15 s. */
  readonly optionsKeepAliveIntervalS: number;
  readonly rtpPortRange: { readonly minPort: number; readonly maxPort: number };
  /** What the pre-dial check may know about geo permissions (ISO 3166 alpha-2), when the user entered it. */
  readonly enabledCountries: readonly string[] | undefined;
  readonly barredCountries: readonly string[] | undefined;
}

const HOST_PORT = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9._-]+))(?::(\d{1,5}))?$/;

/** Parses `host`, `host:port` or `[v6]:port`; undefined when it is neither. */
export function parseHostPort(text: string): HostPort | undefined {
  const match = HOST_PORT.exec(text.trim());
  if (!match) return undefined;
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65_535)) return undefined;
  return { host: (match[1] ?? match[2] ?? '').toLowerCase(), port };
}

/** `host[:port]` back as text (IPv6 in brackets). */
export function formatHostPort(value: HostPort): string {
  const host = bracketHost(value.host);
  return value.port === undefined ? host : `${host}:${value.port}`;
}

const hostPort = (what: string) =>
  z.string().transform((text, context) => {
    const parsed = parseHostPort(text);
    if (parsed === undefined) {
      context.addIssue({ code: 'custom', message: `must be ${what}` });
      return z.NEVER;
    }
    return parsed;
  });

// A Plivo number as the user writes it: E.164 with +, or the digits alone (guides also dial 1NXXNXXXXXX, §4.1).
const phoneNumber = z
  .string()
  .trim()
  .regex(/^\+?\d{6,15}$/, 'must be a phone number: 6 to 15 digits, optionally after + (E.164)');

const secret = z
  .union([z.string().min(1, 'must not be empty'), z.instanceof(SecretString)])
  .transform((value) => (typeof value === 'string' ? new SecretString(value) : value));

const cidr = z
  .string()
  .refine((text) => parseIpNetwork(text) !== undefined, 'must be an IPv4 or IPv6 address or CIDR network');

const country = z
  .string()
  .regex(/^[A-Za-z]{2}$/, 'must be an ISO 3166 alpha-2 country code such as US')
  .transform((code) => code.toUpperCase());

const port = z.number().int().min(0).max(65_535);

const profileSchema = z
  .object({
    name: z.string().optional(),
    terminationDomain: hostPort(
      'the termination SIP domain, e.g. 21784177241578.zt.plivo.com (optionally :port)',
    ),
    outboundProxy: hostPort('host:port, e.g. 127.0.0.1:5060 for the emulator').optional(),
    transport: z.enum(['tls', 'tcp', 'udp']).default('tls'),
    username: z.string().min(1, 'must not be empty').optional(),
    password: secret.optional(),
    callerIds: z.array(phoneNumber).min(1, 'must list at least one of your Plivo numbers (the caller ID)'),
    displayName: z.string().optional(),
    srtp: z.enum(['mandatory', 'optional', 'off']).optional(),
    tls: z
      .object({
        caFiles: z.array(z.string().min(1)).default([]),
        caPem: z
          .array(z.string().includes('BEGIN CERTIFICATE', { message: 'must be a PEM certificate' }))
          .default([]),
        useSystemCas: z.boolean().default(true),
        verifyServer: z.boolean().default(true),
      })
      .default({ caFiles: [], caPem: [], useSystemCas: true, verifyServer: true }),
    listen: z
      .object({
        address: z.ipv4().or(z.ipv6()).default('127.0.0.1'),
        port: port.default(0),
        tlsCertificateFile: z.string().min(1).optional(),
        tlsKeyFile: z.string().min(1).optional(),
      })
      .default({ address: '127.0.0.1', port: 0 }),
    advertisedAddress: z.string().min(1).optional(),
    dids: z.array(phoneNumber).default([]),
    allowedInboundSources: z.array(cidr).optional(),
    optionsKeepAliveIntervalS: z
      .number()
      .int()
      .refine(
        (seconds) => seconds === 0 || seconds >= MIN_OPTIONS_INTERVAL_S,
        `must be 0 (off) or at least ${MIN_OPTIONS_INTERVAL_S} seconds: Zentrunk may block a source that pings more often (BEHAVIOUR.md §11)`,
      )
      .default(0),
    rtpPortRange: z
      .object({ minPort: port.min(1024), maxPort: port.min(1025) })
      .refine((range) => range.maxPort - range.minPort >= 3, 'must span at least two even/odd port pairs')
      .default({ minPort: 10_000, maxPort: 30_000 }),
    enabledCountries: z.array(country).optional(),
    barredCountries: z.array(country).optional(),
  })
  .superRefine((value, context) => {
    if (value.password !== undefined && value.username === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['username'],
        message: 'is required with a password: the credential list username of your trunk',
      });
    }
    if ((value.listen.tlsCertificateFile === undefined) !== (value.listen.tlsKeyFile === undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['listen', value.listen.tlsCertificateFile === undefined ? 'tlsCertificateFile' : 'tlsKeyFile'],
        message: 'must be given together with its certificate or key',
      });
    }
  });

/** What a profile file or the CLI gives: every field as written (strings, numbers), before defaults. */
export type TrunkProfileInput = z.input<typeof profileSchema>;

export type TrunkProfileResult =
  | { readonly ok: true; readonly profile: TrunkProfile }
  | { readonly ok: false; readonly issues: readonly ProfileIssue[] };

/** Validates `input`; every problem is reported, each with the path of its field. Never quotes a password. */
export function parseTrunkProfile(input: unknown): TrunkProfileResult {
  const result = profileSchema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      issues: result.error.issues.map((issue) => ({ path: formatPath(issue.path), message: issue.message })),
    };
  }
  const value = result.data;
  return {
    ok: true,
    profile: {
      name: value.name,
      terminationDomain: value.terminationDomain,
      outboundProxy: value.outboundProxy,
      transport: value.transport,
      credentials:
        value.username === undefined || value.password === undefined
          ? undefined
          : { username: value.username, password: value.password },
      callerIds: value.callerIds,
      displayName: value.displayName,
      srtp: value.srtp ?? (value.transport === 'tls' ? 'mandatory' : 'off'),
      tls: value.tls,
      listen: {
        address: value.listen.address,
        port: value.listen.port,
        tlsCertificateFile: value.listen.tlsCertificateFile,
        tlsKeyFile: value.listen.tlsKeyFile,
      },
      advertisedAddress: value.advertisedAddress,
      dids: value.dids,
      allowedInboundSources: value.allowedInboundSources ?? ZENTRUNK_SIGNALLING_CIDRS,
      optionsKeepAliveIntervalS: value.optionsKeepAliveIntervalS,
      rtpPortRange: value.rtpPortRange,
      enabledCountries: value.enabledCountries,
      barredCountries: value.barredCountries,
    },
  };
}

/** Validates `input` or throws `TrunkProfileError` (code UA_PROFILE_INVALID) listing every problem. */
export function loadTrunkProfile(input: unknown): TrunkProfile {
  const result = parseTrunkProfile(input);
  if (!result.ok) throw new TrunkProfileError(result.issues);
  return result.profile;
}

/** Reads a JSON profile file and validates it; a file that is not JSON is reported as an issue of the file. */
export async function readTrunkProfileFile(path: string): Promise<TrunkProfile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new TrunkProfileError([{ path: '', message: `the file ${path} cannot be read (${reason})` }]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TrunkProfileError([{ path: '', message: `the file ${path} is not valid JSON` }]);
  }
  return loadTrunkProfile(json);
}
