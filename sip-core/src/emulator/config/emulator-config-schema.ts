// The emulator's config file, apart from the parts other folders own: the account (policy's schema, Zentrunk's
// field names), the §20 settings (policy's) and the far-end table (far-end/). Those three are validated by their
// own parsers; this schema holds the listeners, the data folder, media and TLS, and refuses unknown top-level
// fields so a misspelt section is an error, not a silently ignored default.

import { isIP } from 'node:net';
import { z } from 'zod';

const port = z.custom<number>(
  (value) => Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 65_535,
  {
    message: 'expected a port 0–65535 (0 picks a free port)',
  },
);
/** A port, or null to turn the listener off. */
const listenerPort = (defaultPort: number) => port.nullable().default(defaultPort);

const HOSTNAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const host = z.string().refine((value) => isIP(value) !== 0 || HOSTNAME.test(value), {
  message: 'an IP address or a host name, such as 127.0.0.1',
});
const ipAddress = z
  .string()
  .refine((value) => isIP(value) !== 0, { message: 'an IP address, such as 127.0.0.1' });
const path = z.string().min(1, 'a file or folder path');

/** BEHAVIOUR.md §2.1: signalling on 5060 UDP/TCP and 5061 TLS; loopback by default, so nothing is exposed. */
export const listenSchema = z.object({
  host: host.default('127.0.0.1'),
  udp: listenerPort(5060),
  tcp: listenerPort(5060),
  tls: listenerPort(5061),
});

export const mediaSchema = z.object({
  /** Where RTP sockets bind; the port range is the §20 setting `settings.mediaPortRange`. */
  bindAddress: ipAddress.default('127.0.0.1'),
});

export const tlsSchema = z.discriminatedUnion('mode', [
  z.object({
    /** A local CA and a server certificate made in the data folder (tls/README.md). */
    mode: z.literal('generate'),
    keyAlgorithm: z.enum(['ecdsa-p256', 'rsa-2048']).default('ecdsa-p256'),
    serverValidityDays: z.number().int().min(2).max(397).default(397),
    renewBeforeDays: z.number().int().min(1).max(365).default(30),
    /** More subjectAltNames for the server certificate (a LAN name or address a PBX dials). */
    extraNames: z.array(host).default([]),
  }),
  z.object({
    /** The user's own certificate and unencrypted key (PEM), and optionally the CA to hand to PBXs. */
    mode: z.literal('files'),
    certFile: path,
    keyFile: path,
    caFile: path.nullable().default(null),
  }),
]);

export const emulatorConfigFileSchema = z.strictObject({
  /** Editors' schema hint; ignored. */
  $schema: z.string().optional(),
  /** The file format's version; 1 is the only one so far. */
  version: z.literal(1).default(1),
  /** Relative paths count from the config file's folder. */
  dataDir: path.optional(),
  listen: listenSchema.prefault({}),
  media: mediaSchema.prefault({}),
  tls: tlsSchema.default({
    mode: 'generate',
    keyAlgorithm: 'ecdsa-p256',
    serverValidityDays: 397,
    renewBeforeDays: 30,
    extraNames: [],
  }),
  /** A Zentrunk account (policy's schema); absent: the built-in demo account. */
  account: z.unknown().optional(),
  /** The §20 switches (policy's schema); absent: the defaults. */
  settings: z.unknown().optional(),
  /** The far-end table (far-end/ schema); absent: the built-in numbers and the echo default. */
  farEnd: z.unknown().optional(),
});

export type ListenConfig = z.output<typeof listenSchema>;
export type MediaConfig = z.output<typeof mediaSchema>;
export type TlsConfig = z.output<typeof tlsSchema>;
export type EmulatorConfigFile = z.input<typeof emulatorConfigFileSchema>;
