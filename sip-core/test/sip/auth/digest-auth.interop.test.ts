// Digest authentication against SIPp 3.6.1, an independent implementation, over real UDP on 127.0.0.1:
// - SIPp as a PBX placing a call through a credential trunk: it answers the 407 our DigestServer issues
//   (MD5, qop=auth, its [authentication] keyword) and our server verifies the answer;
// - SIPp as a PBX receiving an inbound call: it challenges with 401 and checks our DigestClient's answer with
//   its own digest code (verifyauth).
// - baresip 1.0.0 (libre's digest code) as a softphone placing a call through the credential trunk.
// The verdicts asserted are the peer's (SIPp's exit status, the response SIPp chose), not only our own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { DigestAlgorithm } from '../../../src/sip/auth/digest-algorithm.js';
import { systemClock } from '../../../src/common/clock.js';
import { DigestClient } from '../../../src/sip/auth/digest-client.js';
import { DigestSecret } from '../../../src/sip/auth/digest-secret.js';
import { DigestServer, type DigestUriCheck } from '../../../src/sip/auth/digest-server.js';
import {
  type DigestVerification,
  digestVerificationAction,
} from '../../../src/sip/auth/digest-verification.js';
import {
  buildResponse,
  headerValues,
  type MinimalSipMessage,
  parseMinimalSip,
  requestLine,
  statusCode,
} from '../../support/minimal-sip.js';
import { BaresipControl, writeBaresipConfig } from '../../support/baresip.js';
import { freeTcpPort, freeUdpPort, waitForUdpBind } from '../../support/free-port.js';
import { PeerProcesses } from '../../support/peer-process.js';
import { shouldRunWith } from '../../support/peer-binary.js';
import { UdpTestSocket } from '../../support/udp-test-peer.js';

const SCENARIOS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sipp');
const REALM = '21784177241578.zt.plivo.com';
const SERVICE = '+14155550100';
/** One call, headless, and a failure (not a hang) when the peer stops answering. */
const SIPP_ONE_CALL = ['-m', '1', '-nostdin', '-timeout', '30s', '-timeout_error'];

const peers = new PeerProcesses();
const sockets: UdpTestSocket[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await peers.stopAll();
  for (const socket of sockets.splice(0)) socket.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sip-auth-interop-'));
  tempDirs.push(dir);
  return dir;
}

async function openSocket(): Promise<UdpTestSocket> {
  const socket = await UdpTestSocket.open();
  sockets.push(socket);
  return socket;
}

/** An SDP answer whose media port is the trunk's own socket: RTP sent there is read as junk and dropped. */
function sdpAnswer(port: number): string {
  return [
    'v=0',
    'o=trunk 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=audio ${port} RTP/AVP 0`,
    'a=rtpmap:0 PCMU/8000',
    '',
  ].join('\r\n');
}

/**
 * A scripted credential trunk: 407 with DigestServer challenges, then 200 / 403 / 407 by the verification;
 * BYE gets 200, ACK nothing. Malformed datagrams are dropped, never thrown.
 */
async function startTrunk(server: DigestServer, users: ReadonlyMap<string, DigestSecret>) {
  const socket = await openSocket();
  const verifications: DigestVerification[] = [];
  socket.onDatagram = ({ text, from }) => {
    let request: MinimalSipMessage;
    try {
      request = parseMinimalSip(text);
    } catch {
      return;
    }
    const line = requestLine(request);
    if (!line || line.method === 'ACK') return;
    const reply = (status: number, reason: string, extra: readonly string[] = [], body = ''): void =>
      socket.send(buildResponse(request, status, reason, extra, body), from.port, from.address);
    if (line.method === 'BYE') return reply(200, 'OK');
    const credentials = headerValues(request, 'proxy-authorization');
    let stale = false;
    if (credentials.length > 0) {
      const result = server.verify({
        realm: REALM,
        credentials,
        request: { method: line.method, uri: line.uri, body: request.body },
        lookup: (username) => users.get(username),
      });
      verifications.push(result);
      const action = digestVerificationAction(result);
      if (action === 'accept') {
        return reply(
          200,
          'OK',
          [`Contact: <sip:trunk@127.0.0.1:${socket.port}>`, 'Content-Type: application/sdp'],
          sdpAnswer(socket.port),
        );
      }
      if (action === 'forbid') return reply(403, 'Forbidden');
      if (action === 'bad-request') return reply(400, 'Bad Request');
      stale = action === 'challenge-stale';
    }
    const challenges = server.createChallenges({ realm: REALM, stale });
    reply(
      407,
      'Proxy Authentication Required',
      challenges.map((value) => `Proxy-Authenticate: ${value}`),
    );
  };
  return { port: socket.port, verifications };
}

