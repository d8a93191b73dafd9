// Our Digest against implementations that share no code with it:
// - sip.js 0.21.2, the softphone's UA library: a real UserAgent sends MESSAGE through a loopback transport to a
//   scripted trunk that challenges and verifies with our DigestServer;
// - the `sip` npm package (kirm/sip.js), a separate Node SIP stack with its own digest module: it verifies what
//   our DigestClient writes, and answers challenges our DigestServer issues, MD5-sess included.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Messager, UserAgent } from 'sip.js/lib/api/index.js';
import {
  constructOutgoingResponse,
  IncomingRequestMessage,
  LoggerFactory,
  Parser,
} from 'sip.js/lib/core/index.js';
import { ManualClock } from '../../../src/common/manual-clock.js';
import type { DigestAlgorithm } from '../../../src/sip/auth/digest-algorithm.js';
import { parseDigestChallenge } from '../../../src/sip/auth/digest-challenge.js';
import { DigestClient } from '../../../src/sip/auth/digest-client.js';
import { DigestSecret } from '../../../src/sip/auth/digest-secret.js';
import { DigestServer } from '../../../src/sip/auth/digest-server.js';
import {
  type DigestVerification,
  digestVerificationAction,
} from '../../../src/sip/auth/digest-verification.js';
import { type LoopbackPeer, SipJsLoopbackTransport } from '../../support/sipjs-loopback-transport.js';

const REALM = '21784177241578.zt.plivo.com';
const TARGET = `sip:+14155550100@${REALM}`;
const USERS = new Map([['alice', DigestSecret.fromPassword('alice-pw')]]);
const lookup = (username: string): DigestSecret | undefined => USERS.get(username);

