// The message layer against SIPp 3.6.1: SIPp's messages must parse, and the responses and requests we build
// and serialise must be accepted by SIPp's call flows (its exit code is 0 only when every call succeeded).
// SIPp runs on 127.0.0.1 on OS-chosen ports and is stopped by its PID in teardown.

import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createRequest,
  createResponse,
  parseSipMessage,
  SipParseError,
  type SipRequest,
  SipResponse,
  serializeSipMessage,
} from '../../../src/sip/message/index.js';
import { freeUdpPort } from '../../support/free-port.js';
import { peer, requirePeer } from '../../support/peer-binary.js';
import { PeerProcesses } from '../../support/peer-process.js';

const SDP =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n';

const peers = new PeerProcesses();
const sockets: Socket[] = [];

afterEach(async () => {
  await peers.stopAll();
  for (const socket of sockets.splice(0)) socket.close();
});

async function udpSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

function runSipp(args: string[]) {
  return peers.start('sipp', [...args, '-nostdin', '-timeout', '30s', '-timeout_error']);
}

function send(socket: Socket, message: SipRequest | SipResponse, port: number): void {
  socket.send(serializeSipMessage(message), port, '127.0.0.1');
}

describe.skipIf(peer('sipp') === 'skip')('SIP messages against SIPp', () => {
  it('answers SIPp UAC calls with responses built by createResponse', async () => {
    requirePeer('sipp');
    const socket = await udpSocket();
    const seen = { INVITE: 0, ACK: 0, BYE: 0, parseErrors: 0 };
    const dialogTags = new Map<string, string>();
    socket.on('message', (bytes: Buffer, from: RemoteInfo) => {
      let message;
      try {
        message = parseSipMessage(bytes);
      } catch (error) {
        if (error instanceof SipParseError) seen.parseErrors++;
        return;
      }
      if (!message.isRequest()) return;
      const method = message.method as keyof typeof seen;
      if (method in seen) seen[method]++;
      const callId = message.callId!;
      if (message.method === 'INVITE') {
        const toTag = dialogTags.get(callId) ?? `uas${dialogTags.size}`;
        dialogTags.set(callId, toTag);
        send(socket, createResponse(message, 100), from.port);
        send(socket, createResponse(message, 180, { toTag }), from.port);
        const local = socket.address();
        const ok = createResponse(message, 200, {
          toTag,
          headers: [['Contact', `<sip:uas@127.0.0.1:${local.port}>`]],
          body: SDP,
          contentType: 'application/sdp',
        });
        send(socket, ok, from.port);
      } else if (message.method === 'BYE') {
        send(socket, createResponse(message, 200), from.port);
      }
    });
    const { port } = socket.address();
    const sipp = runSipp([
      `127.0.0.1:${port}`,
      '-sn',
      'uac',
      '-i',
      '127.0.0.1',
      '-m',
      '3',
      '-l',
      '3',
      '-r',
      '10',
    ]);
    const code = await sipp.exited;
    expect(code, sipp.output()).toBe(0);
    expect(seen).toEqual({ INVITE: 3, ACK: 3, BYE: 3, parseErrors: 0 });
  });

  it('places a call to a SIPp UAS with requests built by createRequest', async () => {
    requirePeer('sipp');
    const sippPort = await freeUdpPort();
    const sipp = runSipp(['-sn', 'uas', '-i', '127.0.0.1', '-p', String(sippPort), '-m', '1']);
    const socket = await udpSocket();
    const { port } = socket.address();
    const responses: SipResponse[] = [];
    let waiter: (() => void) | undefined;
    socket.on('message', (bytes: Buffer) => {
      const message = parseSipMessage(bytes);
      if (message instanceof SipResponse) responses.push(message);
      waiter?.();
    });
    const waitFor = async (predicate: () => boolean): Promise<void> => {
      while (!predicate()) await new Promise<void>((resolve) => (waiter = resolve));
    };

    const common = {
      requestUri: `sip:service@127.0.0.1:${sippPort}`,
      from: { uri: `sip:trunkline@127.0.0.1:${port}`, displayName: 'Trunkline', tag: 'caller1' },
      callId: `interop-${port}@127.0.0.1`,
      contact: `sip:trunkline@127.0.0.1:${port}`,
    };
    const via = { transport: 'UDP', host: '127.0.0.1', port };
    const invite = createRequest({
      ...common,
      method: 'INVITE',
      to: `sip:service@127.0.0.1:${sippPort}`,
      via,
      body: SDP,
      contentType: 'application/sdp',
    });
    // SIPp's UAS does not answer until it has been given time to start listening; resend like Timer A would.
    for (let i = 0; i < 20 && !responses.some((r) => r.statusCode === 200); i++) {
      send(socket, invite, sippPort);
      await Promise.race([
        waitFor(() => responses.some((r) => r.statusCode === 200)),
        new Promise((resolve) => setTimeout(resolve, 500)),
      ]);
    }
    const ok = responses.find((r) => r.statusCode === 200)!;
    expect(ok.callId).toBe(invite.callId);
    expect(ok.cseq!.method).toBe('INVITE');
    expect(ok.topVia!.branch).toBe(invite.topVia!.branch);
    const toTag = ok.to!.tag;
    expect(toTag).toBeDefined();
    expect(responses.some((r) => r.statusCode === 180)).toBe(true);

    const inDialog = {
      ...common,
      to: { uri: `sip:service@127.0.0.1:${sippPort}`, params: [['tag', toTag!]] as const },
    };
    send(socket, createRequest({ ...inDialog, method: 'ACK', cseq: 1, via }), sippPort);
    const bye = createRequest({ ...inDialog, method: 'BYE', cseq: 2, via });
    send(socket, bye, sippPort);
    await waitFor(() => responses.some((r) => r.cseq?.method === 'BYE'));
    expect(responses.find((r) => r.cseq?.method === 'BYE')!.statusCode).toBe(200);
    expect(await sipp.exited, sipp.output()).toBe(0);
  });
});
