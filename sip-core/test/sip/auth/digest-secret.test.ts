import { format, inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import { DigestClient } from '../../../src/sip/auth/digest-client.js';
import { computeHa1 } from '../../../src/sip/auth/digest-response.js';
import { DigestSecret } from '../../../src/sip/auth/digest-secret.js';
import { DigestServer } from '../../../src/sip/auth/digest-server.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

const PASSWORD = 'hunter2-super-secret';
const REALM = 'r.zt.plivo.com';
const HA1 = computeHa1('MD5', 'alice', REALM, PASSWORD);
const SERVER_SECRET = Buffer.from('server-secret-bytes-0123456789ab');

/** Every way an object commonly becomes text in logs, errors and traces. */
function renderings(value: unknown): string[] {
  return [
    String(value),
    `${value as string}`,
    JSON.stringify({ value }),
    inspect(value, { showHidden: true, depth: 10 }),
    format('%o %O %s %j', value, value, value, value),
  ];
}

describe('secrets never reach text', () => {
  it.each([
    ['a password secret', DigestSecret.fromPassword(PASSWORD)],
    ['an HA1 secret', DigestSecret.fromHa1({ MD5: HA1 })],
    ['a client', new DigestClient({ username: 'alice', secret: DigestSecret.fromPassword(PASSWORD) })],
    ['a server', new DigestServer({ clock: new ManualClock(), secret: SERVER_SECRET })],
  ])('%s renders without its secret', (_name, value) => {
    for (const text of renderings(value)) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(HA1);
      expect(text).not.toContain(SERVER_SECRET.toString('latin1'));
      expect(text).not.toContain(SERVER_SECRET.toString('hex'));
      expect(text).not.toContain(SERVER_SECRET.toString('base64'));
    }
  });

  it('a secret still computes HA1 for the code that needs it', () => {
    expect(DigestSecret.fromPassword(PASSWORD).ha1('MD5', 'alice', REALM)).toBe(HA1);
    expect(DigestSecret.fromHa1({ MD5: HA1.toUpperCase() }).ha1('MD5', 'alice', REALM)).toBe(HA1);
    expect(DigestSecret.fromHa1({ MD5: HA1 }).ha1('SHA-256', 'alice', REALM)).toBeUndefined();
  });

  it.each([
    ['a short MD5 HA1', { MD5: HA1.slice(1) }],
    ['a non-hex HA1', { MD5: `${HA1.slice(1)}z` }],
    ['a SHA-256 HA1 of MD5 length', { 'SHA-256': HA1 }],
    ['no HA1 at all', {}],
  ])('refuses %s without echoing it', (_name, map) => {
    const error = expectErrorCode(() => DigestSecret.fromHa1(map), 'ERR_DIGEST_BAD_SECRET');
    expect(error.message).not.toContain(HA1.slice(1, 20));
  });

  it.each(['SHA1', 'constructor', 'toString'])('refuses the unknown hash name %s in an HA1 map', (name) => {
    const error = expectErrorCode(() => DigestSecret.fromHa1({ [name]: HA1 }), 'ERR_DIGEST_BAD_SECRET');
    expect(error.message).toContain('not a Digest hash name');
  });

  it('a wrong-password outcome carries no password or expected digest', () => {
    const server = new DigestServer({ clock: new ManualClock() });
    const challenges = server.createChallenges({ realm: REALM });
    const client = new DigestClient({ username: 'alice', secret: DigestSecret.fromPassword('wrong') });
    const result = server.verify({
      realm: REALM,
      credentials: [client.respond(challenges, { method: 'INVITE', uri: `sip:x@${REALM}` }).headerValue],
      request: { method: 'INVITE', uri: `sip:x@${REALM}` },
      lookup: () => DigestSecret.fromPassword(PASSWORD),
    });
    expect(result.kind).toBe('wrong-password');
    for (const text of renderings(result)) {
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(HA1);
    }
  });
});
