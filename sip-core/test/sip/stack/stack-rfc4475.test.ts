// RFC 4475 over the wire: every torture message reaches a stack over a real UDP socket (and the ones that make
// sense on a stream over TCP), and what the stack then did is read from its trace — the response it sent (and its
// status) or the drop record it published. Invalid requests get 400 (or 505) when they can be answered and are
// otherwise dropped with a trace record; valid-but-unacceptable ones get the status the RFC names; nothing throws;
// and the stack still answers an ordinary INVITE afterwards.
//
// The stacks listen on 127.78.9.1 and the client sends from 127.78.9.2: the torture messages carry Via sent-by
// ports such as 5060, and responses are routed there (RFC 3261 §18.2.2), so they must not land on 127.0.0.1 where
// a real SIP service may listen. All of 127.0.0.0/8 is loopback on Linux; nothing leaves the machine.

import dgram from 'node:dgram';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  createRequest,
  createResponse,
  generateTag,
  serializeSipMessage,
  type AcceptabilityPolicy,
} from '../../../src/sip/message/index.js';
import { SipStack } from '../../../src/sip/stack/index.js';
import type { SipTraceRecord } from '../../../src/sip/trace/index.js';
import { RFC4475_CASES, torture, type Rfc4475Case } from '../../support/rfc4475.js';

const STACK_HOST = '127.78.9.1';
const CLIENT_HOST = '127.78.9.2';

type Role = 'uas' | 'registrar' | 'proxy';

/**
 * The element each message is meant for: REGISTERs go to a registrar (except regaut01, whose 405 is what a UAS
 * answers), zeromf to a proxy (its 483 is a proxy's answer), the rest to a UAS.
 */
function roleFor(name: string, bytes: Buffer): Role {
  if (name === 'zeromf') return 'proxy';
  return bytes.subarray(0, 9).toString('latin1') === 'REGISTER ' && name !== 'regaut01' ? 'registrar' : 'uas';
}

const POLICIES: Readonly<Record<Role, AcceptabilityPolicy>> = {
  uas: { role: 'uas', allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'MESSAGE'] },
  registrar: { role: 'registrar', allowedMethods: ['REGISTER', 'OPTIONS', 'ACK', 'CANCEL'] },
  proxy: { role: 'proxy' },
};

/**
 * badinv01 is answered with 400 in RFC 4475 but dropped here: its only Via is the malformed header, so a
 * response could neither be routed nor matched (sip/message README, "Tolerance").
 */
const DROPPED_INSTEAD: ReadonlySet<string> = new Set(['badinv01']);

/** Stream framing needs the datagram boundary for these (RFC 4475 marks them as UDP) or a complete header. */
const NOT_ON_STREAMS: ReadonlySet<string> = new Set(['baddn']);

interface Endpoint {
  readonly stack: SipStack;
  readonly udpPort: number;
  readonly tcpPort: number;
  readonly records: SipTraceRecord[];
}

/** One set of stacks per transport: a message sent over UDP first must not look like a retransmission on TCP. */
const endpoints = new Map<string, Endpoint>();
let client: dgram.Socket;

beforeAll(async () => {
  for (const [role, transport] of (['uas', 'registrar', 'proxy'] as const).flatMap((r) =>
    (['udp', 'tcp'] as const).map((t) => [r, t] as const),
  )) {
    const stack = new SipStack({
      clock: new ManualClock(),
      acceptability: POLICIES[role],
      warnAgent: 'trunkline.test',
      transactionUser: {
        onRequest(transaction) {
          transaction.respond(createResponse(transaction.request, 200, { toTag: generateTag() }));
        },
      },
    });
    const records: SipTraceRecord[] = [];
    stack.trace.subscribe((record) => records.push(record));
    const udp = await stack.listen({ transport: 'udp', host: STACK_HOST });
    const tcp = await stack.listen({ transport: 'tcp', host: STACK_HOST });
    endpoints.set(`${role}-${transport}`, {
      stack,
      udpPort: udp.local.port,
      tcpPort: tcp.local.port,
      records,
    });
  }
  client = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => client.bind(0, CLIENT_HOST, resolve));
});

afterAll(async () => {
  client.close();
  for (const { stack } of endpoints.values()) await stack.close();
});

interface Outcome {
  /** Status codes of the responses the stack sent, in order. */
  readonly statuses: number[];
  /** Reasons of the drop records it published. */
  readonly drops: string[];
}

const nameOf = (c: Rfc4475Case): string => c.file.replace(/\.dat$/, '');

function endpointFor(name: string, bytes: Buffer, transport: 'udp' | 'tcp'): Endpoint {
  return endpoints.get(`${roleFor(name, bytes)}-${transport}`)!;
}

