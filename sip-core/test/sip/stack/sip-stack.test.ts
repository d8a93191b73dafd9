// The stack over real UDP/TCP sockets on 127.0.0.1 against a hand-driven peer socket: Via insertion, received/rport,
// response routing, retransmitted requests, CANCEL both ways, the ACK for a non-2xx, stray and misrouted
// responses, transport errors and disposal. Timers run on a ManualClock, so nothing here waits for a timer.

import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  createRequest,
  createResponse,
  generateTag,
  parseSipMessage,
  serializeSipMessage,
  type SipRequest,
  type SipResponse,
} from '../../../src/sip/message/index.js';
import { responseRoute, SipStack, type TransactionUser } from '../../../src/sip/stack/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../../../src/sip/transaction/index.js';
import type { SipTraceRecord } from '../../../src/sip/trace/index.js';
import type { ReceivedMessageContext } from '../../../src/sip/transport/index.js';
import { nextEvent } from '../../support/events.js';
import { UdpTestSocket } from '../../support/udp-test-peer.js';

const stacks: SipStack[] = [];
const sockets: UdpTestSocket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.close();
  for (const stack of stacks.splice(0)) await stack.close();
});

interface Rig {
  readonly stack: SipStack;
  readonly clock: ManualClock;
  readonly port: number;
  readonly peer: UdpTestSocket;
  readonly records: SipTraceRecord[];
  readonly requests: ServerTransaction[];
}

async function rig(tu: Partial<TransactionUser> = {}): Promise<Rig> {
  const clock = new ManualClock();
  const requests: ServerTransaction[] = [];
  const stack = new SipStack({
    clock,
    tryingDelayMs: 60_000,
    transactionUser: {
      onRequest: (transaction, context) => {
        requests.push(transaction);
        tu.onRequest?.(transaction, context);
      },
      ...(tu.onAck ? { onAck: tu.onAck } : {}),
      ...(tu.onCancel ? { onCancel: tu.onCancel } : {}),
      ...(tu.onStrayResponse ? { onStrayResponse: tu.onStrayResponse } : {}),
    },
  });
  stacks.push(stack);
  const records: SipTraceRecord[] = [];
  stack.trace.subscribe((record) => records.push(record));
  const { local } = await stack.listen({ transport: 'udp' });
  const peer = await UdpTestSocket.open();
  sockets.push(peer);
  return { stack, clock, port: local.port, peer, records, requests };
}

/** A request as the peer socket sends it: its Via names `viaHost:viaPort`, with `;rport` when asked. */
function peerRequest(
  method: string,
  options: { viaHost?: string; viaPort: number; rport?: boolean; branch?: string; stackPort: number },
): SipRequest {
  return createRequest({
    method,
    requestUri: `sip:uas@127.0.0.1:${options.stackPort}`,
    from: 'sip:peer@127.0.0.1',
    to: 'sip:uas@127.0.0.1',
    callId: 'stack-test@127.0.0.1',
    contact: `sip:peer@127.0.0.1:${options.viaPort}`,
    via: {
      transport: 'UDP',
      host: options.viaHost ?? '127.0.0.1',
      port: options.viaPort,
      branch: options.branch ?? 'z9hG4bK-peer-1',
      ...(options.rport ? { rport: null } : {}),
    },
  });
}

async function nextSip(peer: UdpTestSocket): Promise<SipRequest | SipResponse> {
  return parseSipMessage(Buffer.from((await peer.next(3_000)).text, 'latin1'));
}

/** A request from the stack to the peer socket (the stack adds its Via when it sends). */
function toPeer(method: string, peerPort: number, transport = ''): SipRequest {
  return createRequest({
    method,
    requestUri: `sip:peer@127.0.0.1:${peerPort}${transport}`,
    from: 'sip:uas@127.0.0.1',
    to: 'sip:peer@127.0.0.1',
  });
}

function send(peer: UdpTestSocket, message: SipRequest | SipResponse, port: number): void {
  peer.send(serializeSipMessage(message).toString('latin1'), port);
}

