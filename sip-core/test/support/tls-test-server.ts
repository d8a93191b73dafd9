// A TLS server on 127.0.0.1 that completes handshakes and closes: what the TLS check connects to. Sockets are
// tracked and destroyed on close, so a test never leaves one open.

import type { Socket } from 'node:net';
import tls from 'node:tls';

export interface TlsTestServer {
  readonly port: number;
  readonly handshakes: number;
  close(): Promise<void>;
}

export async function startTlsTestServer(options: tls.TlsOptions): Promise<TlsTestServer> {
  const sockets = new Set<Socket>();
  let handshakes = 0;
  const server = tls.createServer(options, (socket) => {
    handshakes++;
    socket.on('error', () => undefined);
    socket.end();
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the TLS test server has no port');
  return {
    port: address.port,
    get handshakes() {
      return handshakes;
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
