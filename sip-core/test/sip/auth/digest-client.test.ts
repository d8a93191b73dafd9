import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { STRONGEST_FIRST } from '../../../src/sip/auth/digest-algorithm.js';
import { parseDigestChallenge } from '../../../src/sip/auth/digest-challenge.js';
import { DigestClient, type DigestClientOptions } from '../../../src/sip/auth/digest-client.js';
import { parseDigestCredentials } from '../../../src/sip/auth/digest-credentials.js';
import { computeDigestResponse, computeHa1 } from '../../../src/sip/auth/digest-response.js';
import { DigestSecret } from '../../../src/sip/auth/digest-secret.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

const REALM = '21784177241578.zt.plivo.com';
const INVITE = { method: 'INVITE', uri: `sip:+14155550100@${REALM}` } as const;

function challenge(algorithm: string | undefined, extra = ''): string {
  const alg = algorithm === undefined ? '' : `, algorithm=${algorithm}`;
  return `Digest realm="${REALM}", nonce="nonce-1", opaque="op"${alg}, qop="auth"${extra}`;
}

function client(options: Partial<DigestClientOptions> = {}): DigestClient {
  return new DigestClient({
    username: 'alice',
    secret: DigestSecret.fromPassword('pw'),
    createCnonce: () => 'cnonce-1',
    ...options,
  });
}

