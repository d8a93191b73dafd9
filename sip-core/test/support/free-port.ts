// Ports for peers that cannot take port 0 themselves (SIPp's -p, baresip's sip_listen), and waiting for a peer
// to bind. Each port is only free "a moment ago": another process may still take it, so suites that start
// many peers pick ports from a random base to make collisions between parallel runs unlikely.

import dgram from 'node:dgram';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

async function canBindTcp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function canBindUdp(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** A port P such that P … P+span-1 are free for TCP and UDP on 127.0.0.1 right now. */
export async function freePorts(span = 1): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const base = 30_000 + Math.floor(Math.random() * 9_000);
    let free = true;
    for (let port = base; free && port < base + span; port++) {
      free = (await canBindTcp(port)) && (await canBindUdp(port));
    }
    if (free) return base;
  }
  throw new Error(`no ${span} consecutive free ports found`);
}

/** A UDP port on 127.0.0.1 that the OS just handed out (and we released). */
export async function freeUdpPort(): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

/** A TCP port on 127.0.0.1 that the OS just handed out (and we released). */
export async function freeTcpPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

/** Resolves once something is bound to UDP 127.0.0.1:`port` (our own bind attempt fails), or rejects. */
export async function waitForUdpBind(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const probe = dgram.createSocket('udp4');
    const bound = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(true));
      probe.bind(port, '127.0.0.1', () => resolve(false));
    });
    await new Promise<void>((resolve) => {
      try {
        probe.close(() => resolve());
      } catch {
        resolve();
      }
    });
    if (bound) return;
    await sleep(50);
  }
  throw new Error(`nothing bound UDP 127.0.0.1:${port} within ${timeoutMs} ms`);
}
