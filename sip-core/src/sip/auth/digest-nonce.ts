// Stateless server nonces. RFC 7616 §3.3 suggests a nonce built from a timestamp and a private key so that the
// server can tell, without remembering anything, that it issued the nonce and how old it is. Ours:
//
//    0        1                   7                            16                                 32
//   +--------+-------------------+----------------------------+----------------------------------+
//   |version |  issued-at (48 b) |  salt (72 b)               |  tag (128 b)                     |
//   | 0x01   |  ms since epoch   |  CSPRNG, makes each nonce  |  HMAC-SHA-256(secret, bytes 0-15 |
//   |        |  big-endian       |  unique for nc tracking    |  || 0x00 || realm), first 16 B   |
//   +--------+-------------------+----------------------------+----------------------------------+
//
// 32 bytes, sent as unpadded base64url (43 characters: letters, digits, '-' and '_', safe inside a quoted
// string and in every stack's nonce grammar). The realm is under the tag, so a nonce issued for one trunk
// domain is refused by another even though the emulator uses one secret for all of them. A 128-bit tag makes
// forgery infeasible; 48 bits of milliseconds last until the year 10889.

import { createHmac, type KeyObject, randomBytes, timingSafeEqual } from 'node:crypto';

export const NONCE_VERSION = 0x01;
export const NONCE_VERSION_OFFSET = 0;
export const NONCE_ISSUED_AT_OFFSET = 1;
export const NONCE_ISSUED_AT_BYTES = 6;
export const NONCE_SALT_OFFSET = 7;
export const NONCE_SALT_BYTES = 9;
export const NONCE_TAG_OFFSET = 16;
export const NONCE_TAG_BYTES = 16;
export const NONCE_SIZE_BYTES = NONCE_TAG_OFFSET + NONCE_TAG_BYTES;
/** The length of the base64url text of a nonce. */
export const NONCE_TEXT_LENGTH = Math.ceil((NONCE_SIZE_BYTES * 4) / 3);

const REALM_SEPARATOR = Buffer.from([0x00]);

function computeTag(key: KeyObject, signed: Uint8Array, realm: string): Buffer {
  return createHmac('sha256', key)
    .update(signed)
    .update(REALM_SEPARATOR)
    .update(realm, 'utf8')
    .digest()
    .subarray(0, NONCE_TAG_BYTES);
}

/** Issues a nonce for `realm` at `issuedAtMs` (epoch milliseconds). `salt` is for deterministic tests. */
export function issueDigestNonce(
  key: KeyObject,
  realm: string,
  issuedAtMs: number,
  salt: Uint8Array = randomBytes(NONCE_SALT_BYTES),
): string {
  const bytes = Buffer.alloc(NONCE_SIZE_BYTES);
  bytes.writeUInt8(NONCE_VERSION, NONCE_VERSION_OFFSET);
  bytes.writeUIntBE(Math.max(0, Math.floor(issuedAtMs)), NONCE_ISSUED_AT_OFFSET, NONCE_ISSUED_AT_BYTES);
  bytes.set(salt.subarray(0, NONCE_SALT_BYTES), NONCE_SALT_OFFSET);
  computeTag(key, bytes.subarray(0, NONCE_TAG_OFFSET), realm).copy(bytes, NONCE_TAG_OFFSET);
  return bytes.toString('base64url');
}

/**
 * Checks that `nonce` was issued by the holder of `key` for `realm` and returns its issue time; undefined for
 * anything else (forged, altered, truncated, another realm, another secret, not base64url). Never throws: the
 * nonce comes straight from the network.
 */
export function openDigestNonce(
  key: KeyObject,
  realm: string,
  nonce: string,
): { issuedAtMs: number } | undefined {
  if (nonce.length !== NONCE_TEXT_LENGTH || !/^[A-Za-z0-9_-]+$/.test(nonce)) return undefined;
  const bytes = Buffer.from(nonce, 'base64url');
  // The last base64 character carries two spare bits; requiring the canonical spelling keeps one nonce one
  // string, which the nonce-count tracker relies on.
  if (bytes.length !== NONCE_SIZE_BYTES || bytes.toString('base64url') !== nonce) return undefined;
  if (bytes.readUInt8(NONCE_VERSION_OFFSET) !== NONCE_VERSION) return undefined;
  const expected = computeTag(key, bytes.subarray(0, NONCE_TAG_OFFSET), realm);
  if (!timingSafeEqual(expected, bytes.subarray(NONCE_TAG_OFFSET))) return undefined;
  return { issuedAtMs: bytes.readUIntBE(NONCE_ISSUED_AT_OFFSET, NONCE_ISSUED_AT_BYTES) };
}
