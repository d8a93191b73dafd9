// Loopback throughput of the transport layer against raw Node sockets doing the same sends in the same run: the
// ratio is the cost of framing, contexts, connection lookup and the (inactive) trace on each message.

import dgram from 'node:dgram';
import net from 'node:net';
import { SipTransportLayer } from '../../src/sip/transport/sip-transport-layer.js';
import { measure, report } from './bench-support.js';

const TCP_MESSAGES = 20_000;
const UDP_MESSAGES = 10_000;
/** UDP sends wait for each batch to arrive: without a larger socket buffer, bursts overflow it. */
const UDP_BATCH = 100;

const MESSAGE = Buffer.from(
  'OPTIONS sip:bench@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK-bench\r\n' +
    'Max-Forwards: 70\r\nFrom: <sip:a@127.0.0.1>;tag=1\r\nTo: <sip:bench@127.0.0.1>\r\nCall-ID: bench@127.0.0.1\r\n' +
    `CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
  'latin1',
);

/** A connected pair of endpoints: `run` performs the measured sends, `close` releases the sockets. */
interface BenchSetup {
  readonly run: () => Promise<void>;
  readonly close: () => Promise<void>;
}

/** Resolves when `count()` reaches `target`, checking on every event-loop turn. */
function until(count: () => number, target: number): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (count() >= target) resolve();
      else setImmediate(check);
    };
    check();
  });
}

async function rawTcp(): Promise<BenchSetup> {
  let receivedBytes = 0;
  const server = net.createServer((socket) =>
    socket.on('data', (chunk: Buffer) => (receivedBytes += chunk.length)),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
  client.setNoDelay(true);
  await new Promise((resolve) => client.once('connect', resolve));
  return {
    run: async () => {
      const target = receivedBytes + TCP_MESSAGES * MESSAGE.length;
      for (let i = 0; i < TCP_MESSAGES; i++) client.write(MESSAGE);
      await until(() => receivedBytes, target);
    },
    close: async () => {
      client.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

async function rawUdp(): Promise<BenchSetup> {
  let received = 0;
  const receiver = dgram.createSocket('udp4');
  receiver.on('message', () => received++);
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const sender = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
  const { port } = receiver.address();
  return {
    run: async () => {
      for (let sent = 0; sent < UDP_MESSAGES; sent += UDP_BATCH) {
        const target = received + UDP_BATCH;
        for (let i = 0; i < UDP_BATCH; i++) sender.send(MESSAGE, port, '127.0.0.1');
        await until(() => received, target);
      }
    },
    close: async () => {
      await new Promise<void>((resolve) => sender.close(resolve));
      await new Promise<void>((resolve) => receiver.close(resolve));
    },
  };
}

/**
 * Two layers on loopback sending `messages` in bursts of `burst` (a burst is sent, then awaited on arrival): TCP
 * sends everything at once, UDP in small bursts so that socket buffers do not overflow.
 */
async function layerPair(transport: 'tcp' | 'udp', messages: number, burst: number): Promise<BenchSetup> {
  const server = new SipTransportLayer();
  const client = new SipTransportLayer();
  let received = 0;
  server.on('message', () => received++);
  const { local } = await server.listen({ transport });
  if (transport === 'udp') await client.listen({ transport });
  const to = { transport, host: '127.0.0.1', port: local.port };
  // Open the connection (TCP) before measuring.
  await client.send(MESSAGE, to);
  await until(() => received, 1);
  return {
    run: async () => {
      for (let sent = 0; sent < messages; sent += burst) {
        const target = received + burst;
        const sends: Array<Promise<unknown>> = [];
        for (let i = 0; i < burst; i++) sends.push(client.send(MESSAGE, to));
        await Promise.all(sends);
        await until(() => received, target);
      }
    },
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

export async function runTransportBench(): Promise<void> {
  const setups = {
    rawTcp: await rawTcp(),
    layerTcp: await layerPair('tcp', TCP_MESSAGES, TCP_MESSAGES),
    rawUdp: await rawUdp(),
    layerUdp: await layerPair('udp', UDP_MESSAGES, UDP_BATCH),
  };
  try {
    const tcpReference = await measure(
      'raw net.Socket writes, byte count (reference)',
      TCP_MESSAGES,
      setups.rawTcp.run,
    );
    report(`TCP loopback, ${TCP_MESSAGES} messages of ${MESSAGE.length} bytes`, 'msg/s', tcpReference, [
      await measure('SipTransportLayer send → framed message event', TCP_MESSAGES, setups.layerTcp.run),
    ]);
    const udpReference = await measure('raw dgram send/receive (reference)', UDP_MESSAGES, setups.rawUdp.run);
    report(`UDP loopback, ${UDP_MESSAGES} datagrams in batches of ${UDP_BATCH}`, 'msg/s', udpReference, [
      await measure('SipTransportLayer send → message event', UDP_MESSAGES, setups.layerUdp.run),
    ]);
  } finally {
    await Promise.all(Object.values(setups).map((setup) => setup.close()));
  }
}
