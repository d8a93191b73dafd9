// Browser mode: the built renderer and the PhoneApi over a WebSocket, on 127.0.0.1 only, for this run's holder
// of the launch token. Request order: Host check (DNS rebinding) → the token exchange or the session cookie →
// Origin check for upgrades → the route. Every answer carries the security headers of request-guard.ts.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { PhoneService } from '../host/index.js';
import { attachCommandSocket, type CommandSocketStats } from './command-socket.js';
import type { DownloadRegistry } from './download-registry.js';
import { isAllowedHost, isAllowedOrigin, securityHeaders } from './request-guard.js';
import {
  SESSION_COOKIE_NAME,
  newSessionSecrets,
  parseCookies,
  secretsEqual,
  sessionCookie,
  type SessionSecrets,
} from './session-token.js';
import { openStaticFile, resolveStaticFile } from './static-files.js';

export const WEB_SHELL_HOST = '127.0.0.1';
/** The WebSocket path; anything else upgrading is refused. */
export const API_SOCKET_PATH = '/api';
/** ws closes a connection whose single message exceeds this; the command socket refuses smaller oversized ones. */
const WS_MAX_PAYLOAD_BYTES = 1024 * 1024;

export interface WebShellOptions {
  readonly service: PhoneService;
  readonly downloads: DownloadRegistry;
  /** The built renderer (`renderer/dist`). */
  readonly rendererDir: string;
  /** 0 (default): a free port. */
  readonly port?: number;
  /** For tests: fixed secrets. */
  readonly secrets?: SessionSecrets;
  readonly log?: (message: string) => void;
}

export class WebShellServer {
  readonly #options: WebShellOptions;
  readonly #secrets: SessionSecrets;
  readonly #http: Server;
  readonly #wss: WebSocketServer;
  readonly stats: CommandSocketStats = { badMessages: 0, droppedBinaryFrames: 0, audioFramesIn: 0 };
  #port = 0;

  private constructor(options: WebShellOptions) {
    this.#options = options;
    this.#secrets = options.secrets ?? newSessionSecrets();
    this.#http = createServer((req, res) => this.#onRequest(req, res));
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD_BYTES });
    this.#http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.#onUpgrade(req, socket, head),
    );
    this.#http.on('clientError', (_error, socket) => socket.destroy());
  }

  static async start(options: WebShellOptions): Promise<WebShellServer> {
    const server = new WebShellServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#http.once('error', reject);
      server.#http.listen(options.port ?? 0, WEB_SHELL_HOST, () => {
        server.#http.off('error', reject);
        resolve();
      });
    });
    server.#port = (server.#http.address() as AddressInfo).port;
    return server;
  }

  get port(): number {
    return this.#port;
  }

  /** The URL to open: it carries the launch token. Print it only to the user who started Trunkline. */
  get url(): string {
    return `http://${WEB_SHELL_HOST}:${this.#port}/?token=${this.#secrets.launchToken}`;
  }

  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  #authenticated(req: IncomingMessage): boolean {
    return secretsEqual(
      parseCookies(req.headers.cookie).get(SESSION_COOKIE_NAME),
      this.#secrets.sessionSecret,
    );
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    try {
      const headers = securityHeaders(this.#port);
      for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
      if (!isAllowedHost(req.headers.host, this.#port)) {
        return plain(res, 421, 'This Trunkline server answers only to 127.0.0.1 and localhost.');
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        return plain(res, 405, 'Only GET and HEAD are served; commands travel over the WebSocket.');
      }
      const url = new URL(req.url ?? '/', `http://${WEB_SHELL_HOST}:${this.#port}`);
      const token = url.searchParams.get('token');
      if (token !== null) {
        if (!secretsEqual(token, this.#secrets.launchToken)) {
          return plain(
            res,
            401,
            'This link is not valid for this run of Trunkline. Open the URL it printed.',
          );
        }
        res.setHeader('Set-Cookie', sessionCookie(this.#secrets.sessionSecret));
        res.setHeader('Location', '/');
        res.statusCode = 303;
        res.end();
        return;
      }
      if (!this.#authenticated(req)) {
        return plain(
          res,
          401,
          'Open the URL Trunkline printed when it started: it carries this run\u2019s token.',
        );
      }
      const download = /^\/downloads\/([A-Za-z0-9_-]{10,64})\//.exec(url.pathname);
      if (download) return this.#serveDownload(download[1] ?? '', res);
      const file = resolveStaticFile(this.#options.rendererDir, url.pathname);
      if (file === undefined) return plain(res, 404, 'Not found.');
      res.statusCode = 200;
      res.setHeader('Content-Type', file.contentType);
      res.setHeader('Content-Length', file.sizeBytes);
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      const stream = openStaticFile(file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (error) {
      this.#options.log?.(`request failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) plain(res, 500, 'Trunkline could not answer this request.');
      else res.destroy();
    }
  }

  #serveDownload(id: string, res: ServerResponse): void {
    const download = this.#options.downloads.take(id);
    if (download === undefined) {
      return plain(res, 410, 'This download link was used already or has expired; export again.');
    }
    res.statusCode = 200;
    res.setHeader('Content-Type', download.contentType);
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="${download.fileName.replace(/[^\w.-]/g, '_')}"`,
    );
    const chunks = download.chunks()[Symbol.iterator]();
    // Writes page by page, waiting for the socket to drain, so a large history never sits in memory at once.
    const pump = (): void => {
      try {
        for (;;) {
          const next = chunks.next();
          if (next.done) {
            res.end();
            return;
          }
          if (!res.write(next.value)) {
            res.once('drain', pump);
            return;
          }
        }
      } catch (error) {
        this.#options.log?.(`export failed: ${error instanceof Error ? error.message : String(error)}`);
        res.destroy();
      }
    };
    pump();
  }

  #onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refuse = (status: number, reason: string): void => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, this.#port)) return refuse(421, 'Misdirected Request');
    if (!isAllowedOrigin(req.headers.origin, this.#port)) return refuse(403, 'Forbidden');
    if (!this.#authenticated(req)) return refuse(401, 'Unauthorized');
    const path = (req.url ?? '').split('?')[0];
    if (path !== API_SOCKET_PATH) return refuse(404, 'Not Found');
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      attachCommandSocket(ws, this.#options.service, this.stats);
    });
  }
}

function plain(res: ServerResponse, status: number, message: string): void {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`${message}\n`);
}