/** Waits until the stack has reacted (sent something or dropped), then a little longer for the rest. */
async function outcomeAfter(endpoint: Endpoint, from: number): Promise<Outcome> {
  const reacted = (): boolean =>
    endpoint.records
      .slice(from)
      .some((r) => r.kind === 'drop' || (r.kind === 'message' && r.direction === 'sent'));
  for (let turn = 0; turn < 400 && !reacted(); turn++) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 20));
  const records = endpoint.records.slice(from);
  return {
    // Read from the status line only: a 400 copies the request's malformed headers verbatim (RFC 3261 §8.2.6.2).
    statuses: records.flatMap((r) => {
      if (r.kind !== 'message' || r.direction !== 'sent') return [];
      const status = /^SIP\/2\.0 (\d{3}) /.exec(Buffer.from(r.bytes).toString('latin1'))?.[1];
      return status === undefined ? [] : [Number(status)];
    }),
    drops: records.flatMap((r) => (r.kind === 'drop' ? [r.reason] : [])),
  };
}

async function overUdp(endpoint: Endpoint, bytes: Buffer): Promise<Outcome> {
  const from = endpoint.records.length;
  client.send(bytes, endpoint.udpPort, STACK_HOST);
  return outcomeAfter(endpoint, from);
}

async function overTcp(endpoint: Endpoint, bytes: Buffer): Promise<Outcome> {
  const from = endpoint.records.length;
  const socket = net.connect({ host: STACK_HOST, port: endpoint.tcpPort, localAddress: CLIENT_HOST });
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(bytes);
  try {
    return await outcomeAfter(endpoint, from);
  } finally {
    socket.destroy();
  }
}

/** What RFC 4475 (with our documented choices) expects from the element the message was sent to. */
function check(c: Rfc4475Case, bytes: Buffer, outcome: Outcome): void {
  const name = nameOf(c);
  const named = [c.expect, ...(c.expect_alt ?? [])].filter((x): x is string => x !== undefined);
  const finals = outcome.statuses.filter((s) => s >= 200);
  // Responses are never answered: the malformed ones are dropped as parse errors (§18.1.2), the valid ones as
  // not ours (their top Via names another element).
  const isResponse = bytes.subarray(0, 8).toString('latin1') === 'SIP/2.0 ';
  if (c.expect === 'drop' || DROPPED_INSTEAD.has(name) || isResponse) {
    expect(outcome.statuses, `${name} must not be answered`).toEqual([]);
    expect(outcome.drops.length, `${name} must leave a drop record`).toBeGreaterThan(0);
    return;
  }
  expect(finals, `${name} must get exactly one final response`).toHaveLength(1);
  const status = finals[0];
  if (c.expect === 'error') expect(status).toBeGreaterThanOrEqual(400);
  else if (c.expect !== undefined) expect(named).toContain(String(status));
  else if (c.verdict === 'invalid') expect(status, `${name} is accepted liberally`).toBeLessThan(300);
  // A valid message is never refused as malformed unless the RFC allows it (badbranch: 400).
  else if (status === 400 || status === 505) expect(named).toContain(String(status));
}

describe('RFC 4475 torture messages over UDP', () => {
  it.each(RFC4475_CASES.map((c) => [nameOf(c), c] as const))('%s', async (name, c) => {
    const bytes = torture(c.file);
    check(c, bytes, await overUdp(endpointFor(name, bytes, 'udp'), bytes));
  });
});

describe('RFC 4475 torture messages over TCP (those meaningful on a stream)', () => {
  const streamCases = RFC4475_CASES.filter((c) => c.transport !== 'udp' && !NOT_ON_STREAMS.has(nameOf(c)));

  it('leaves out only the datagram-framed messages and the archive’s unterminated baddn', () => {
    expect(RFC4475_CASES.length - streamCases.length).toBe(6);
  });

  it.each(streamCases.map((c) => [nameOf(c), c] as const))('%s', async (name, c) => {
    const bytes = torture(c.file);
    check(c, bytes, await overTcp(endpointFor(name, bytes, 'tcp'), bytes));
  });
});

describe('after the torture', () => {
  function invite(transport: 'UDP' | 'TCP', port: number) {
    return createRequest({
      method: 'INVITE',
      requestUri: `sip:alice@${STACK_HOST}:${port}`,
      from: `sip:bob@${CLIENT_HOST}`,
      to: `sip:alice@${STACK_HOST}`,
      contact: `sip:bob@${CLIENT_HOST}`,
      via: { transport, host: CLIENT_HOST, port: 5999, rport: null },
    });
  }

  it('the stacks never failed inside and still answer an ordinary INVITE over UDP and TCP', async () => {
    const uas = endpoints.get('uas-udp')!;
    expect((await overUdp(uas, serializeSipMessage(invite('UDP', uas.udpPort)))).statuses).toEqual([200]);
    const uasTcp = endpoints.get('uas-tcp')!;
    expect((await overTcp(uasTcp, serializeSipMessage(invite('TCP', uasTcp.tcpPort)))).statuses).toEqual([
      200,
    ]);
    for (const { stack } of endpoints.values()) expect(stack.counters.tuErrors).toBe(0);
  });
});