function sippUac(trunkPort: number, localPort: number, password: string, extraArgs: readonly string[] = []) {
  return peers.run(
    'sipp',
    [
      `127.0.0.1:${trunkPort}`,
      '-sf',
      path.join(SCENARIOS, 'uac-digest.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(localPort),
      '-s',
      SERVICE,
      '-au',
      'pbx-trunk-user',
      '-ap',
      password,
      ...SIPP_ONE_CALL,
      ...extraArgs,
    ],
    { cwd: tempDir() },
  );
}

describe.runIf(shouldRunWith('sipp'))('SIPp 3.6.1 and our digest', () => {
  const users = new Map([['pbx-trunk-user', DigestSecret.fromPassword('trunk-pass')]]);

  // SIPp's [authentication] signs uri="sip:remote_ip:remote_port", not the Request-URI, unless -auth_uri is
  // given: a server with digestUriCheck 'same-host' accepts SIPp as it comes, and -auth_uri satisfies 'exact'.
  it.each<[string, DigestUriCheck, (trunkPort: number) => string[]]>([
    ['as it comes, against digestUriCheck same-host', 'same-host', () => []],
    [
      'with -auth_uri, against digestUriCheck exact',
      'exact',
      (port) => ['-auth_uri', `${SERVICE}@127.0.0.1:${port}`],
    ],
  ])(
    'SIPp answers our 407 (MD5, qop=auth) %s; our server verifies it and the call completes',
    async (_name, check, args) => {
      const server = new DigestServer({ clock: systemClock, algorithms: ['MD5'], digestUriCheck: check });
      const trunk = await startTrunk(server, users);
      const run = await sippUac(trunk.port, await freeUdpPort(), 'trunk-pass', args(trunk.port));
      expect(run.exitCode, `${JSON.stringify(trunk.verifications)}\n${run.output}`).toBe(0);
      expect(trunk.verifications).toMatchObject([
        { kind: 'ok', username: 'pbx-trunk-user', algorithm: 'MD5', qop: 'auth', nc: 1 },
      ]);
    },
  );

  // SIPp reads only the first challenge and answers MD5 only (README, peer table).
  it.each<[readonly DigestAlgorithm[], boolean]>([
    [['MD5', 'SHA-256'], true],
    [['SHA-256', 'MD5'], false],
  ])(
    'SIPp facing challenges %j succeeds: %s (it answers the first challenge only)',
    async (algorithms, succeeds) => {
      const server = new DigestServer({ clock: systemClock, algorithms, digestUriCheck: 'same-host' });
      const trunk = await startTrunk(server, users);
      const run = await sippUac(trunk.port, await freeUdpPort(), 'trunk-pass');
      expect(run.exitCode === 0).toBe(succeeds);
      expect(trunk.verifications.map((v) => v.kind)).toEqual(succeeds ? ['ok'] : []);
    },
  );

  it('SIPp as it comes is refused by an exact digest-uri check (uri-mismatch, 400)', async () => {
    const server = new DigestServer({ clock: systemClock, algorithms: ['MD5'] });
    const trunk = await startTrunk(server, users);
    const run = await sippUac(trunk.port, await freeUdpPort(), 'trunk-pass');
    expect(run.exitCode).not.toBe(0);
    expect(trunk.verifications.map((v) => v.kind)).toEqual(['uri-mismatch']);
  });

  it('SIPp with a wrong password: our server says wrong-password, answers 403, and SIPp fails the call', async () => {
    const server = new DigestServer({ clock: systemClock, algorithms: ['MD5'], digestUriCheck: 'same-host' });
    const trunk = await startTrunk(server, users);
    const run = await sippUac(trunk.port, await freeUdpPort(), 'not-the-password');
    expect(run.exitCode).not.toBe(0);
    expect(trunk.verifications.map((v) => v.kind)).toEqual(['wrong-password']);
  });

  /** Places one INVITE to a SIPp UAS that challenges with 401; returns the final status SIPp chose. */
  async function callChallengingPbx(
    password: string,
  ): Promise<{ finalStatus: number; sippExit: number | null }> {
    const sippPort = await freeUdpPort();
    const sipp = peers.run(
      'sipp',
      [
        '-sf',
        path.join(SCENARIOS, 'uas-digest.xml'),
        '-i',
        '127.0.0.1',
        '-p',
        String(sippPort),
        ...SIPP_ONE_CALL,
      ],
      { cwd: tempDir() },
    );
    await waitForUdpBind(sippPort);
    const socket = await openSocket();
    const uri = `sip:+14155550100@127.0.0.1:${sippPort}`;
    const dialog = (cseq: number, method: string, branch: string, extra: readonly string[] = []): string =>
      [
        `${method} ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${socket.port};branch=z9hG4bK-${branch};rport`,
        `From: <sip:+442071234567@${REALM}>;tag=emu1`,
        `To: <${uri}>${cseq > 1 || method === 'ACK' ? ';tag=TO_TAG' : ''}`,
        'Call-ID: sip-auth-interop-1',
        `CSeq: ${cseq} ${method}`,
        `Contact: <sip:emulator@127.0.0.1:${socket.port}>`,
        'Max-Forwards: 70',
        ...extra,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    const finalResponse = async (): Promise<MinimalSipMessage> => {
      for (;;) {
        const message = parseMinimalSip((await socket.next()).text);
        if ((statusCode(message) ?? 0) >= 200) return message;
      }
    };
    const toTagOf = (m: MinimalSipMessage): string =>
      /;\s*tag=([^;]+)/.exec(headerValues(m, 'to')[0] ?? '')?.[1] ?? '';

    socket.send(dialog(1, 'INVITE', 'a').replace(';tag=TO_TAG', ''), sippPort);
    const challenge = await finalResponse();
    expect(statusCode(challenge)).toBe(401);
    let tag = toTagOf(challenge);
    socket.send(dialog(1, 'ACK', 'a').replace('TO_TAG', tag), sippPort);

    // The emulator answering a PBX's challenge with the origination URI's credentials (BEHAVIOUR.md §9).
    const client = new DigestClient({ username: 'pbx-user', secret: DigestSecret.fromPassword(password) });
    const answer = client.respond(headerValues(challenge, 'www-authenticate'), { method: 'INVITE', uri });
    const invite = dialog(2, 'INVITE', 'b', [`Authorization: ${answer.headerValue}`]).replace(
      ';tag=TO_TAG',
      '',
    );
    socket.send(invite, sippPort);
    const final = await finalResponse();
    const finalStatus = statusCode(final) ?? 0;
    tag = toTagOf(final);
    if (finalStatus === 200) {
      socket.send(dialog(2, 'ACK', 'c').replace('TO_TAG', tag), sippPort);
      socket.send(dialog(3, 'BYE', 'd').replace('TO_TAG', tag), sippPort);
      expect(statusCode(await finalResponse())).toBe(200);
    } else {
      socket.send(dialog(2, 'ACK', 'b').replace('TO_TAG', tag), sippPort);
    }
    const run = await sipp;
    return { finalStatus, sippExit: run.exitCode };
  }

  it('our client answers a PBX 401 (MD5, qop=auth) and SIPp verifyauth accepts it (200)', async () => {
    expect(await callChallengingPbx('pbx-pass')).toEqual({ finalStatus: 200, sippExit: 0 });
  });

  it('our client with a wrong password: SIPp verifyauth rejects it (403)', async () => {
    expect((await callChallengingPbx('wrong-pass')).finalStatus).toBe(403);
  });
});

describe.runIf(shouldRunWith('baresip'))('baresip 1.0.0 and our digest', () => {
  const users = new Map([['phone-user', DigestSecret.fromPassword('phone-pass')]]);

  async function dialThroughTrunk(password: string, algorithms: readonly DigestAlgorithm[] = ['MD5']) {
    const server = new DigestServer({ clock: systemClock, algorithms });
    const trunk = await startTrunk(server, users);
    const dir = tempDir();
    const sipPort = await freeUdpPort();
    const ctrlPort = await freeTcpPort();
    writeBaresipConfig({
      dir,
      sipPort,
      ctrlPort,
      account: `<sip:phone-user@127.0.0.1:${sipPort}>;regint=0;auth_pass=${password};audio_codecs=pcmu`,
    });
    const { control } = await BaresipControl.start(peers, dir, ctrlPort);
    controls.push(control);
    control.command('dial', `sip:${SERVICE}@127.0.0.1:${trunk.port}`);
    return { trunk, control };
  }

  const controls: BaresipControl[] = [];
  afterEach(() => {
    for (const control of controls.splice(0)) control.close();
  });

  it('baresip answers our 407 (MD5, qop=auth); our server verifies it and the call is established', async () => {
    const { trunk, control } = await dialThroughTrunk('phone-pass');
    await control.waitForEvent('CALL_ESTABLISHED');
    expect(trunk.verifications).toMatchObject([
      { kind: 'ok', username: 'phone-user', algorithm: 'MD5', qop: 'auth' },
    ]);
    control.command('hangup');
    await control.waitForEvent('CALL_CLOSED');
  });

  it('baresip with a wrong password is refused with 403, and baresip reports it', async () => {
    const { trunk, control } = await dialThroughTrunk('wrong-pass');
    const closed = await control.waitForEvent('CALL_CLOSED');
    expect(String(closed.param)).toMatch(/403/);
    expect(trunk.verifications.map((v) => v.kind)).toEqual(['wrong-password']);
  });

  // libre 1.1.0 answers MD5 only and gives up (ENOSYS) as soon as any challenge names another algorithm,
  // whatever the order: a trunk that offers SHA-256 at all loses baresip 1.0.0 (README, peer table).
  it.each<{ algorithms: readonly DigestAlgorithm[] }>([
    { algorithms: ['SHA-256', 'MD5'] },
    { algorithms: ['MD5', 'SHA-256'] },
  ])(
    'baresip cannot answer challenges $algorithms (it gives up on any SHA-256 challenge)',
    async ({ algorithms }) => {
      const { trunk, control } = await dialThroughTrunk('phone-pass', algorithms);
      const closed = await control.waitForEvent(['CALL_CLOSED', 'CALL_ESTABLISHED']);
      expect(closed.type).toBe('CALL_CLOSED');
      expect(trunk.verifications).toEqual([]);
    },
  );
});
