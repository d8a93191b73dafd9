// Responses on streams (RFC 3261 §18.2.2): over the connection the request came on, and — when that connection
// has gone — over a new connection to the Via sent-by, where the client listens. Two stacks on 127.0.0.1.

import { afterEach, expect, it } from 'vitest';
import { ManualClock } from '../../../src/common/manual-clock.js';
import {
  createRequest,
  createResponse,
  generateTag,
  type SipResponse,
} from '../../../src/sip/message/index.js';
import { SipStack } from '../../../src/sip/stack/index.js';
import type { ServerTransaction } from '../../../src/sip/transaction/index.js';
import type { ReceivedMessageContext } from '../../../src/sip/transport/index.js';

const stacks: SipStack[] = [];
afterEach(async () => {
  for (const stack of stacks.splice(0)) await stack.close();
});

it('answers over a new connection to the sent-by when the request’s connection has closed', async () => {
  const held: Array<[ServerTransaction, ReceivedMessageContext]> = [];
  const server = new SipStack({
    clock: new ManualClock(),
    transactionUser: { onRequest: (transaction, context) => held.push([transaction, context]) },
  });
  const client = new SipStack({ clock: new ManualClock() });
  stacks.push(server, client);
  const serverPort = (await server.listen({ transport: 'tcp' })).local.port;
  const clientPort = (await client.listen({ transport: 'tcp' })).local.port;

  const transaction = client.sendRequest(
    createRequest({
      method: 'OPTIONS',
      requestUri: `sip:server@127.0.0.1:${serverPort};transport=tcp`,
      from: 'sip:client@127.0.0.1',
      to: 'sip:server@127.0.0.1',
    }),
  );
  const answered = new Promise<SipResponse>((resolve) => transaction.on('response', resolve));
  await expect.poll(() => held.length).toBe(1);
  const [serverTransaction, context] = held[0];
  expect(context.connectionId).toBeDefined();
  expect(serverTransaction.request.topVia?.sentBy).toBe(`127.0.0.1:${clientPort}`);

  // The connection the OPTIONS came on goes away before the answer.
  server.transport.closeConnection(context.connectionId!);
  await expect.poll(() => server.transport.connections().length).toBe(0);
  serverTransaction.respond(createResponse(serverTransaction.request, 200, { toTag: generateTag() }));

  expect((await answered).statusCode).toBe(200);
  const [reopened] = server.transport.connections();
  expect(reopened).toMatchObject({ direction: 'outbound', remote: { port: clientPort } });
});
