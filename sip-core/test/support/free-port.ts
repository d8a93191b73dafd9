import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A port that is free on 127.0.0.1 for UDP and TCP right now, for peers that cannot bind port 0 and report back.
 * Another process may take it before the peer binds; the suites that use it check that their peer came up.
 */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const udpFree = await new Promise<boolean>((resolve) => {
      const socket = createSocket('udp4');
      socket.once('error', () => resolve(false));
      socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
    });
    if (udpFree && port < 65000) return port;
  }
}
