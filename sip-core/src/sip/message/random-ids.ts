// Identifiers that must be unique across space and time: branches (RFC 3261 §8.1.1.7), tags (§19.3, at least
// 32 random bits) and Call-IDs (§8.1.1.4). All come from the CSPRNG: a predictable tag or Call-ID lets an
// off-path attacker forge in-dialog requests such as BYE. Random bytes are drawn in blocks because one
// `randomFillSync` call per identifier would cost more than the rest of building a request.

import { randomFillSync } from 'node:crypto';
import { MAGIC_COOKIE } from './via.js';

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

function randomHex(bytes: number): string {
  if (offset + bytes > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  // The used bytes are overwritten so that nothing that served as an identifier stays readable in the pool.
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return hex;
}

/** `z9hG4bK` + 96 random bits in hex: globally unique, and still unique when compared case-insensitively. */
export function generateBranch(): string {
  return MAGIC_COOKIE + randomHex(12);
}

/** A From/To tag with 64 random bits. */
export function generateTag(): string {
  return randomHex(8);
}

/** A Call-ID with 128 random bits, optionally `@host` (RFC 3261 §8.1.1.4 recommends it but needs no host). */
export function generateCallId(host?: string): string {
  const id = randomHex(16);
  return host === undefined ? id : `${id}@${host}`;
}
