import { createSecretKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  issueDigestNonce,
  NONCE_ISSUED_AT_OFFSET,
  NONCE_SIZE_BYTES,
  NONCE_TEXT_LENGTH,
  NONCE_VERSION_OFFSET,
  openDigestNonce,
} from '../../../src/sip/auth/digest-nonce.js';

const KEY = createSecretKey(Buffer.alloc(32, 7));
const OTHER_KEY = createSecretKey(Buffer.alloc(32, 8));
const REALM = '21784177241578.zt.plivo.com';
const ISSUED_AT_MS = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
const SALT = Buffer.from('000102030405060708', 'hex');

describe('stateless digest nonces', () => {
  it('round-trips the issue time', () => {
    const nonce = issueDigestNonce(KEY, REALM, ISSUED_AT_MS);
    expect(nonce).toHaveLength(NONCE_TEXT_LENGTH);
    expect(nonce).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openDigestNonce(KEY, REALM, nonce)).toEqual({ issuedAtMs: ISSUED_AT_MS });
  });

  it('lays out version, big-endian time and salt at the documented offsets (known answer)', () => {
    const nonce = issueDigestNonce(KEY, REALM, ISSUED_AT_MS, SALT);
    const bytes = Buffer.from(nonce, 'base64url');
    expect(bytes).toHaveLength(NONCE_SIZE_BYTES);
    expect(bytes[NONCE_VERSION_OFFSET]).toBe(1);
    expect(bytes.readUIntBE(NONCE_ISSUED_AT_OFFSET, 6)).toBe(ISSUED_AT_MS);
    expect(bytes.subarray(7, 16).toString('hex')).toBe('000102030405060708');
    // Deterministic for fixed inputs: a change to the layout or the tag is a visible change here.
    expect(issueDigestNonce(KEY, REALM, ISSUED_AT_MS, SALT)).toBe(nonce);
  });

  it('gives a fresh nonce each time (random salt)', () => {
    const seen = new Set(Array.from({ length: 100 }, () => issueDigestNonce(KEY, REALM, ISSUED_AT_MS)));
    expect(seen.size).toBe(100);
  });

  it('refuses a nonce with any single byte altered', () => {
    const bytes = Buffer.from(issueDigestNonce(KEY, REALM, ISSUED_AT_MS), 'base64url');
    for (let i = 0; i < bytes.length; i += 1) {
      const tampered = Buffer.from(bytes);
      tampered[i] = (tampered[i] ?? 0) ^ 0x01;
      expect(openDigestNonce(KEY, REALM, tampered.toString('base64url')), `byte ${i}`).toBeUndefined();
    }
  });

  it('refuses a nonce whose time was moved forward (the usual forgery)', () => {
    const bytes = Buffer.from(issueDigestNonce(KEY, REALM, ISSUED_AT_MS), 'base64url');
    bytes.writeUIntBE(ISSUED_AT_MS + 3_600_000, NONCE_ISSUED_AT_OFFSET, 6);
    expect(openDigestNonce(KEY, REALM, bytes.toString('base64url'))).toBeUndefined();
  });

  it('refuses a nonce issued for another realm or under another secret', () => {
    const nonce = issueDigestNonce(KEY, REALM, ISSUED_AT_MS);
    expect(openDigestNonce(KEY, 'other.zt.plivo.com', nonce)).toBeUndefined();
    expect(openDigestNonce(OTHER_KEY, REALM, nonce)).toBeUndefined();
  });

  it('refuses a non-canonical spelling of a valid nonce', () => {
    const nonce = issueDigestNonce(KEY, REALM, ISSUED_AT_MS, SALT);
    // The last character holds 4 data bits and 2 spare bits; flipping a spare bit decodes to the same bytes.
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const last = alphabet.indexOf(nonce.slice(-1));
    const variant = nonce.slice(0, -1) + alphabet.charAt(last ^ 0x01);
    expect(Buffer.from(variant, 'base64url').equals(Buffer.from(nonce, 'base64url'))).toBe(true);
    expect(openDigestNonce(KEY, REALM, variant)).toBeUndefined();
  });

  it.each([
    ['empty', ''],
    ['too short', 'AQGb'],
    ['too long', `${'A'.repeat(NONCE_TEXT_LENGTH)}A`],
    ['not base64url', `${'A'.repeat(NONCE_TEXT_LENGTH - 1)}/`],
    ['padding', `${'A'.repeat(NONCE_TEXT_LENGTH - 1)}=`],
    ['a foreign nonce', 'dcd98b7102dd2f0e8b11d0f600bfb0c093'],
  ])('returns undefined (never throws) for %s input', (_name, nonce) => {
    expect(openDigestNonce(KEY, REALM, nonce)).toBeUndefined();
  });

  it('refuses an unknown version even with a matching tag length', () => {
    const bytes = Buffer.from(issueDigestNonce(KEY, REALM, ISSUED_AT_MS), 'base64url');
    bytes[NONCE_VERSION_OFFSET] = 2;
    expect(openDigestNonce(KEY, REALM, bytes.toString('base64url'))).toBeUndefined();
  });
});