describe('SipStack — incoming requests', () => {
  it('stamps received and rport, and answers at the source address and port (RFC 3581)', async () => {
    const r = await rig({
      onRequest: (t) => t.respond(createResponse(t.request, 200, { toTag: generateTag() })),
    });
    // The Via claims another host and port; with rport the answer must still reach the real source.
    send(
      r.peer,
      peerRequest('OPTIONS', { viaHost: '192.0.2.99', viaPort: 5999, rport: true, stackPort: r.port }),
      r.port,
    );
    const response = (await nextSip(r.peer)) as SipResponse;
    expect(response.statusCode).toBe(200);
    expect(response.topVia?.received).toBe('127.0.0.1');
    expect(response.topVia?.rport).toBe(r.peer.port);
  });

  it('without rport, answers at the Via sent-by port (RFC 3261 §18.2.2)', async () => {
    const r = await rig({
      onRequest: (t) => t.respond(createResponse(t.request, 200, { toTag: generateTag() })),
    });
    const other = await UdpTestSocket.open();
    sockets.push(other);
    send(r.peer, peerRequest('OPTIONS', { viaPort: other.port, stackPort: r.port }), r.port);
    expect(((await nextSip(other)) as SipResponse).statusCode).toBe(200);
  });

  it('absorbs a retransmitted request in its server transaction and re-sends the response', async () => {
    const r = await rig({
      onRequest: (t) => t.respond(createResponse(t.request, 200, { toTag: 'once' })),
    });
    const options = peerRequest('OPTIONS', { viaPort: 0, rport: true, stackPort: r.port });
    send(r.peer, options, r.port);
    await nextSip(r.peer);
    send(r.peer, options, r.port);
    const again = (await nextSip(r.peer)) as SipResponse;
    expect(again.to?.tag).toBe('once');
    expect(r.requests).toHaveLength(1);
    const sent = r.records.filter((x) => x.kind === 'message' && x.direction === 'sent');
    expect(sent.map((x) => x.kind === 'message' && x.retransmission === true)).toEqual([false, true]);
  });

  it('resendResponse sends a response’s bytes again along its route, as a retransmission; refused once closed', async () => {
    let wire: Uint8Array | undefined;
    let context: ReceivedMessageContext | undefined;
    const r = await rig({
      onRequest: (t, c) => {
        const ok = createResponse(t.request, 200, { toTag: generateTag() });
        wire = r.stack.serialize(ok);
        context = c;
        t.respond(ok, wire);
      },
    });
    // The Via names another port; with rport the retransmission must reach the real source, as the first did.
    send(r.peer, peerRequest('INVITE', { viaPort: 5999, rport: true, stackPort: r.port }), r.port);
    const first = await r.peer.next(3_000);
    const route = responseRoute(parseSipMessage(wire!).topVia!, context!);
    await r.stack.resendResponse(wire!, route);
    const again = await r.peer.next(3_000);
    expect(again.text).toBe(first.text);
    expect(again.text).toBe(Buffer.from(wire!).toString('utf8'));
    const sent = r.records.filter((x) => x.kind === 'message' && x.direction === 'sent');
    expect(sent.map((x) => x.kind === 'message' && x.retransmission === true)).toEqual([false, true]);
    await r.stack.close();
    await expect(r.stack.resendResponse(wire!, route)).rejects.toMatchObject({ code: 'SIP_STACK_CLOSED' });
  });

  it('CANCEL: 200 to the CANCEL, the TU decides the 487; an unknown CANCEL gets 481 (RFC 3261 §9.2)', async () => {
    const cancelled: InviteServerTransaction[] = [];
    const r = await rig({
      onRequest: (t) => t.respond(createResponse(t.request, 180, { toTag: 'ring' })),
      onCancel: (invite) => {
        cancelled.push(invite);
        invite.respond(createResponse(invite.request, 487, { toTag: 'ring' }));
      },
    });
    const invite = peerRequest('INVITE', { viaPort: 0, rport: true, stackPort: r.port });
    send(r.peer, invite, r.port);
    expect(((await nextSip(r.peer)) as SipResponse).statusCode).toBe(180);
    const cancel = peerRequest('CANCEL', { viaPort: 0, rport: true, stackPort: r.port });
    send(r.peer, cancel, r.port);
    const answers = [(await nextSip(r.peer)) as SipResponse, (await nextSip(r.peer)) as SipResponse];
    expect(answers.map((a) => `${a.statusCode} ${a.cseq?.method}`).sort()).toEqual([
      '200 CANCEL',
      '487 INVITE',
    ]);
    expect(cancelled).toHaveLength(1);

    send(
      r.peer,
      peerRequest('CANCEL', { viaPort: 0, rport: true, branch: 'z9hG4bK-nobody', stackPort: r.port }),
      r.port,
    );
    expect(((await nextSip(r.peer)) as SipResponse).statusCode).toBe(481);
  });

  it('CANCEL without an onCancel handler: the stack answers the INVITE with 487 itself', async () => {
    const r = await rig({
      onRequest: (t) => t.respond(createResponse(t.request, 180, { toTag: 'ring' })),
    });
    send(r.peer, peerRequest('INVITE', { viaPort: 0, rport: true, stackPort: r.port }), r.port);
    await nextSip(r.peer);
    send(r.peer, peerRequest('CANCEL', { viaPort: 0, rport: true, stackPort: r.port }), r.port);
    const statuses = [await nextSip(r.peer), await nextSip(r.peer)].map((m) => (m as SipResponse).statusCode);
    expect(statuses.sort()).toEqual([200, 487]);
  });

  it('an ACK for a 2xx (new branch) goes to the TU; an ACK for a non-2xx is absorbed by the transaction', async () => {
    const acks: SipRequest[] = [];
    const r = await rig({
      onRequest: (t) =>
        t.respond(createResponse(t.request, t.request.callId === 'busy' ? 486 : 200, { toTag: 'x' })),
      onAck: (ack) => acks.push(ack),
    });
    const invite = peerRequest('INVITE', { viaPort: 0, rport: true, stackPort: r.port });
    send(r.peer, invite, r.port);
    await nextSip(r.peer);
    send(
      r.peer,
      peerRequest('ACK', { viaPort: 0, rport: true, branch: 'z9hG4bK-ack-2xx', stackPort: r.port }),
      r.port,
    );
    await expect.poll(() => acks.length).toBe(1);

    const busy = peerRequest('INVITE', {
      viaPort: 0,
      rport: true,
      branch: 'z9hG4bK-busy',
      stackPort: r.port,
    });
    busy.callId = 'busy';
    send(r.peer, busy, r.port);
    const response = (await nextSip(r.peer)) as SipResponse;
    expect(response.statusCode).toBe(486);
    const ack = peerRequest('ACK', { viaPort: 0, rport: true, branch: 'z9hG4bK-busy', stackPort: r.port });
    ack.callId = 'busy';
    send(r.peer, ack, r.port);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(acks).toHaveLength(1);
  });
});

