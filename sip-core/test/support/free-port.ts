// Ports for peers that cannot take port 0 (SIPp's -p, baresip's sip_listen). A port is offered only when it is
// free for both TCP and UDP on 127.0.0.1, together with `span - 1` ports after it.

import dgram from 'node:dgram';
import net from 'node:net';

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

/** A port P such that P … P+span-1 are free for TCP and UDP right now (another process may still take them). */
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
