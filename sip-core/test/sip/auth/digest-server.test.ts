import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import type { DigestAlgorithm } from '../../../src/sip/auth/digest-algorithm.js';
import { parseDigestChallenge } from '../../../src/sip/auth/digest-challenge.js';
import { DigestClient } from '../../../src/sip/auth/digest-client.js';
import {
  type DigestCredentials,
  formatDigestCredentials,
  parseDigestCredentials,
} from '../../../src/sip/auth/digest-credentials.js';
import { computeHa1, type DigestRequest } from '../../../src/sip/auth/digest-response.js';
import { DigestSecret } from '../../../src/sip/auth/digest-secret.js';
import {
  DigestServer,
  type DigestServerOptions,
  type DigestUriCheck,
} from '../../../src/sip/auth/digest-server.js';
import {
  type DigestAction,
  type DigestVerification,
  type DigestVerificationKind,
  digestVerificationAction,
} from '../../../src/sip/auth/digest-verification.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

const REALM = '21784177241578.zt.plivo.com';
const INVITE: DigestRequest = { method: 'INVITE', uri: `sip:+14155550100@${REALM}` };
const USERS = new Map([
  ['alice', DigestSecret.fromPassword('alice-pw')],
  ['bob', DigestSecret.fromHa1({ MD5: computeHa1('MD5', 'bob', REALM, 'bob-pw') }, { realm: REALM })],
]);

function lookup(username: string, realm: string): DigestSecret | undefined {
  return realm === REALM ? USERS.get(username) : undefined;
}

function setup(options: Partial<DigestServerOptions> = {}): { clock: ManualClock; server: DigestServer } {
  const clock = new ManualClock();
  const server = new DigestServer({
    clock,
    secret: Buffer.alloc(32, 1),
    algorithms: ['SHA-256', 'MD5'],
    ...options,
  });
  return { clock, server };
}

function answer(
  challenges: readonly string[],
  { username = 'alice', password = 'alice-pw', request = INVITE } = {},
  client = new DigestClient({ username, secret: DigestSecret.fromPassword(password) }),
): string {
  return client.respond(challenges, request).headerValue;
}

function verify(server: DigestServer, credentials: readonly string[], request = INVITE): DigestVerification {
  return server.verify({ realm: REALM, credentials, request, lookup });
}

/** Rewrites one field of a credentials value (what a broken or hostile client would send). */
function alter(value: string, change: Partial<DigestCredentials>): string {
  return formatDigestCredentials({ ...parseDigestCredentials(value), ...change });
}

describe('DigestServer.createChallenges', () => {
  it('issues one challenge per algorithm, in the configured order, sharing one fresh nonce', () => {
    const { server } = setup({ algorithms: ['SHA-256', 'MD5'] });
    const challenges = server.createChallenges({ realm: REALM }).map(parseDigestChallenge);
    expect(challenges.map((c) => c.algorithm)).toEqual(['SHA-256', 'MD5']);
    expect(challenges.map((c) => c.qop)).toEqual([['auth'], ['auth']]);
    expect(challenges.map((c) => c.realm)).toEqual([REALM, REALM]);
    expect(new Set(challenges.map((c) => c.nonce)).size).toBe(1);
    expect(challenges.every((c) => !c.stale && c.opaque !== undefined)).toBe(true);
    const again = parseDigestChallenge(server.createChallenges({ realm: REALM })[0] ?? '');
    expect(again.nonce).not.toBe(challenges[0]?.nonce);
    expect(again.opaque).toBe(challenges[0]?.opaque);
  });

  it('defaults to MD5 with qop="auth", the shape SIPp and Zentrunk use', () => {
    const { server } = setup({ algorithms: undefined });
    expect(server.createChallenges({ realm: REALM })).toEqual([
      expect.stringMatching(
        /^Digest realm="[^"]+", nonce="[A-Za-z0-9_-]{43}", opaque="[^"]+", algorithm=MD5, qop="auth"$/,
      ),
    ]);
  });

  it('marks a re-challenge stale and carries the domain', () => {
    const { server } = setup();
    const [value] = server.createChallenges({ realm: REALM, stale: true, domain: [`sip:${REALM}`] });
    expect(parseDigestChallenge(value ?? '')).toMatchObject({ stale: true, domain: [`sip:${REALM}`] });
  });

  it.each<[string, Partial<DigestServerOptions>]>([
    ['a short secret', { secret: Buffer.alloc(15) }],
    ['no algorithm', { algorithms: [] }],
    ['an unknown algorithm', { algorithms: ['SHA-1' as DigestAlgorithm] }],
  ])('refuses %s at construction', (_name, options) => {
    const code = 'secret' in options ? 'ERR_DIGEST_BAD_SECRET' : 'ERR_DIGEST_UNSUPPORTED';
    expectErrorCode(() => setup(options), code);
  });
});

