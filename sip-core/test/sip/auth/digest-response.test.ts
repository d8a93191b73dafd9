import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { DigestAlgorithm, DigestHashName } from '../../../src/sip/auth/digest-algorithm.js';
import {
  computeDigestResponse,
  computeHa1,
  type DigestQop,
  formatNonceCount,
} from '../../../src/sip/auth/digest-response.js';
import { expectErrorCode } from '../../support/expect-error-code.js';
import { shouldRunWith } from '../../support/peer-binary.js';

describe('known answers from the RFCs', () => {
  it.each<[string, DigestAlgorithm, string, string, string, string, string]>([
    // name, algorithm, realm, password, nonce, cnonce, expected response (method GET, uri /dir/index.html,
    // user Mufasa, qop=auth, nc=00000001)
    [
      'RFC 2617 §3.5',
      'MD5',
      'testrealm@host.com',
      'Circle Of Life',
      'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      '0a4f113b',
      '6629fae49393a05397450978507c4ef1',
    ],
    [
      'RFC 7616 §3.9.1 (MD5)',
      'MD5',
      'http-auth@example.org',
      'Circle of Life',
      '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      '8ca523f5e9506fed4657c9700eebdbec',
    ],
    [
      'RFC 7616 §3.9.1 (SHA-256)',
      'SHA-256',
      'http-auth@example.org',
      'Circle of Life',
      '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    ],
  ])('%s', (_name, algorithm, realm, password, nonce, cnonce, expected) => {
    const hash = algorithm as DigestHashName;
    const response = computeDigestResponse({
      algorithm,
      ha1: computeHa1(hash, 'Mufasa', realm, password),
      nonce,
      cnonce,
      nc: 1,
      qop: 'auth',
      method: 'GET',
      uri: '/dir/index.html',
    });
    expect(response).toBe(expected);
  });
});

// SIP-flavoured cases: a Zentrunk-like trunk, each algorithm family, qop auth / auth-int / none, and the
// "-sess" variants. The expected values were computed with the `openssl dgst` CLI (an implementation that
// shares no code with node:crypto's callers here) from the formulas of RFC 7616 §3.4.1–3.4.3; the second test
// recomputes them with openssl on every run, so the literals cannot drift from the formulas.
const REALM = '21784177241578.zt.plivo.com';
const USER = 'zt_alice';
const PASSWORD = 'S3cret!pass';
const URI = 'sip:+14155550100@21784177241578.zt.plivo.com';
const NONCE = 'AQGbdtqoANSC6DWlMjHAviIEq2ts00jyolbKO-8G_NU';
const CNONCE = '6b8b4567327b23c6643c986966334873';
const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/SAVP 0 8 101\r\n';

interface SipCase {
  readonly name: string;
  readonly algorithm: DigestAlgorithm;
  readonly method: string;
  readonly qop?: DigestQop;
  readonly nc?: number;
  readonly body?: string;
  readonly expected: string;
}

const SIP_CASES: readonly SipCase[] = [
  {
    name: 'MD5, qop=auth, INVITE',
    algorithm: 'MD5',
    method: 'INVITE',
    qop: 'auth',
    nc: 1,
    expected: 'b24d776c45dedb2f9695779b3f6ed6f4',
  },
  {
    name: 'SHA-256, qop=auth, BYE with nc=2',
    algorithm: 'SHA-256',
    method: 'BYE',
    qop: 'auth',
    nc: 2,
    expected: '00e859dd0e788a6a4a464103a0cc0f4028cb1d0e22ed559e2c2239c24ebac2fc',
  },
  {
    name: 'SHA-256-sess, qop=auth',
    algorithm: 'SHA-256-sess',
    method: 'INVITE',
    qop: 'auth',
    nc: 1,
    expected: '1cc1c922bfc5276377f57b401cfa40df52eb4dcabf42c6c3781734ddddd79fc7',
  },
  {
    name: 'SHA-512-256, qop=auth-int over an SDP body',
    algorithm: 'SHA-512-256',
    method: 'INVITE',
    qop: 'auth-int',
    nc: 1,
    body: SDP,
    expected: '13a62caaa98517f7a7fc02604785e96ab925a2e1d506fa24cefab9e0bc9d5c2a',
  },
  {
    name: 'MD5 without qop (RFC 2069)',
    algorithm: 'MD5',
    method: 'OPTIONS',
    expected: '7c386d4070e309020d11df3b663dfeca',
  },
  {
    name: 'MD5-sess, qop=auth, nc=0x1f',
    algorithm: 'MD5-sess',
    method: 'REFER',
    qop: 'auth',
    nc: 0x1f,
    expected: '9b9b0020e2c84935a7f35255337a7317',
  },
];

const OPENSSL_FLAG: Record<DigestHashName, string> = {
  MD5: '-md5',
  'SHA-256': '-sha256',
  'SHA-512-256': '-sha512-256',
};

function openssl(hash: DigestHashName, data: string): string {
  const out = execFileSync('openssl', ['dgst', '-r', OPENSSL_FLAG[hash]], {
    input: Buffer.from(data, 'utf8'),
  });
  return out.toString('latin1').split(' ')[0] ?? '';
}

/** RFC 7616 §3.4.1–3.4.3, written out again with openssl as the hash. */
function opensslResponse(c: SipCase): string {
  const hash = c.algorithm.replace(/-sess$/, '') as DigestHashName;
  const H = (data: string): string => openssl(hash, data);
  let ha1 = H(`${USER}:${REALM}:${PASSWORD}`);
  if (c.algorithm.endsWith('-sess')) ha1 = H(`${ha1}:${NONCE}:${CNONCE}`);
  const ha2 = c.qop === 'auth-int' ? H(`${c.method}:${URI}:${H(c.body ?? '')}`) : H(`${c.method}:${URI}`);
  if (c.qop === undefined) return H(`${ha1}:${NONCE}:${ha2}`);
  const nc = (c.nc ?? 1).toString(16).padStart(8, '0');
  return H(`${ha1}:${NONCE}:${nc}:${CNONCE}:${c.qop}:${ha2}`);
}

function ourResponse(c: SipCase): string {
  const hash = c.algorithm.replace(/-sess$/, '') as DigestHashName;
  return computeDigestResponse({
    algorithm: c.algorithm,
    ha1: computeHa1(hash, USER, REALM, PASSWORD),
    nonce: NONCE,
    cnonce: c.qop !== undefined || c.algorithm.endsWith('-sess') ? CNONCE : undefined,
    nc: c.nc,
    qop: c.qop,
    method: c.method,
    uri: URI,
    body: c.body,
  });
}

describe('SIP-flavoured known answers', () => {
  it.each(SIP_CASES)('$name', (c) => {
    expect(ourResponse(c)).toBe(c.expected);
  });

  it.runIf(shouldRunWith('openssl'))(
    'agree with an independent openssl computation of the RFC formulas',
    () => {
      for (const c of SIP_CASES) expect(opensslResponse(c), c.name).toBe(c.expected);
    },
  );

  it('hashes a body given as bytes like the same body given as text', () => {
    const response = computeDigestResponse({
      algorithm: 'SHA-512-256',
      ha1: computeHa1('SHA-512-256', USER, REALM, PASSWORD),
      nonce: NONCE,
      cnonce: CNONCE,
      nc: 1,
      qop: 'auth-int',
      method: 'INVITE',
      uri: URI,
      body: Buffer.from(SDP, 'utf8'),
    });
    expect(response).toBe('13a62caaa98517f7a7fc02604785e96ab925a2e1d506fa24cefab9e0bc9d5c2a');
  });

  it('treats an absent body as empty for auth-int', () => {
    const base = {
      algorithm: 'MD5',
      ha1: 'a'.repeat(32),
      nonce: 'n',
      cnonce: 'c',
      nc: 1,
      qop: 'auth-int',
      method: 'BYE',
      uri: 'sip:x',
    } as const;
    expect(computeDigestResponse(base)).toBe(computeDigestResponse({ ...base, body: '' }));
    expect(computeDigestResponse(base)).not.toBe(computeDigestResponse({ ...base, body: 'x' }));
  });
});

describe('input checks', () => {
  const base = { ha1: 'a'.repeat(32), nonce: 'n', method: 'INVITE', uri: 'sip:x' } as const;

  it('refuses a qop without cnonce or nc, and a "-sess" algorithm without cnonce', () => {
    expectErrorCode(
      () => computeDigestResponse({ ...base, algorithm: 'MD5', qop: 'auth', nc: 1 }),
      'ERR_DIGEST_MALFORMED',
    );
    expectErrorCode(
      () => computeDigestResponse({ ...base, algorithm: 'MD5', qop: 'auth', cnonce: 'c' }),
      'ERR_DIGEST_MALFORMED',
    );
    expectErrorCode(() => computeDigestResponse({ ...base, algorithm: 'MD5-sess' }), 'ERR_DIGEST_MALFORMED');
  });

  it('refuses an unknown algorithm', () => {
    expectErrorCode(
      () => computeDigestResponse({ ...base, algorithm: 'SHA-1' as DigestAlgorithm }),
      'ERR_DIGEST_UNSUPPORTED',
    );
  });

  it.each([
    [1, '00000001'],
    [255, '000000ff'],
    [0xffffffff, 'ffffffff'],
  ])('formats nc %i as %s', (nc, text) => {
    expect(formatNonceCount(nc)).toBe(text);
  });

  it.each([0, -1, 1.5, 0x100000000, Number.NaN])('refuses nc %d', (nc) => {
    expectErrorCode(() => formatNonceCount(nc), 'ERR_DIGEST_MALFORMED');
  });
});
