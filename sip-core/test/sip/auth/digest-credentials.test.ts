import { describe, expect, it } from 'vitest';
import {
  type DigestCredentials,
  formatDigestCredentials,
  parseDigestCredentials,
} from '../../../src/sip/auth/digest-credentials.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

// RFC 2617 §3.5, folded over several lines as printed there.
const RFC2617_AUTHORIZATION = [
  'Digest username="Mufasa",',
  '                 realm="testrealm@host.com",',
  '                 nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",',
  '                 uri="/dir/index.html",',
  '                 qop=auth,',
  '                 nc=00000001,',
  '                 cnonce="0a4f113b",',
  '                 response="6629fae49393a05397450978507c4ef1",',
  '                 opaque="5ccc069c403ebaf9f0171e9517f40e41"',
].join('\r\n');

describe('parseDigestCredentials', () => {
  it('reads the RFC 2617 §3.5 Authorization value, line folds included', () => {
    expect(parseDigestCredentials(RFC2617_AUTHORIZATION)).toEqual({
      username: 'Mufasa',
      userhash: false,
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      response: '6629fae49393a05397450978507c4ef1',
      algorithm: undefined,
      qop: 'auth',
      cnonce: '0a4f113b',
      nc: 1,
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    } satisfies DigestCredentials);
  });

  it('reads a SIP Proxy-Authorization as sip.js writes it', () => {
    const value =
      'Digest algorithm=MD5, username="alice", realm="1.zt.plivo.com", nonce="n1", ' +
      'uri="sip:+14155550100@1.zt.plivo.com", response="0123456789ABCDEF0123456789abcdef", ' +
      'opaque="o", qop=auth, cnonce="c", nc=0000000a';
    expect(parseDigestCredentials(value)).toMatchObject({
      username: 'alice',
      uri: 'sip:+14155550100@1.zt.plivo.com',
      response: '0123456789abcdef0123456789abcdef',
      algorithm: 'MD5',
      nc: 10,
    });
  });

  it('reads RFC 2069 credentials without qop, cnonce or nc', () => {
    const parsed = parseDigestCredentials(
      'Digest username="u", realm="r", nonce="n", uri="sip:x", response="ab"',
    );
    expect(parsed).toMatchObject({ qop: undefined, nc: undefined, cnonce: undefined });
  });

  it('decodes username* (RFC 7616 §3.4.4, RFC 8187)', () => {
    const value =
      'Digest username*=UTF-8\'\'J%C3%A4s%C3%B8n%20Doe, realm="r", nonce="n", uri="/", response="ab"';
    expect(parseDigestCredentials(value).username).toBe('Jäsøn Doe');
  });

  it('reads userhash', () => {
    const value = 'Digest username="5a1b", userhash=true, realm="r", nonce="n", uri="/", response="ab"';
    expect(parseDigestCredentials(value).userhash).toBe(true);
  });

  it.each([
    ['no username', 'Digest realm="r", nonce="n", uri="/", response="ab"'],
    ['no realm', 'Digest username="u", nonce="n", uri="/", response="ab"'],
    ['no nonce', 'Digest username="u", realm="r", uri="/", response="ab"'],
    ['no uri', 'Digest username="u", realm="r", nonce="n", response="ab"'],
    ['no response', 'Digest username="u", realm="r", nonce="n", uri="/"'],
    ['a non-hex response', 'Digest username="u", realm="r", nonce="n", uri="/", response="xyz"'],
    ['an empty response', 'Digest username="u", realm="r", nonce="n", uri="/", response=""'],
    [
      'qop without cnonce',
      'Digest username="u", realm="r", nonce="n", uri="/", response="ab", qop=auth, nc=00000001',
    ],
    [
      'qop without nc',
      'Digest username="u", realm="r", nonce="n", uri="/", response="ab", qop=auth, cnonce="c"',
    ],
    [
      'a short nc',
      'Digest username="u", realm="r", nonce="n", uri="/", response="ab", qop=auth, cnonce="c", nc=1',
    ],
    [
      'a non-hex nc',
      'Digest username="u", realm="r", nonce="n", uri="/", response="ab", qop=auth, cnonce="c", nc=0000000g',
    ],
    [
      'a zero nc',
      'Digest username="u", realm="r", nonce="n", uri="/", response="ab", qop=auth, cnonce="c", nc=00000000',
    ],
    [
      'username and username*',
      'Digest username="u", username*=UTF-8\'\'u, realm="r", nonce="n", uri="/", response="ab"',
    ],
    [
      'username* in another charset',
      'Digest username*=ISO-8859-1\'\'u, realm="r", nonce="n", uri="/", response="ab"',
    ],
    [
      'username* with a bad escape',
      'Digest username*=UTF-8\'\'%E0%A4%A, realm="r", nonce="n", uri="/", response="ab"',
    ],
    [
      'a duplicate response',
      'Digest username="u", realm="r", nonce="n", uri="/", response="ab", response="cd"',
    ],
  ])('refuses %s with ERR_DIGEST_MALFORMED', (_name, value) => {
    const error = expectErrorCode(() => parseDigestCredentials(value), 'ERR_DIGEST_MALFORMED');
    expect(error.message).not.toMatch(/"ab"|"cd"/);
  });

  it('refuses another scheme with ERR_DIGEST_UNSUPPORTED', () => {
    expectErrorCode(
      () => parseDigestCredentials('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=='),
      'ERR_DIGEST_UNSUPPORTED',
    );
  });
});

describe('formatDigestCredentials', () => {
  it('writes algorithm, qop and nc as tokens and everything else quoted', () => {
    const value = formatDigestCredentials({
      username: 'alice',
      userhash: false,
      realm: 'r',
      nonce: 'n',
      uri: 'sip:bob@r',
      response: 'ab',
      algorithm: 'SHA-256',
      qop: 'auth',
      cnonce: 'c',
      nc: 255,
      opaque: 'o',
    });
    expect(value).toBe(
      'Digest username="alice", realm="r", nonce="n", uri="sip:bob@r", response="ab", algorithm=SHA-256, ' +
        'cnonce="c", opaque="o", qop=auth, nc=000000ff',
    );
  });

  it.each<DigestCredentials>([
    { username: 'u', userhash: false, realm: 'r', nonce: 'n', uri: '/', response: 'ab' },
    {
      username: 'o"brien\\x',
      userhash: true,
      realm: 'r',
      nonce: 'n',
      uri: 'sip:+1@r;transport=tls',
      response: 'ab',
      algorithm: 'MD5-sess',
      qop: 'auth-int',
      cnonce: 'c',
      nc: 0xffffffff,
      opaque: '',
    },
  ])('round-trips %j', (credentials) => {
    expect(parseDigestCredentials(formatDigestCredentials(credentials))).toEqual({
      algorithm: undefined,
      qop: undefined,
      cnonce: undefined,
      nc: undefined,
      opaque: undefined,
      ...credentials,
    });
  });

  it('refuses a username with a line break (header injection) without echoing it', () => {
    const error = expectErrorCode(
      () =>
        formatDigestCredentials({
          username: 'alice\r\nX-Evil: 1',
          userhash: false,
          realm: 'r',
          nonce: 'n',
          uri: '/',
          response: 'ab',
        }),
      'ERR_DIGEST_UNREPRESENTABLE',
    );
    expect(error.message).not.toContain('alice');
  });
});