describe('DigestServer.verify', () => {
  it.each<DigestAlgorithm>(['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess', 'SHA-512-256', 'SHA-512-256-sess'])(
    'accepts our own client answering %s',
    (algorithm) => {
      const { server } = setup({ algorithms: [algorithm] });
      const result = verify(server, [answer(server.createChallenges({ realm: REALM }))]);
      expect(result).toEqual({ kind: 'ok', username: 'alice', algorithm, qop: 'auth', nc: 1, nonceAgeMs: 0 });
    },
  );

  it('accepts qop=auth-int over the body when offered, and refuses a changed body', () => {
    const { server } = setup({ qop: ['auth-int'] });
    const request = { ...INVITE, body: 'v=0\r\n' };
    const value = answer(server.createChallenges({ realm: REALM }), { request });
    expect(verify(server, [value], request)).toMatchObject({ kind: 'ok', qop: 'auth-int' });
    const { server: fresh } = setup({ qop: ['auth-int'] });
    const second = answer(fresh.createChallenges({ realm: REALM }), { request });
    expect(verify(fresh, [second], { ...request, body: 'v=1\r\n' })).toMatchObject({
      kind: 'wrong-password',
    });
  });

  it('verifies a user stored as a precomputed HA1, and refuses algorithms it has no HA1 for', () => {
    const { server } = setup({ algorithms: ['MD5'] });
    const creds = answer(server.createChallenges({ realm: REALM }), { username: 'bob', password: 'bob-pw' });
    expect(verify(server, [creds])).toMatchObject({ kind: 'ok', username: 'bob' });
    const { server: sha } = setup({ algorithms: ['SHA-256'] });
    const shaCreds = answer(sha.createChallenges({ realm: REALM }), { username: 'bob', password: 'bob-pw' });
    expect(verify(sha, [shaCreds])).toMatchObject({
      kind: 'unsupported',
      detail: expect.stringContaining('SHA-256') as string,
    });
  });

  it('wrong password → wrong-password → forbid (Zentrunk: 403 + 4180)', () => {
    const { server } = setup();
    const result = verify(server, [answer(server.createChallenges({ realm: REALM }), { password: 'guess' })]);
    expect(result).toEqual({ kind: 'wrong-password', username: 'alice', algorithm: 'SHA-256' });
    expect(digestVerificationAction(result)).toBe('forbid');
  });

  it('unknown user → unknown-user → forbid', () => {
    const { server } = setup();
    const result = verify(server, [
      answer(server.createChallenges({ realm: REALM }), { username: 'mallory' }),
    ]);
    expect(result).toEqual({ kind: 'unknown-user', username: 'mallory' });
  });

  it('expired nonce with the right password → stale, and the re-challenge says stale=true', () => {
    const { clock, server } = setup({ nonceLifetimeMs: 30_000 });
    const challenges = server.createChallenges({ realm: REALM });
    clock.advance(30_000);
    expect(verify(server, [answer(challenges)])).toMatchObject({ kind: 'ok', nonceAgeMs: 30_000 });
    clock.advance(1);
    const result = verify(server, [answer(challenges)]);
    expect(result).toEqual({ kind: 'stale', username: 'alice', reason: 'expired' });
    expect(digestVerificationAction(result)).toBe('challenge-stale');
    const rechallenge = server.createChallenges({ realm: REALM, stale: true });
    expect(parseDigestChallenge(rechallenge[0] ?? '').stale).toBe(true);
    expect(verify(server, [answer(rechallenge)])).toMatchObject({ kind: 'ok' });
  });

  it('expired nonce with a wrong password is a wrong password, not stale (RFC 7616 §3.3)', () => {
    const { clock, server } = setup({ nonceLifetimeMs: 1_000 });
    const challenges = server.createChallenges({ realm: REALM });
    clock.advance(5_000);
    expect(verify(server, [answer(challenges, { password: 'guess' })])).toMatchObject({
      kind: 'wrong-password',
    });
  });

  it('a nonce from the future (wall clock stepped back) is stale', () => {
    const { clock, server } = setup();
    clock.advance(60_000);
    const challenges = server.createChallenges({ realm: REALM });
    const past = new DigestServer({
      clock: new ManualClock(),
      secret: Buffer.alloc(32, 1),
      algorithms: ['SHA-256'],
    });
    // Same secret, clock one minute behind: the nonce looks issued in the future.
    const result = past.verify({ realm: REALM, credentials: [answer(challenges)], request: INVITE, lookup });
    expect(result).toMatchObject({ kind: 'stale', reason: 'not-yet-valid' });
  });

  it('a nonce from before a restart with the same secret is stale (untracked), not accepted', () => {
    const { clock, server } = setup();
    const challenges = server.createChallenges({ realm: REALM });
    clock.advance(1_000);
    const restarted = new DigestServer({ clock, secret: Buffer.alloc(32, 1), algorithms: ['SHA-256'] });
    const result = restarted.verify({
      realm: REALM,
      credentials: [answer(challenges)],
      request: INVITE,
      lookup,
    });
    expect(result).toMatchObject({ kind: 'stale', reason: 'untracked' });
  });

  it('replayed nc → replayed → challenge-stale; a new nc on the same nonce is fine', () => {
    const { server } = setup();
    const client = new DigestClient({ username: 'alice', secret: DigestSecret.fromPassword('alice-pw') });
    const first = client.respond(server.createChallenges({ realm: REALM }), INVITE).headerValue;
    expect(verify(server, [first])).toMatchObject({ kind: 'ok', nc: 1 });
    const replay = verify(server, [first]);
    expect(replay).toEqual({ kind: 'replayed', username: 'alice', nc: 1 });
    expect(digestVerificationAction(replay)).toBe('challenge-stale');
    const bye = { method: 'BYE', uri: INVITE.uri };
    expect(verify(server, [client.reauthorize(bye)?.headerValue ?? ''], bye)).toMatchObject({
      kind: 'ok',
      nc: 2,
    });
  });

  it('without replay protection a repeated nc is accepted (documented trade-off)', () => {
    const { server } = setup({ replayProtection: false });
    const value = answer(server.createChallenges({ realm: REALM }));
    expect(verify(server, [value]).kind).toBe('ok');
    expect(verify(server, [value]).kind).toBe('ok');
  });

  it('tampered nonce → invalid-nonce → challenge (not stale)', () => {
    const { server } = setup();
    const value = answer(server.createChallenges({ realm: REALM }));
    const nonce = parseDigestCredentials(value).nonce;
    const tampered = (nonce.startsWith('A') ? 'B' : 'A') + nonce.slice(1);
    // The client computes a valid digest over the tampered nonce: only the nonce check can catch it.
    const forged = answer([`Digest realm="${REALM}", nonce="${tampered}", algorithm=SHA-256, qop="auth"`]);
    const result = verify(server, [forged]);
    expect(result).toMatchObject({ kind: 'invalid-nonce', username: 'alice' });
    expect(digestVerificationAction(result)).toBe('challenge');
  });

  it('a nonce issued for another realm (another trunk on the same emulator) is invalid here', () => {
    const { server } = setup();
    const other = server.createChallenges({ realm: 'other.zt.plivo.com' })[0] ?? '';
    const moved = other.replace('other.zt.plivo.com', REALM);
    expect(verify(server, [answer([moved])])).toMatchObject({ kind: 'invalid-nonce' });
  });

  it('an opaque value that is not ours → invalid-nonce; an omitted opaque is tolerated', () => {
    const { server } = setup();
    const value = answer(server.createChallenges({ realm: REALM }));
    expect(verify(server, [alter(value, { opaque: 'not-ours' })])).toMatchObject({
      kind: 'invalid-nonce',
      detail: expect.stringContaining('opaque') as string,
    });
    const { server: s2 } = setup();
    expect(
      verify(s2, [alter(answer(s2.createChallenges({ realm: REALM })), { opaque: undefined })]).kind,
    ).toBe('ok');
  });

  it('credentials only for another realm → wrong-realm → challenge', () => {
    const { server } = setup();
    const value = answer(server.createChallenges({ realm: 'elsewhere.example' }));
    const result = verify(server, [value]);
    expect(result).toEqual({ kind: 'wrong-realm', realms: ['elsewhere.example'] });
    expect(digestVerificationAction(result)).toBe('challenge');
  });

  it('picks its own realm among several credentials (RFC 3261 §22.3), skipping unreadable ones', () => {
    const { server } = setup();
    const foreign = answer(server.createChallenges({ realm: 'elsewhere.example' }));
    const mine = answer(server.createChallenges({ realm: REALM }));
    expect(verify(server, ['Digest garbage', foreign, mine])).toMatchObject({ kind: 'ok' });
  });

  it('an algorithm that was not offered → unsupported → challenge', () => {
    const { server } = setup({ algorithms: ['SHA-256'] });
    const nonce = parseDigestChallenge(server.createChallenges({ realm: REALM })[0] ?? '').nonce;
    const md5 = answer([`Digest realm="${REALM}", nonce="${nonce}", algorithm=MD5, qop="auth"`]);
    const result = verify(server, [md5]);
    expect(result).toMatchObject({ kind: 'unsupported', detail: expect.stringContaining('MD5') as string });
    expect(digestVerificationAction(result)).toBe('challenge');
    expect(verify(server, [alter(md5, { algorithm: 'SHA-1' })])).toMatchObject({ kind: 'unsupported' });
  });

  it('a qop that was not offered, and userhash, are unsupported', () => {
    const { server } = setup();
    const value = answer(server.createChallenges({ realm: REALM }));
    expect(verify(server, [alter(value, { qop: 'auth-int' })])).toMatchObject({ kind: 'unsupported' });
    expect(verify(server, [alter(value, { userhash: true })])).toMatchObject({ kind: 'unsupported' });
  });

  it('legacy credentials without qop are refused by default and accepted on request', () => {
    const legacy = (server: DigestServer): string => {
      const nonce = parseDigestChallenge(server.createChallenges({ realm: REALM })[0] ?? '').nonce;
      return answer([`Digest realm="${REALM}", nonce="${nonce}", algorithm=SHA-256`]);
    };
    const { server } = setup();
    expect(verify(server, [legacy(server)])).toMatchObject({
      kind: 'unsupported',
      detail: expect.stringContaining('qop') as string,
    });
    const { server: lenient } = setup({ acceptLegacyNoQop: true });
    expect(verify(lenient, [legacy(lenient)])).toMatchObject({ kind: 'ok', qop: undefined, nc: undefined });
  });

  it('digest-uri other than the Request-URI → uri-mismatch → bad-request', () => {
    const { server } = setup();
    const value = answer(server.createChallenges({ realm: REALM }));
    const result = verify(server, [value], { method: 'INVITE', uri: `sip:+442071234567@${REALM}` });
    expect(result).toEqual({ kind: 'uri-mismatch', username: 'alice' });
    expect(digestVerificationAction(result)).toBe('bad-request');
  });

  it.each<[string, DigestUriCheck, string, string, boolean]>([
    ['exact: identical', 'exact', INVITE.uri, INVITE.uri, true],
    ['exact: another user', 'exact', `sip:+442071234567@${REALM}`, INVITE.uri, false],
    ['exact: host only (SIPp default)', 'exact', `sip:${REALM}`, INVITE.uri, false],
    [
      'same-host: host only (SIPp default)',
      'same-host',
      'sip:127.0.0.1:5060',
      'sip:+1415@127.0.0.1:5060',
      true,
    ],
    [
      'same-host: host case differs',
      'same-host',
      'sip:Trunk.Example:5060',
      'sip:+1415@trunk.example:5060;user=phone',
      true,
    ],
    ['same-host: another user, same host', 'same-host', `sip:bob@${REALM}`, INVITE.uri, true],
    ['same-host: another port', 'same-host', 'sip:127.0.0.1:5061', 'sip:+1415@127.0.0.1:5060', false],
    ['same-host: another host', 'same-host', 'sip:evil.example', INVITE.uri, false],
    ['same-host: not a SIP URI', 'same-host', '/dir/index.html', INVITE.uri, false],
    ['same-host: IPv6 reference', 'same-host', 'sip:[::1]:5070', 'sip:+1415@[::1]:5070', true],
    ['off: anything', 'off', '/whatever', INVITE.uri, true],
  ])('digestUriCheck %s', (_name, check, digestUri, requestUri, ok) => {
    const { server } = setup({ digestUriCheck: check });
    const request = { method: 'INVITE', uri: requestUri };
    // The client signs its own digest-uri, so only the URI relation decides.
    const value = answer(server.createChallenges({ realm: REALM }), {
      request: { method: 'INVITE', uri: digestUri },
    });
    expect(verify(server, [value], request).kind).toBe(ok ? 'ok' : 'uri-mismatch');
  });

  it('a method other than the one signed → wrong-password', () => {
    const { server } = setup();
    const value = answer(server.createChallenges({ realm: REALM }));
    expect(verify(server, [value], { method: 'BYE', uri: INVITE.uri }).kind).toBe('wrong-password');
  });

  it.each([
    ['a broken header', 'Digest username="alice", realm="'],
    ['no response', `Digest username="alice", realm="${REALM}", nonce="n", uri="${INVITE.uri}"`],
    ['a response of the wrong length', 'response-length'],
    ['a -sess algorithm without qop', 'sess-no-qop'],
  ])('malformed credentials (%s) → malformed → bad-request', (_name, spec) => {
    const { server } = setup({ algorithms: ['SHA-256', 'MD5-sess'] });
    let value = spec;
    if (spec === 'response-length')
      value = alter(answer(server.createChallenges({ realm: REALM })), { response: 'ab' });
    if (spec === 'sess-no-qop') {
      const nonce = parseDigestChallenge(server.createChallenges({ realm: REALM })[0] ?? '').nonce;
      value = formatDigestCredentials({
        username: 'alice',
        userhash: false,
        realm: REALM,
        nonce,
        uri: INVITE.uri,
        response: '0'.repeat(32),
        algorithm: 'MD5-sess',
      });
    }
    const result = verify(server, [value]);
    expect(result.kind).toBe('malformed');
    expect(digestVerificationAction(result)).toBe('bad-request');
  });

  it('no credentials → missing → challenge', () => {
    const { server } = setup();
    expect(verify(server, [])).toEqual({ kind: 'missing' });
    expect(digestVerificationAction({ kind: 'missing' })).toBe('challenge');
  });

  it('never throws on hostile input', () => {
    const { server } = setup();
    const hostile = [
      '',
      'Digest',
      '\u0000\u0001',
      'Digest username="a"'.repeat(1000),
      `Digest username="a", realm="${REALM}", nonce="${'A'.repeat(43)}", uri="x", response="${'f'.repeat(64)}", algorithm=SHA-256, qop=auth, cnonce="c", nc=ffffffff`,
    ];
    for (const value of hostile) expect(() => verify(server, [value])).not.toThrow();
  });

  it('maps every outcome to an action', () => {
    const table: Record<DigestVerificationKind, DigestAction> = {
      ok: 'accept',
      missing: 'challenge',
      'wrong-realm': 'challenge',
      malformed: 'bad-request',
      unsupported: 'challenge',
      'invalid-nonce': 'challenge',
      'uri-mismatch': 'bad-request',
      'unknown-user': 'forbid',
      'wrong-password': 'forbid',
      stale: 'challenge-stale',
      replayed: 'challenge-stale',
    };
    for (const [kind, action] of Object.entries(table)) {
      expect(digestVerificationAction({ kind } as DigestVerification), kind).toBe(action);
    }
  });
});
