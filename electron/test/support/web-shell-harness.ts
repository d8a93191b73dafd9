// A browser-mode server on a free port with a fresh data folder and a stand-in renderer, and raw HTTP and
// WebSocket clients that can send any Host, Origin and Cookie (fetch cannot set Host).

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { HostMessage } from '../../common/index.js';
import { MemorySecretStore, PhoneService } from '../../host/index.js';
import { DownloadRegistry, WebShellServer } from '../../web-shell/index.js';

export interface Harness {
  readonly server: WebShellServer;
  readonly service: PhoneService;
  readonly dataDir: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

export async function startHarness(seed?: (dataDir: string) => void): Promise<Harness> {
  const root = mkdtempSync(join(tmpdir(), 'trunkline-web-'));
  const dataDir = join(root, 'data');
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Trunkline</title>');
  writeFileSync(join(rendererDir, 'app.js'), 'export {};');
  mkdirSync(dataDir, { recursive: true });
  seed?.(dataDir);
  const downloads = new DownloadRegistry();
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: 'test',
    exports: downloads,
    secrets: new MemorySecretStore(),
  });
  const server = await WebShellServer.start({ service, downloads, rendererDir });
  const token = new URL(server.url).searchParams.get('token') ?? '';
  return {
    server,
    service,
    dataDir,
    port: server.port,
    token,
    async close() {
      await server.close();
      await service.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
  /** The body as received, for binary downloads (a PCAP). */
  readonly bytes: Buffer;
}

export function rawGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'GET', headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
            bytes: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Exchanges the launch token for the session cookie, as the browser does on the first visit. */
export async function sessionCookieOf(harness: Harness): Promise<string> {
  const response = await rawGet(harness.port, `/?token=${harness.token}`);
  const setCookie = response.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
  if (response.status !== 303 || cookie === undefined)
    throw new Error(`token exchange failed: ${response.status}`);
  return cookie;
}

/** A WebSocket client that records every message; `next(predicate)` waits for one. */
export class TestSocket {
  readonly messages: HostMessage[] = [];
  /** Binary messages (audio frames), kept apart: they are not JSON. */
  readonly binary: Buffer[] = [];
  readonly #waiters: { predicate: (m: HostMessage) => boolean; resolve: (m: HostMessage) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (isBinary) {
        this.binary.push(data);
        return;
      }
      const message = JSON.parse(data.toString('utf8')) as HostMessage;
      this.messages.push(message);
      for (const waiter of this.#waiters.slice()) {
        if (waiter.predicate(message)) {
          this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
          waiter.resolve(message);
        }
      }
    });
  }

  static connect(port: number, headers: Record<string, string>): Promise<TestSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers });
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  next(predicate: (m: HostMessage) => boolean): Promise<HostMessage> {
    const seen = this.messages.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve) => this.#waiters.push({ predicate, resolve }));
  }

  result(id: number | null, after = 0): Promise<HostMessage> {
    return this.next((m) => m.type === 'result' && m.id === id && this.messages.indexOf(m) >= after);
  }

  close(): void {
    this.ws.terminate();
  }
}