describe('SipStack — outgoing requests', () => {
  it('inserts our Via (branch, rport, our sent-by) and matches the response to the client transaction', async () => {
    const r = await rig();
    const options = toPeer('OPTIONS', r.peer.port);
    const transaction = r.stack.sendRequest(options);
    const received = (await nextSip(r.peer)) as SipRequest;
    const via = received.topVia!;
    expect(`${via.transport} ${via.sentBy}`).toBe(`UDP 127.0.0.1:${r.port}`);
    expect(via.hasRfc3261Branch).toBe(true);
    expect(via.rport).toBeNull();
    const answered = nextEvent<[SipResponse]>((l) => transaction.on('response', l));
    send(r.peer, createResponse(received, 200, { toTag: 'p' }), r.port);
    expect((await answered)[0].statusCode).toBe(200);
  });

  it('the INVITE client transaction ACKs a non-2xx itself, with the INVITE branch (RFC 3261 §17.1.1.3)', async () => {
    const r = await rig();
    const invite = toPeer('INVITE', r.peer.port);
    r.stack.sendInvite(invite);
    const received = (await nextSip(r.peer)) as SipRequest;
    send(r.peer, createResponse(received, 486, { toTag: 'busy' }), r.port);
    const ack = (await nextSip(r.peer)) as SipRequest;
    expect(ack.method).toBe('ACK');
    expect(ack.topVia?.branch).toBe(received.topVia?.branch);
    expect(ack.to?.tag).toBe('busy');
  });

  it('CANCEL waits for a provisional response, then goes out with the INVITE branch (RFC 3261 §9.1)', async () => {
    const r = await rig();
    const invite = toPeer('INVITE', r.peer.port);
    const transaction = r.stack.sendInvite(invite);
    const received = (await nextSip(r.peer)) as SipRequest;
    r.stack.cancel(transaction);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(r.records.filter((x) => x.kind === 'message' && x.direction === 'sent')).toHaveLength(1);
    send(r.peer, createResponse(received, 180, { toTag: 'ring' }), r.port);
    const cancel = (await nextSip(r.peer)) as SipRequest;
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.topVia?.branch).toBe(received.topVia?.branch);
    expect(cancel.cseq?.seq).toBe(received.cseq?.seq);
  });

  it('a stray 2xx to INVITE goes to the TU; other stray responses and misrouted ones are dropped with a record', async () => {
    const strays: SipResponse[] = [];
    const r = await rig({ onStrayResponse: (response) => strays.push(response) });
    const ours = (status: number, method: string, host = '127.0.0.1', port = r.port): SipResponse => {
      const request = createRequest({
        method,
        requestUri: 'sip:x@127.0.0.1',
        from: 'sip:uas@127.0.0.1',
        to: 'sip:x@127.0.0.1',
        via: { transport: 'UDP', host, port, branch: 'z9hG4bK-gone' },
      });
      return createResponse(request, status, { toTag: 't' });
    };
    send(r.peer, ours(200, 'INVITE'), r.port);
    send(r.peer, ours(180, 'INVITE'), r.port);
    send(r.peer, ours(200, 'INVITE', '192.0.2.1', 5060), r.port);
    await expect.poll(() => r.records.filter((x) => x.kind === 'drop').length).toBe(2);
    expect(strays.map((s) => s.statusCode)).toEqual([200]);
    expect(r.records.flatMap((x) => (x.kind === 'drop' ? [x.reason] : []))).toEqual([
      'stray-response',
      'via-mismatch',
    ]);
  });

  it('a transport failure reaches the TU as transportError (RFC 3261 §8.1.3.1: treat like 503)', async () => {
    const r = await rig();
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const transaction = r.stack.sendRequest(
      createRequest({
        method: 'OPTIONS',
        requestUri: `sip:nobody@127.0.0.1:${port};transport=tcp`,
        from: 'sip:uas@127.0.0.1',
        to: 'sip:nobody@127.0.0.1',
      }),
    );
    const [error] = await nextEvent<[{ code: string }]>((l) => transaction.on('transportError', l));
    expect(error.code).toBe('SIP_TRANSACTION_TRANSPORT_FAILED');
    expect(transaction.isTerminated).toBe(true);
  });

  it('refuses ACK and CANCEL in sendRequest, INVITE in sendRequest, and other methods in sendInvite', async () => {
    const r = await rig();
    const make = (method: string) =>
      createRequest({
        method,
        requestUri: 'sip:x@127.0.0.1',
        from: 'sip:a@127.0.0.1',
        to: 'sip:x@127.0.0.1',
      });
    for (const method of ['ACK', 'CANCEL', 'INVITE']) {
      expect(() => r.stack.sendRequest(make(method))).toThrow(
        expect.objectContaining({ code: 'SIP_STACK_WRONG_METHOD' }),
      );
    }
    expect(() => r.stack.sendInvite(make('BYE'))).toThrow(
      expect.objectContaining({ code: 'SIP_STACK_WRONG_METHOD' }),
    );
  });

  it('close() ends every transaction and leaves no timer behind', async () => {
    const r = await rig({ onRequest: (t) => t.respond(createResponse(t.request, 486, { toTag: 'b' })) });
    send(r.peer, peerRequest('INVITE', { viaPort: 0, rport: true, stackPort: r.port }), r.port);
    await nextSip(r.peer);
    r.stack.sendRequest(
      createRequest({
        method: 'OPTIONS',
        requestUri: `sip:p@127.0.0.1:${r.peer.port}`,
        from: 'sip:a@127.0.0.1',
        to: 'sip:p@127.0.0.1',
      }),
    );
    expect(r.stack.transactionCounts).toEqual({ clients: 1, servers: 1 });
    expect(r.clock.pendingTimers).toBeGreaterThan(0);
    await r.stack.close();
    expect(r.stack.transactionCounts).toEqual({ clients: 0, servers: 0 });
    expect(r.clock.pendingTimers).toBe(0);
    expect(() =>
      r.stack.sendRequest(
        createRequest({
          method: 'OPTIONS',
          requestUri: 'sip:x@127.0.0.1',
          from: 'sip:a@127.0.0.1',
          to: 'sip:x@127.0.0.1',
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'SIP_STACK_CLOSED' }));
  });
});