describe('sip.js 0.21.2 UserAgent against our DigestServer', () => {
  const loggerFactory = new LoggerFactory();
  loggerFactory.builtinEnabled = false;
  const parserLogger = loggerFactory.getLogger('test');

  interface TrunkRun {
    readonly verifications: DigestVerification[];
    readonly requests: number;
    readonly finalStatus: number;
  }

  /**
   * Sends one MESSAGE from a sip.js UserAgent to a scripted trunk that answers 407 with `server`'s challenges
   * until the credentials verify, then 200 (or 403 for forbid). `beforeVerify` runs before each check.
   */
  async function sendMessage(
    server: DigestServer,
    password: string,
    beforeVerify: () => void = () => undefined,
  ): Promise<TrunkRun> {
    const verifications: DigestVerification[] = [];
    let requests = 0;
    const peer: LoopbackPeer = (wire, reply) => {
      const request = Parser.parseMessage(wire, parserLogger);
      if (!(request instanceof IncomingRequestMessage)) return;
      requests += 1;
      const requestUri = /^\S+ (\S+) SIP\/2\.0\r\n/.exec(wire)?.[1] ?? '';
      const credentials = request.getHeaders('proxy-authorization');
      let challengeStale = false;
      if (credentials.length > 0) {
        beforeVerify();
        const result = server.verify({
          realm: REALM,
          credentials,
          request: { method: request.method, uri: requestUri, body: request.body },
          lookup,
        });
        verifications.push(result);
        const action = digestVerificationAction(result);
        if (action === 'accept') {
          reply(
            constructOutgoingResponse(request, { statusCode: 200, reasonPhrase: 'OK', toTag: 'zt1' }).message,
          );
          return;
        }
        if (action === 'forbid') {
          reply(
            constructOutgoingResponse(request, { statusCode: 403, reasonPhrase: 'Forbidden', toTag: 'zt1' })
              .message,
          );
          return;
        }
        challengeStale = action === 'challenge-stale';
      }
      const extraHeaders = server
        .createChallenges({ realm: REALM, stale: challengeStale })
        .map((value) => `Proxy-Authenticate: ${value}`);
      reply(
        constructOutgoingResponse(request, {
          statusCode: 407,
          reasonPhrase: 'Proxy Authentication Required',
          toTag: 'zt1',
          extraHeaders,
        }).message,
      );
    };
    const ua = new UserAgent({
      uri: UserAgent.makeURI(`sip:alice@${REALM}`),
      authorizationUsername: 'alice',
      authorizationPassword: password,
      transportConstructor: SipJsLoopbackTransport,
      transportOptions: { peer },
      viaHost: 'softphone.invalid',
      logBuiltinEnabled: false,
    });
    await ua.start();
    try {
      const target = UserAgent.makeURI(TARGET);
      if (!target) throw new Error('bad target URI');
      const finalStatus = await new Promise<number>((resolve) => {
        void new Messager(ua, target, 'hello').message({
          requestDelegate: {
            onAccept: (response) => resolve(response.message.statusCode ?? 0),
            onReject: (response) => resolve(response.message.statusCode ?? 0),
          },
        });
      });
      return { verifications, requests, finalStatus };
    } finally {
      await ua.stop();
    }
  }

  /** Our DigestClient answering `server`'s challenges for the same MESSAGE, as verified by `server`. */
  function answerWithOurClient(server: DigestServer): DigestVerification {
    const request = { method: 'MESSAGE', uri: TARGET };
    const client = new DigestClient({ username: 'alice', secret: DigestSecret.fromPassword('alice-pw') });
    const answer = client.respond(server.createChallenges({ realm: REALM }), request);
    return server.verify({ realm: REALM, credentials: [answer.headerValue], request, lookup });
  }

  it('answers an MD5 qop=auth challenge that our server verifies', async () => {
    const server = new DigestServer({ clock: new ManualClock(), algorithms: ['MD5'] });
    const run = await sendMessage(server, 'alice-pw');
    expect(run.verifications).toEqual([
      { kind: 'ok', username: 'alice', algorithm: 'MD5', qop: 'auth', nc: 1, nonceAgeMs: 0 },
    ]);
    expect(run.finalStatus).toBe(200);
  });

  it('with a wrong password gets wrong-password and a 403', async () => {
    const server = new DigestServer({ clock: new ManualClock(), algorithms: ['MD5'] });
    const run = await sendMessage(server, 'guess');
    expect(run.verifications.map((v) => v.kind)).toEqual(['wrong-password']);
    expect(run.finalStatus).toBe(403);
  });

  it('retries silently after an expired nonce (stale=true) and then succeeds', async () => {
    const clock = new ManualClock();
    const server = new DigestServer({ clock, algorithms: ['MD5'], nonceLifetimeMs: 1_000 });
    let first = true;
    const run = await sendMessage(server, 'alice-pw', () => {
      // The first answer arrives after its nonce expired.
      if (first) clock.advance(1_001);
      first = false;
    });
    expect(run.verifications.map((v) => v.kind)).toEqual(['stale', 'ok']);
    expect(run.requests).toBe(3);
    expect(run.finalStatus).toBe(200);
  });

  // sip.js's parser keeps only the LAST Proxy-Authenticate field (parser.ts `setHeader`, not `addHeader`), and
  // its DigestAuthentication answers MD5 only. So the RFC 8760 order "SHA-256 first, MD5 last" happens to work
  // with it, and "MD5 first, SHA-256 last" does not.
  it('answers MD5 when the server lists SHA-256 first and MD5 last', async () => {
    const server = new DigestServer({ clock: new ManualClock(), algorithms: ['SHA-256', 'MD5'] });
    const run = await sendMessage(server, 'alice-pw');
    expect(run.verifications).toMatchObject([{ kind: 'ok', algorithm: 'MD5' }]);
    expect(run.finalStatus).toBe(200);
  });

  it('gives up when SHA-256 is listed last (the gap our DigestClient fills)', async () => {
    const server = new DigestServer({ clock: new ManualClock(), algorithms: ['MD5', 'SHA-256'] });
    const run = await sendMessage(server, 'alice-pw');
    expect(run.requests).toBe(1);
    expect(run.verifications).toEqual([]);
    expect(run.finalStatus).toBe(407);
    // Our client answers the very same challenge list, with the topmost algorithm it supports.
    expect(answerWithOurClient(server)).toMatchObject({ kind: 'ok', algorithm: 'MD5' });
  });

  it('cannot answer a SHA-256-only trunk, which our DigestClient answers', async () => {
    const server = new DigestServer({ clock: new ManualClock(), algorithms: ['SHA-256'] });
    const run = await sendMessage(server, 'alice-pw');
    expect(run.finalStatus).toBe(407);
    expect(answerWithOurClient(server)).toMatchObject({ kind: 'ok', algorithm: 'SHA-256' });
  });
});

