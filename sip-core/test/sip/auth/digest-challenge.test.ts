import { describe, expect, it } from 'vitest';
import {
  type DigestChallenge,
  formatDigestChallenge,
  parseDigestChallenge,
} from '../../../src/sip/auth/digest-challenge.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

describe('parseDigestChallenge', () => {
  it('reads the RFC 7616 §3.9.1 challenge', () => {
    const value =
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, ' +
      'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    expect(parseDigestChallenge(value)).toEqual({
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      stale: false,
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
      domain: undefined,
      userhash: false,
      charset: undefined,
    } satisfies DigestChallenge);
  });

  // Shapes seen from real servers: each stack quotes and spells a little differently.
  it.each<[string, string, Partial<DigestChallenge>]>([
    [
      'SIPp / Asterisk style',
      'Digest algorithm=MD5, realm="asterisk", nonce="1a2b3c4d"',
      { realm: 'asterisk', nonce: '1a2b3c4d', algorithm: 'MD5', qop: undefined },
    ],
    [
      'FreeSWITCH style (qop quoted, no opaque)',
      'Digest realm="10.0.0.1", nonce="b7c9036c-8a1c-11e0", algorithm=MD5, qop="auth"',
      { realm: '10.0.0.1', algorithm: 'MD5', qop: ['auth'], opaque: undefined },
    ],
    [
      'Kamailio stale re-challenge',
      'Digest realm="sip.example.com", nonce="Wq3+bVqt/UEVp3C0", qop="auth", stale=true',
      { stale: true, qop: ['auth'] },
    ],
    ['stale written TRUE', 'Digest realm="r", nonce="n", stale=TRUE', { stale: true }],
    ['stale quoted', 'Digest realm="r", nonce="n", stale="true"', { stale: true }],
    ['stale with a junk value reads false', 'Digest realm="r", nonce="n", stale=maybe', { stale: false }],
    [
      'lower-case algorithm kept as written',
      'digest realm="r", nonce="n", algorithm=md5',
      { algorithm: 'md5' },
    ],
    ['unquoted qop', 'Digest realm="r", nonce="n", qop=auth', { qop: ['auth'] }],
    [
      'qop upper-case and spaced',
      'Digest realm="r", nonce="n", qop=" AUTH , Auth-Int "',
      { qop: ['auth', 'auth-int'] },
    ],
    [
      'domain, charset, userhash (RFC 7616 §3.3)',
      'Digest realm="r", nonce="n", domain="sip:a.example sip:b.example", charset=UTF-8, userhash=true',
      { domain: ['sip:a.example', 'sip:b.example'], charset: 'UTF-8', userhash: true },
    ],
    ['unknown extension parameters are ignored', 'Digest realm="r", nonce="n", x-foo="bar"', { realm: 'r' }],
  ])('reads %s', (_name, value, expected) => {
    expect(parseDigestChallenge(value)).toMatchObject(expected);
  });

  it.each([
    ['no realm', 'Digest nonce="n"', 'ERR_DIGEST_MALFORMED'],
    ['no nonce', 'Digest realm="r"', 'ERR_DIGEST_MALFORMED'],
    ['no parameters at all', 'Digest', 'ERR_DIGEST_MALFORMED'],
    ['an empty qop list', 'Digest realm="r", nonce="n", qop=" , "', 'ERR_DIGEST_MALFORMED'],
    ['broken syntax', 'Digest realm="r, nonce="n"', 'ERR_DIGEST_MALFORMED'],
    ['another scheme', 'Basic realm="r"', 'ERR_DIGEST_UNSUPPORTED'],
    ['a bearer token', 'Bearer realm="r", scope="x"', 'ERR_DIGEST_UNSUPPORTED'],
  ])('refuses %s', (_name, value, code) => {
    expectErrorCode(() => parseDigestChallenge(value), code);
  });
});

describe('formatDigestChallenge', () => {
  it('writes the conventional SIP shape', () => {
    expect(
      formatDigestChallenge({
        realm: '21784177241578.zt.plivo.com',
        nonce: 'abc',
        opaque: 'xyz',
        stale: false,
        algorithm: 'MD5',
        qop: ['auth'],
        userhash: false,
      }),
    ).toBe(
      'Digest realm="21784177241578.zt.plivo.com", nonce="abc", opaque="xyz", algorithm=MD5, qop="auth"',
    );
  });

  it.each<DigestChallenge>([
    { realm: 'r', nonce: 'n', stale: false, userhash: false },
    {
      realm: 'we"ird\\realm',
      nonce: 'n/+=',
      stale: true,
      algorithm: 'SHA-256',
      qop: ['auth', 'auth-int'],
      userhash: false,
    },
    {
      realm: 'r',
      nonce: 'n',
      opaque: '',
      stale: false,
      algorithm: 'SHA-512-256-sess',
      qop: ['auth'],
      domain: ['sip:a', 'sip:b'],
      charset: 'UTF-8',
      userhash: true,
    },
  ])('round-trips %j', (challenge) => {
    const parsed = parseDigestChallenge(formatDigestChallenge(challenge));
    expect(parsed).toEqual({
      opaque: undefined,
      algorithm: undefined,
      qop: undefined,
      domain: undefined,
      charset: undefined,
      ...challenge,
    });
  });
});
