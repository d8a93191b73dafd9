// The far-end table: which scenario the "PSTN" plays for a destination. Lookup order: the exact number, then the
// longest matching prefix, then the default scenario, which every other destination the policy let through gets
// (answer and echo: any valid number connects and the caller hears themselves; docs/adr/0075).

import { z } from 'zod';
import {
  e164NumberSchema,
  fromZodIssues,
  toE164,
  type ConfigIssue,
  type ConfigResult,
} from '../../policy/index.js';
import { BUILT_IN_DEFAULT_SCENARIO, BUILT_IN_FAR_END_NUMBERS } from './built-in-far-end-numbers.js';
import { farEndImpairmentSchema, type FarEndImpairment } from './far-end-impairment.js';
import { farEndScenarioSchema, type FarEndScenario } from './far-end-scenario.js';

export const farEndEntrySchema = z
  .object({
    /** An exact destination (E.164; `14155550111` is read as `+14155550111`). */
    number: e164NumberSchema.optional(),
    /** Every destination starting with this (`+44`, `+1415555`), when no exact number matches. */
    prefix: z
      .string()
      .regex(/^\+\d{1,15}$/, 'a number prefix such as +44')
      .optional(),
    /** A short kebab-case name shown in events and CDR extras (`busy`, `echo`). */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'a short kebab-case name such as busy'),
    description: z.string().max(200).default(''),
    scenario: farEndScenarioSchema,
    /** A deliberate media fault for this number (far-end-impairment.ts); null: the table's `impairment`. */
    impairment: farEndImpairmentSchema.nullable().default(null),
  })
  .superRefine((entry, ctx) => {
    if ((entry.number === undefined) === (entry.prefix === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['number'], message: 'give either number or prefix, not both' });
    }
  });

export const farEndTableSchema = z.object({
  /** Whether the built-in numbers (README) are in the table; entries below replace a built-in of the same key. */
  builtInNumbers: z.boolean().default(true),
  /** The scenario of every destination that matches no entry. */
  default: farEndScenarioSchema.default(BUILT_IN_DEFAULT_SCENARIO),
  numbers: z.array(farEndEntrySchema).default([]),
  /**
   * How long the two PSTN parties a blind transfer joins (the caller and the transfer target, both played by the
   * emulator) stay connected when the target's scenario does not hang up itself; then the transfer leg ends with
   * 3000 normal_hangup. Its CDR's duration is this bridge (§7, §20).
   */
  bridgeHangupAfterMs: z.number().int().positive().max(86_400_000).default(60_000),
  /** A media fault for every number without its own (far-end-impairment.ts); null: none. */
  impairment: farEndImpairmentSchema.nullable().default(null),
});

/**
 * Validates a far-end table (parsed JSON): the schema, plus numbers or prefixes given twice. The duplicate
 * check reads the raw input, so it reports even when other entries have shape errors (zod skips refinements
 * of an object whose fields failed).
 */
export function parseFarEndTable(input: unknown): ConfigResult<FarEndTableConfig> {
  const parsed = farEndTableSchema.safeParse(input ?? {});
  const issues: ConfigIssue[] = parsed.success ? [] : fromZodIssues(parsed.error.issues);
  const raw =
    typeof input === 'object' && input !== null ? (input as { numbers?: unknown }).numbers : undefined;
  const seen = new Map<string, number>();
  (Array.isArray(raw) ? raw : []).forEach((item: unknown, index) => {
    if (typeof item !== 'object' || item === null) return;
    const { number, prefix } = item as { number?: unknown; prefix?: unknown };
    const field = typeof number === 'string' ? 'number' : typeof prefix === 'string' ? 'prefix' : undefined;
    if (field === undefined) return;
    const key = field === 'number' ? `=${toE164(number as string) ?? String(number)}` : `^${String(prefix)}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, index);
    else issues.push({ path: `numbers[${index}].${field}`, message: `already used by numbers[${first}]` });
  });
  if (issues.length > 0 || !parsed.success) return { ok: false, issues };
  return { ok: true, value: parsed.data };
}

export type FarEndEntry = z.output<typeof farEndEntrySchema>;
export type FarEndEntryInput = z.input<typeof farEndEntrySchema>;
export type FarEndTableConfig = z.output<typeof farEndTableSchema>;
export type FarEndTableInput = z.input<typeof farEndTableSchema>;

/** What the lookup found for a destination. */
export interface FarEndMatch {
  readonly scenario: FarEndScenario;
  /** The entry's name, or `default`. */
  readonly name: string;
  readonly matchedBy: 'number' | 'prefix' | 'default';
  readonly entry: FarEndEntry | undefined;
  /** The entry's impairment, else the table's; null when the media is clean. */
  readonly impairment: FarEndImpairment | null;
}

function keyOf(entry: FarEndEntry): string {
  return entry.number !== undefined ? `=${entry.number}` : `^${entry.prefix ?? ''}`;
}

/** The table, ready for lookups: built-ins (when on) overlaid by the configured entries. */
export class FarEndTable {
  readonly #exact = new Map<string, FarEndEntry>();
  /** Longest prefix first, so the first match is the most specific. */
  readonly #prefixes: FarEndEntry[];
  readonly #default: FarEndMatch;
  readonly #impairment: FarEndImpairment | null;
  readonly entries: readonly FarEndEntry[];
  /** See `farEndTableSchema.bridgeHangupAfterMs`. */
  readonly bridgeHangupAfterMs: number;

  constructor(config: FarEndTableConfig) {
    this.bridgeHangupAfterMs = config.bridgeHangupAfterMs;
    const merged = new Map<string, FarEndEntry>();
    if (config.builtInNumbers) for (const entry of BUILT_IN_FAR_END_NUMBERS) merged.set(keyOf(entry), entry);
    for (const entry of config.numbers) merged.set(keyOf(entry), entry);
    this.entries = [...merged.values()];
    for (const entry of this.entries) if (entry.number !== undefined) this.#exact.set(entry.number, entry);
    this.#prefixes = this.entries
      .filter((entry) => entry.prefix !== undefined)
      .sort((a, b) => (b.prefix ?? '').length - (a.prefix ?? '').length);
    this.#impairment = config.impairment;
    this.#default = {
      scenario: config.default,
      name: 'default',
      matchedBy: 'default',
      entry: undefined,
      impairment: config.impairment,
    };
  }

  /** The table with built-ins only. */
  static builtIn(): FarEndTable {
    return new FarEndTable(farEndTableSchema.parse({}));
  }

  /** The scenario for a destination the policy allowed (E.164 with `+`; other spellings are normalised). */
  lookup(destination: string): FarEndMatch {
    const e164 = destination.startsWith('+') ? destination : (toE164(destination) ?? destination);
    const exact = this.#exact.get(e164);
    if (exact) return this.#match(exact, 'number');
    for (const entry of this.#prefixes) {
      if (e164.startsWith(entry.prefix ?? '')) return this.#match(entry, 'prefix');
    }
    return this.#default;
  }

  #match(entry: FarEndEntry, matchedBy: 'number' | 'prefix'): FarEndMatch {
    return {
      scenario: entry.scenario,
      name: entry.name,
      matchedBy,
      entry,
      impairment: entry.impairment ?? this.#impairment,
    };
  }
}