describe('DigestClient: which challenge is answered', () => {
  it.each([
    ['SHA-256 first, MD5 second → SHA-256', ['SHA-256', 'MD5'], 'SHA-256'],
    ['MD5 first, SHA-256 second → MD5', ['MD5', 'SHA-256'], 'MD5'],
    ['an unsupported algorithm first → the next one', ['SHA-1', 'MD5'], 'MD5'],
    ['a broken header first → the next one', ['@broken', 'SHA-256'], 'SHA-256'],
    ['SHA-512-256 first', ['SHA-512-256', 'SHA-256', 'MD5'], 'SHA-512-256'],
    ['lower-case spelling, echoed as written', ['sha-256'], 'sha-256'],
  ])('server order: %s', (_name, algorithms, expected) => {
    const values = algorithms.map((a) => (a === '@broken' ? 'Digest realm="unterminated' : challenge(a)));
    const answer = client().respond(values, INVITE);
    expect(answer.credentials.algorithm).toBe(expected);
  });

  it('an absent algorithm means MD5 and is answered with algorithm=MD5', () => {
    expect(client().respond([challenge(undefined)], INVITE).credentials.algorithm).toBe('MD5');
  });

  it('a local preference overrides the server order (STRONGEST_FIRST)', () => {
    const values = [challenge('MD5'), challenge('SHA-256')];
    const answer = client({ preferredAlgorithms: STRONGEST_FIRST }).respond(values, INVITE);
    expect(answer.credentials.algorithm).toBe('SHA-256');
  });

  it('skips challenges a precomputed MD5-only HA1 cannot answer', () => {
    const ha1 = computeHa1('MD5', 'alice', REALM, 'pw');
    const answer = client({ secret: DigestSecret.fromHa1({ MD5: ha1 }, { realm: REALM }) }).respond(
      [challenge('SHA-256'), challenge('MD5')],
      INVITE,
    );
    expect(answer.credentials.algorithm).toBe('MD5');
    expect(answer.credentials.response).toBe(
      computeDigestResponse({
        algorithm: 'MD5',
        ha1,
        nonce: 'nonce-1',
        cnonce: 'cnonce-1',
        nc: 1,
        qop: 'auth',
        ...INVITE,
      }),
    );
  });

  it('answers only its own realm when one is configured', () => {
    const other = challenge('MD5').replace(REALM, 'evil.example');
    const answer = client({ realm: REALM }).respond([other, challenge('MD5')], INVITE);
    expect(answer.credentials.realm).toBe(REALM);
    const error = expectErrorCode(
      () => client({ realm: REALM }).respond([other], INVITE),
      'ERR_DIGEST_NO_USABLE_CHALLENGE',
    );
    expect(error.message).toContain("realm 'evil.example'");
  });

  it('explains why nothing could be answered, without echoing header values', () => {
    const error = expectErrorCode(
      () =>
        client().respond(
          [
            challenge('SHA-1'),
            'Basic realm="x"',
            `Digest realm="${REALM}", nonce="nonce-1", qop="auth-conf"`,
          ],
          INVITE,
        ),
      'ERR_DIGEST_NO_USABLE_CHALLENGE',
    );
    expect(error.message).toMatch(/#1: .*'SHA-1'/);
    expect(error.message).toMatch(/#2: .*Basic/);
    expect(error.message).toMatch(/#3: .*auth-conf/);
    expect(error.message).not.toContain('nonce-1');
  });

  it('refuses an empty challenge list', () => {
    expectErrorCode(() => client().respond([], INVITE), 'ERR_DIGEST_NO_USABLE_CHALLENGE');
  });

  it('refuses a "-sess" algorithm without qop', () => {
    const value = `Digest realm="${REALM}", nonce="n", algorithm=MD5-sess`;
    expectErrorCode(() => client().respond([value], INVITE), 'ERR_DIGEST_NO_USABLE_CHALLENGE');
  });
});

describe('DigestClient: the credentials', () => {
  it('writes a complete, parseable Proxy-Authorization value', () => {
    const answer = client().respond([challenge('SHA-256')], INVITE);
    expect(parseDigestCredentials(answer.headerValue)).toEqual({
      username: 'alice',
      userhash: false,
      realm: REALM,
      nonce: 'nonce-1',
      uri: INVITE.uri,
      response: computeDigestResponse({
        algorithm: 'SHA-256',
        ha1: computeHa1('SHA-256', 'alice', REALM, 'pw'),
        nonce: 'nonce-1',
        cnonce: 'cnonce-1',
        nc: 1,
        qop: 'auth',
        ...INVITE,
      }),
      algorithm: 'SHA-256',
      qop: 'auth',
      cnonce: 'cnonce-1',
      nc: 1,
      opaque: 'op',
    });
  });

  it('counts uses of a nonce: a server repeating its nonce gets nc 1, 2, 3', () => {
    const c = client();
    const ncs = [1, 2, 3].map(() => c.respond([challenge('MD5')], INVITE).credentials.nc);
    expect(ncs).toEqual([1, 2, 3]);
    expect(c.respond([challenge('MD5').replace('nonce-1', 'nonce-2')], INVITE).credentials.nc).toBe(1);
  });

  it('reauthorizes a later request with the last challenge and the next nc', () => {
    const c = client();
    expect(c.reauthorize(INVITE)).toBeUndefined();
    c.respond([challenge('SHA-256')], INVITE);
    const bye = c.reauthorize({ method: 'BYE', uri: 'sip:contact@10.0.0.1' });
    expect(bye?.credentials).toMatchObject({ nc: 2, uri: 'sip:contact@10.0.0.1', algorithm: 'SHA-256' });
    expect(c.reauthorize(INVITE, 'unknown.realm')).toBeUndefined();
    expect(c.reauthorize(INVITE, REALM)?.credentials.nc).toBe(3);
    c.reset();
    expect(c.reauthorize(INVITE)).toBeUndefined();
  });

  it('forgets the least recently used nonce beyond its bound', () => {
    const c = client({ maxTrackedNonces: 2 });
    const nc = (nonce: string): number | undefined =>
      c.respond([challenge('MD5').replace('nonce-1', nonce)], INVITE).credentials.nc;
    expect([nc('a'), nc('b'), nc('a'), nc('c'), nc('b'), nc('a')]).toEqual([1, 1, 2, 1, 1, 1]);
  });

  it('draws a fresh 128-bit cnonce from the CSPRNG by default', () => {
    const c = new DigestClient({ username: 'alice', secret: DigestSecret.fromPassword('pw') });
    const cnonces = new Set(
      Array.from({ length: 50 }, () => c.respond([challenge('MD5')], INVITE).credentials.cnonce),
    );
    expect(cnonces.size).toBe(50);
    for (const cnonce of cnonces) expect(cnonce).toMatch(/^[0-9a-f]{32}$/);
  });

  it('answers an RFC 2069 challenge without qop: no cnonce, no nc', () => {
    const answer = client().respond([`Digest realm="${REALM}", nonce="n"`], INVITE);
    expect(answer.credentials).toMatchObject({ qop: undefined, cnonce: undefined, nc: undefined });
    expect(answer.headerValue).not.toMatch(/cnonce|nc=|qop/);
    expect(answer.credentials.response).toBe(
      computeDigestResponse({
        algorithm: 'MD5',
        ha1: computeHa1('MD5', 'alice', REALM, 'pw'),
        nonce: 'n',
        ...INVITE,
      }),
    );
  });

  it('prefers qop=auth, and uses auth-int over the body when that is all that is offered', () => {
    const both = challenge('MD5').replace('"auth"', '"auth-int,auth"');
    expect(client().respond([both], INVITE).credentials.qop).toBe('auth');
    const body = 'v=0\r\n';
    const answer = client().respond([challenge('MD5').replace('"auth"', '"auth-int"')], { ...INVITE, body });
    expect(answer.credentials.qop).toBe('auth-int');
    expect(answer.credentials.response).toBe(
      computeDigestResponse({
        algorithm: 'MD5',
        ha1: computeHa1('MD5', 'alice', REALM, 'pw'),
        nonce: 'nonce-1',
        cnonce: 'cnonce-1',
        nc: 1,
        qop: 'auth-int',
        body,
        ...INVITE,
      }),
    );
  });

  it('hashes the username when the server asks for userhash (RFC 7616 §3.4.4)', () => {
    const answer = client().respond([challenge('SHA-256', ', userhash=true')], INVITE);
    expect(answer.credentials.userhash).toBe(true);
    expect(answer.credentials.username).toBe(createHash('sha256').update(`alice:${REALM}`).digest('hex'));
    expect(answer.headerValue).toContain('userhash=true');
    expect(answer.headerValue).not.toContain('"alice"');
  });

  it('quotes awkward usernames correctly', () => {
    const c = client({ username: 'o"brien\\x' });
    expect(parseDigestCredentials(c.respond([challenge('MD5')], INVITE).headerValue).username).toBe(
      'o"brien\\x',
    );
  });

  it('authorize() answers a parsed challenge and refuses an unusable one', () => {
    const answer = client().authorize(parseDigestChallenge(challenge('SHA-512-256')), INVITE);
    expect(answer.credentials.algorithm).toBe('SHA-512-256');
    expectErrorCode(
      () => client().authorize(parseDigestChallenge(challenge('SHA-1')), INVITE),
      'ERR_DIGEST_NO_USABLE_CHALLENGE',
    );
  });

  it('refuses a precomputed HA1 bound to another realm', () => {
    const secret = DigestSecret.fromHa1({ MD5: '0'.repeat(32) }, { realm: 'other.realm' });
    expectErrorCode(
      () => client({ secret }).respond([challenge('MD5')], INVITE),
      'ERR_DIGEST_NO_USABLE_CHALLENGE',
    );
  });
});
