import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  type SdesRefusal,
  generateSdesCrypto,
  readSdesCrypto,
  toSdpCrypto,
} from '../../../src/media/sdes/sdes-crypto.js';
import { SdpCrypto } from '../../../src/media/sdp/session-description.js';
import { seededBytes } from '../../support/seeded-random.js';

const KEY = 'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk'; // "ABCDEFGHIJKLMNOPQRSTUVWXYZabcd": 16 key + 14 salt octets

function crypto(value: string): SdpCrypto {
  const [tag, suite, keyParams, ...sessionParams] = value.split(' ');
  return new SdpCrypto(Number(tag), suite, keyParams, sessionParams);
}

describe('readSdesCrypto', () => {
  it('reads key and salt from inline: (RFC 4568 §6.1)', () => {
    const result = readSdesCrypto(crypto(`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}`));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.crypto.tag).toBe(1);
    expect(result.crypto.profile).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(result.crypto.masterKey.key.toString()).toBe('ABCDEFGHIJKLMNOP');
    expect(result.crypto.masterKey.salt.toString()).toBe('QRSTUVWXYZabcd');
    expect(result.crypto.lifetimePackets).toBeUndefined();
  });

  // [a=crypto value, lifetime in packets, window size hint]
  const accepted: Array<[string, number | undefined, number | undefined]> = [
    [`1 AES_CM_128_HMAC_SHA1_32 inline:${KEY}`, undefined, undefined],
    [`2 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^31`, 2 ** 31, undefined],
    [`3 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|1048576`, 1_048_576, undefined],
    [`4 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^48`, 2 ** 48, undefined],
    [`5 AES_CM_128_HMAC_SHA1_80 inline:${KEY} WSH=256`, undefined, 256],
  ];
  it.each(accepted)('accepts %s', (value, lifetime, wsh) => {
    const result = readSdesCrypto(crypto(value));
    expect(result.ok && [result.crypto.lifetimePackets, result.crypto.windowSizeHint]).toEqual([
      lifetime,
      wsh,
    ]);
  });

  // [a=crypto value, refusal, phrase of the detail]
  const refused: Array<[string, SdesRefusal, string]> = [
    [`1 AES_256_CM_HMAC_SHA1_80 inline:${KEY}`, 'unknown-suite', 'AES_256_CM_HMAC_SHA1_80 is not supported'],
    [`1 F8_128_HMAC_SHA1_80 inline:${KEY}`, 'unknown-suite', 'F8_128_HMAC_SHA1_80'],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|1:4`, 'mki-unsupported', 'MKI (1:4)'],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|1:4`, 'mki-unsupported', 'MKI'],
    [
      `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|1:4;inline:${KEY}|2^20|2:4`,
      'multiple-keys-unsupported',
      'several keys',
    ],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^49`, 'bad-lifetime', '2^49'],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|forever`, 'bad-lifetime', 'forever'],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY}|2^20|2^21`, 'bad-lifetime', 'two lifetimes'],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:QUJD`, 'bad-key-length', '3 octets'],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:not*base64`, 'bad-key-params', 'not base64'],
    [`1 AES_CM_128_HMAC_SHA1_80 uri:https://keys.example/1`, 'bad-key-params', 'no inline: key'],
    [
      `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} UNENCRYPTED_SRTP`,
      'unsupported-session-parameter',
      'UNENCRYPTED_SRTP',
    ],
    [
      `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} UNENCRYPTED_SRTCP`,
      'unsupported-session-parameter',
      'UNENCRYPTED_SRTCP',
    ],
    [
      `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} UNAUTHENTICATED_SRTP`,
      'unsupported-session-parameter',
      'UNAUTHENTICATED_SRTP',
    ],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} KDR=23`, 'unsupported-session-parameter', 'KDR'],
    [
      `1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} FEC_ORDER=SRTP_FEC`,
      'unsupported-session-parameter',
      'FEC_ORDER',
    ],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} WSH=32`, 'unsupported-session-parameter', 'WSH'],
    [`1 AES_CM_128_HMAC_SHA1_80 inline:${KEY} X_VENDOR=1`, 'unsupported-session-parameter', 'X_VENDOR'],
  ];
  it.each(refused)('refuses %s as %s, without quoting the key', (value, refusal, phrase) => {
    const result = readSdesCrypto(crypto(value));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal).toBe(refusal);
    expect(result.detail).toContain(phrase);
    expect(result.detail).not.toContain(KEY);
  });
});

describe('generateSdesCrypto and toSdpCrypto', () => {
  it('writes a fresh key as inline:base64(key||salt) and reads back the same key', () => {
    const generated = generateSdesCrypto(3, 'AES_CM_128_HMAC_SHA1_32');
    const line = toSdpCrypto(generated);
    expect(line.toValue()).toMatch(/^3 AES_CM_128_HMAC_SHA1_32 inline:[A-Za-z0-9+/]{40}$/);
    const read = readSdesCrypto(line);
    expect(read.ok && read.crypto.masterKey.equals(generated.masterKey)).toBe(true);
  });

  it('uses a strong random source: two calls give different keys', () => {
    const a = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80');
    const b = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80');
    expect(a.masterKey.equals(b.masterKey)).toBe(false);
  });

  it('takes the random source it is given (tests only)', () => {
    const a = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', seededBytes(7));
    const b = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80', seededBytes(7));
    expect(a.masterKey.equals(b.masterKey)).toBe(true);
  });
});

describe('keys are never printed', () => {
  const generated = generateSdesCrypto(1, 'AES_CM_128_HMAC_SHA1_80');
  const base64 = generated.masterKey.keySalt().toString('base64');
  const hexKey = generated.masterKey.key.toString('hex');
  const line = toSdpCrypto(generated);

  it.each([
    ['util.inspect of the SDES crypto', () => inspect(generated, { depth: 10, showHidden: true })],
    ['JSON of the SDES crypto', () => JSON.stringify(generated)],
    ['string conversion of the master key', () => `${String(generated.masterKey)}`],
    ['util.inspect of the a=crypto attribute', () => inspect(line, { depth: 10 })],
    ['JSON of the a=crypto attribute', () => JSON.stringify(line)],
    ['string conversion of the a=crypto attribute', () => String(line)],
  ])('%s', (_what, print) => {
    const printed = print();
    expect(printed).not.toContain(base64);
    expect(printed).not.toContain(hexKey);
    expect(printed).toMatch(/redacted/);
  });

  it('still puts the key on the wire', () => {
    expect(line.toValue()).toContain(base64);
  });
});
