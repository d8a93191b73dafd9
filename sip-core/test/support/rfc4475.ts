// The RFC 4475 torture messages and their verdicts (sip-core/test/fixtures/rfc4475/README.md), read as bytes.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const DIR = fileURLToPath(new URL('../fixtures/rfc4475/', import.meta.url));

export type Rfc4475Verdict = 'valid' | 'invalid' | 'valid-but-unacceptable';

export interface Rfc4475Case {
  readonly file: string;
  readonly section: string;
  readonly title: string;
  readonly verdict: Rfc4475Verdict;
  readonly expect?: string;
  readonly expect_alt?: readonly string[];
  readonly by_role?: Readonly<Record<string, string>>;
  readonly liberal_ok?: boolean;
  readonly transport?: 'udp';
  readonly bytes: number;
}

export const RFC4475_CASES: readonly Rfc4475Case[] = JSON.parse(
  readFileSync(`${DIR}verdicts.json`, 'utf8'),
) as Rfc4475Case[];

/** The bytes of a torture message, e.g. `torture('wsinv')` or `torture('variants/baddn-terminated')`. */
export function torture(name: string): Buffer {
  return readFileSync(`${DIR}${name.endsWith('.dat') ? name : `${name}.dat`}`);
}