// The `sip` package's digest module (CommonJS, untyped): only the functions used here are declared.
interface KirmMessage {
  method?: string;
  uri?: string;
  status?: number;
  headers: Record<string, unknown>;
  content?: string;
}
interface KirmSip {
  parse(text: string): KirmMessage;
  stringifyAuthHeader(header: unknown): string;
}
interface KirmDigest {
  authenticateRequest(
    ctx: Record<string, unknown>,
    request: KirmMessage,
    creds: { user: string; password: string },
  ): boolean;
  signRequest(
    ctx: Record<string, unknown>,
    request: KirmMessage,
    response: KirmMessage,
    creds: { user: string; password: string },
  ): unknown;
}
const requireCjs = createRequire(import.meta.url);
const kirmSip = requireCjs('sip') as KirmSip;
const kirmDigest = requireCjs('sip/digest.js') as KirmDigest;

function sipRequest(method: string, headerName: string, headerValue: string): string {
  return [
    `${method} ${TARGET} SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1',
    `From: <sip:alice@${REALM}>;tag=a`,
    `To: <${TARGET}>`,
    'Call-ID: cross-1',
    `CSeq: 2 ${method}`,
    `${headerName}: ${headerValue}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

describe('the `sip` package (kirm) against our client and server', () => {
  it.each<DigestAlgorithm>(['MD5', 'MD5-sess'])('verifies what our client writes for %s', (algorithm) => {
    const challenge = `Digest realm="${REALM}", nonce="kirm-nonce", algorithm=${algorithm}, qop="auth"`;
    const client = new DigestClient({ username: 'alice', secret: DigestSecret.fromPassword('alice-pw') });
    const answer = client.respond([challenge], { method: 'INVITE', uri: TARGET });
    const request = kirmSip.parse(sipRequest('INVITE', 'Proxy-Authorization', answer.headerValue));
    // kirm's server reads the -sess flag from `algoritm` (sic) and the nonce from its own context.
    const ctx = { proxy: true, realm: REALM, nonce: 'kirm-nonce', algoritm: algorithm.toLowerCase() };
    expect(kirmDigest.authenticateRequest(ctx, request, { user: 'alice', password: 'alice-pw' })).toBe(true);
    const wrong = { proxy: true, realm: REALM, nonce: 'kirm-nonce', algoritm: algorithm.toLowerCase() };
    expect(kirmDigest.authenticateRequest(wrong, request, { user: 'alice', password: 'other' })).toBe(false);
  });

  it('verifies RFC 2069 credentials (no qop) written by our client', () => {
    const client = new DigestClient({ username: 'alice', secret: DigestSecret.fromPassword('alice-pw') });
    const answer = client.respond([`Digest realm="${REALM}", nonce="kirm-nonce"`], {
      method: 'BYE',
      uri: TARGET,
    });
    const request = kirmSip.parse(sipRequest('BYE', 'Proxy-Authorization', answer.headerValue));
    const ctx = { proxy: true, realm: REALM, nonce: 'kirm-nonce' };
    expect(kirmDigest.authenticateRequest(ctx, request, { user: 'alice', password: 'alice-pw' })).toBe(true);
  });

  it.each<DigestAlgorithm>(['MD5', 'MD5-sess'])(
    'answers our %s challenge, and our server accepts it',
    (algorithm) => {
      const server = new DigestServer({ clock: new ManualClock(), algorithms: [algorithm] });
      const [challenge] = server.createChallenges({ realm: REALM });
      expect(parseDigestChallenge(challenge ?? '').algorithm).toBe(algorithm);
      const response = kirmSip.parse(
        [
          'SIP/2.0 407 Proxy Authentication Required',
          'Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-1',
          `From: <sip:alice@${REALM}>;tag=a`,
          `To: <${TARGET}>;tag=zt1`,
          'Call-ID: cross-1',
          'CSeq: 1 INVITE',
          `Proxy-Authenticate: ${challenge}`,
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n'),
      );
      const request = kirmSip.parse(sipRequest('INVITE', 'X-Placeholder', '1'));
      kirmDigest.signRequest({}, request, response, { user: 'alice', password: 'alice-pw' });
      const signed = (request.headers['proxy-authorization'] as unknown[]).map((h) =>
        kirmSip.stringifyAuthHeader(h),
      );
      const result = server.verify({
        realm: REALM,
        credentials: signed,
        request: { method: 'INVITE', uri: TARGET },
        lookup,
      });
      expect(result).toMatchObject({ kind: 'ok', username: 'alice', algorithm, nc: 1 });
    },
  );
});
