// The settings file's schema. Everything the UI may change is validated here before it is used or written: a
// hand-edited or half-written file must never reach the UA as a profile it cannot dial with.

import { z } from 'zod';
import type { Settings, TrunkProfile } from '../common/index.js';

const e164 = z.string().regex(/^\+[1-9]\d{1,14}$/, 'expected an E.164 number such as +14155550101');
const iso2 = z.string().regex(/^[A-Z]{2}$/, 'expected a two-letter country code such as US');

export const accountKnowledgeSchema = z
  .object({
    ownedNumbers: z.array(e164).max(1000).optional(),
    enabledCountries: z.array(iso2).max(300).optional(),
    barredCountries: z.array(iso2).max(300).optional(),
    dnoNumbers: z.array(e164).max(10_000).optional(),
    premiumAllowList: z.array(z.string().max(32)).max(1000).optional(),
    highRiskPrefixes: z.array(z.string().max(32)).max(1000).optional(),
    indiaAnchoringCompliant: z.boolean().optional(),
  })
  .strict();

/** A host name or an IP literal; no scheme, no port, no user part. */
const hostName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'expected a host name or an IP address, without scheme or port');

export const profileFieldsSchema = z.object({
  name: z.string().trim().min(1, 'give the profile a name').max(80),
  trunkDomain: hostName,
  proxyHost: hostName,
  port: z.number().int().min(1).max(65_535),
  transport: z.enum(['udp', 'tcp', 'tls']),
  srtp: z.enum(['off', 'mandatory']),
  codecs: z
    .array(z.enum(['PCMU', 'PCMA']))
    .min(1, 'choose at least one codec')
    .max(2),
  username: z.string().min(1).max(128).optional(),
  callerIds: z.array(e164).max(100),
  defaultCountry: iso2.optional(),
  knowledge: accountKnowledgeSchema,
});

export const profileSchema: z.ZodType<TrunkProfile> = profileFieldsSchema
  .extend({
    id: z.string().regex(/^[a-z0-9-]{1,64}$/),
    kind: z.enum(['emulator', 'zentrunk']),
    hasPassword: z.boolean(),
  })
  .strict();

export const profileInputSchema = profileFieldsSchema.extend({ id: z.string().max(64).optional() }).strict();

export const audioSettingsSchema = z
  .object({
    echoCancellation: z.boolean(),
    noiseSuppression: z.boolean(),
    autoGainControl: z.boolean().optional(),
    inputDeviceId: z.string().max(512).optional(),
    outputDeviceId: z.string().max(512).optional(),
  })
  .strict();

export const historySettingsSchema = z
  .object({
    maxCalls: z.number().int().min(1).optional(),
    maxAgeDays: z.number().int().min(1).optional(),
  })
  .strict();

/** The local captures' size cap: at least one long call, at most what a laptop disk shrugs off. */
const captureMaxTotalMbSchema = z.number().int().min(20).max(100_000);

export const settingsSchema: z.ZodType<Settings> = z
  .object({
    version: z.literal(1),
    theme: z.enum(['system', 'light', 'dark']),
    selectedProfileId: z.string().min(1),
    profiles: z.array(profileSchema).min(1).max(100),
    audio: audioSettingsSchema,
    history: historySettingsSchema,
    shortcutsEnabled: z.boolean(),
    emulatorStartsOnOpen: z.boolean().optional(),
    captureMaxTotalMb: captureMaxTotalMbSchema.optional(),
  })
  .strict();

export const settingsPatchSchema = z
  .object({
    theme: z.enum(['system', 'light', 'dark']).optional(),
    selectedProfileId: z.string().min(1).optional(),
    shortcutsEnabled: z.boolean().optional(),
    emulatorStartsOnOpen: z.boolean().optional(),
    captureMaxTotalMb: captureMaxTotalMbSchema.optional(),
    audio: audioSettingsSchema.partial().optional(),
    history: historySettingsSchema.optional(),
  })
  .strict();