describe('SipStack — observeParsed (the stack shares its parse, docs/adr/0078)', () => {
  type Seen = { direction: string; retransmission: boolean; method: string | undefined; same: boolean };

  function watch(stack: SipStack, seen: Seen[], order: string[]) {
    return stack.observeParsed((record, message) => {
      order.push(`observed ${record.direction}`);
      seen.push({
        direction: record.direction,
        retransmission: record.retransmission === true,
        method:
          message === undefined ? undefined : message.isRequest() ? message.method : message.cseq?.method,
        same: message !== undefined && parseSipMessage(record.bytes).callId === message.callId,
      });
    });
  }

  it('hands received messages over before the TU, sent ones as they leave, retransmissions without a model', async () => {
    const order: string[] = [];
    const r = await rig({
      onRequest: (t) => {
        order.push('tu');
        t.respond(createResponse(t.request, 200, { toTag: 'once' }));
      },
    });
    const seen: Seen[] = [];
    watch(r.stack, seen, order);
    const options = peerRequest('OPTIONS', { viaPort: 0, rport: true, stackPort: r.port });
    send(r.peer, options, r.port);
    await nextSip(r.peer);
    send(r.peer, options, r.port);
    await nextSip(r.peer);

    expect(order.slice(0, 2)).toEqual(['observed received', 'tu']);
    expect(seen).toEqual([
      { direction: 'received', retransmission: false, method: 'OPTIONS', same: true },
      { direction: 'sent', retransmission: false, method: 'OPTIONS', same: true },
      { direction: 'received', retransmission: false, method: 'OPTIONS', same: true },
      // The server transaction re-sends its wire bytes: the stack has no model for them any more.
      { direction: 'sent', retransmission: true, method: undefined, same: false },
    ]);
  });

  it('a message that does not parse is observed without a model; a throwing observer costs nothing', async () => {
    const r = await rig({ onRequest: (t) => t.respond(createResponse(t.request, 200, { toTag: 'x' })) });
    const models: Array<string | undefined> = [];
    r.stack.observeParsed(() => {
      throw new Error('observer bug');
    });
    const subscription = r.stack.observeParsed((record, message) =>
      models.push(`${record.direction}:${message === undefined ? 'none' : 'model'}`),
    );
    r.peer.send('NOT SIP AT ALL\r\n\r\n', r.port);
    send(r.peer, peerRequest('OPTIONS', { viaPort: 0, rport: true, stackPort: r.port }), r.port);
    expect(((await nextSip(r.peer)) as SipResponse).statusCode).toBe(200);
    expect(models).toEqual(['received:none', 'received:model', 'sent:model']);
    expect(r.stack.counters.observerErrors).toBe(3);

    subscription.dispose();
    send(
      r.peer,
      peerRequest('OPTIONS', { viaPort: 0, rport: true, branch: 'z9hG4bK-2', stackPort: r.port }),
      r.port,
    );
    await nextSip(r.peer);
    expect(models).toHaveLength(3);
  });
});
