// The control channel of a running emulator: a small HTTP server on 127.0.0.1 (never another interface) through
// which another process on this machine — `trunkline emulator place-call` — asks the emulator to place an
// inbound call. Who may use it is decided by a random per-run token, written with the port into
// `<dataDir>/emulator-control.json` with mode 0600: whoever can read the data folder owns the emulator anyway.
//
//   POST /v1/inbound-calls   Authorization: Bearer <token>   {"from": "+1…", "to": "+1…", "hangupAfterMs"?: n}
//     → 200 InboundCallResult | 400 (bad JSON or numbers) | 401 (token) | 404 | 413 (body over 16 KiB)
//   GET  /v1/status          Authorization: Bearer <token>   → 200 { addresses, activeCalls }
//
// The token is compared in constant time and never printed; the file is removed when the channel closes.

import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describeError, TrunklineError } from '../../common/errors.js';
import type { InboundCallRequest, InboundCallResult } from '../inbound/inbound-call.js';

export const CONTROL_FILE_NAME = 'emulator-control.json';
const MAX_BODY_BYTES = 16 * 1024;

/** What the control file holds. */
export interface ControlFile {
  readonly version: 1;
  readonly url: string;
  readonly token: string;
  readonly pid: number;
}

/** What the channel asks of the emulator (the Emulator itself, or a stand-in in tests). */
export interface ControlTarget {
  placeInboundCall(request: InboundCallRequest): Promise<InboundCallResult>;
  status(): unknown;
}

export class ControlChannelError extends TrunklineError {
  declare readonly code: 'EMULATOR_CONTROL_UNAVAILABLE' | 'EMULATOR_CONTROL_REFUSED';
}

export class ControlChannel {
  readonly url: string;
  readonly #server: Server;
  readonly #file: string;

  private constructor(server: Server, url: string, file: string) {
    this.#server = server;
    this.url = url;
    this.#file = file;
  }

  /** Listens on 127.0.0.1 (a free port) and writes the control file into `dataDir`. */
  static async open(target: ControlTarget, dataDir: string): Promise<ControlChannel> {
    const token = randomBytes(32).toString('base64url');
    const expected = Buffer.from(`Bearer ${token}`);
    const server = createServer((request, response) => {
      handle(target, expected, request, response).catch((error: unknown) =>
        reply(response, 500, { error: describeError(error) }),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}`;
    const file = join(dataDir, CONTROL_FILE_NAME);
    const content: ControlFile = { version: 1, url, token, pid: process.pid };
    writeFileSync(file, `${JSON.stringify(content)}\n`, { mode: 0o600 });
    // An older file keeps its mode on overwrite: make sure it is ours alone.
    chmodSync(file, 0o600);
    return new ControlChannel(server, url, file);
  }

  async close(): Promise<void> {
    rmSync(this.#file, { force: true });
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

async function handle(
  target: ControlTarget,
  expected: Buffer,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const given = Buffer.from(request.headers.authorization ?? '');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    reply(response, 401, { error: 'wrong or missing token' });
    return;
  }
  if (request.method === 'GET' && request.url === '/v1/status') {
    reply(response, 200, target.status());
    return;
  }
  if (request.method !== 'POST' || request.url !== '/v1/inbound-calls') {
    reply(response, 404, { error: 'no such endpoint' });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      reply(response, 413, { error: 'request body too large' });
      return;
    }
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    reply(response, 400, { error: 'the body must be JSON' });
    return;
  }
  const call = inboundRequestOf(body);
  if (typeof call === 'string') {
    reply(response, 400, { error: call });
    return;
  }
  try {
    reply(response, 200, await target.placeInboundCall(call));
  } catch (error) {
    reply(response, 400, { error: describeError(error) });
  }
}

function inboundRequestOf(body: unknown): InboundCallRequest | string {
  if (typeof body !== 'object' || body === null) return 'the body must be a JSON object';
  const { from, to, hangupAfterMs } = body as Record<string, unknown>;
  if (typeof from !== 'string' || from === '') return '"from" must be the caller’s number';
  if (typeof to !== 'string' || to === '') return '"to" must be a DID of the account';
  if (hangupAfterMs !== undefined && (typeof hangupAfterMs !== 'number' || !(hangupAfterMs > 0))) {
    return '"hangupAfterMs" must be a positive number';
  }
  return { from, to, ...(typeof hangupAfterMs === 'number' ? { hangupAfterMs } : {}) };
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Reads the control file of the emulator running on `dataDir`. */
export function readControlFile(dataDir: string): ControlFile {
  const file = join(dataDir, CONTROL_FILE_NAME);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    throw new ControlChannelError(
      'EMULATOR_CONTROL_UNAVAILABLE',
      `No emulator is running on ${dataDir} (no readable ${CONTROL_FILE_NAME}). Start one with ` +
        '`trunkline emulator`, or pass the same --data as it uses.',
    );
  }
  const f = parsed as Partial<ControlFile>;
  if (f.version !== 1 || typeof f.url !== 'string' || typeof f.token !== 'string') {
    throw new ControlChannelError(
      'EMULATOR_CONTROL_UNAVAILABLE',
      `${file} is not a control file of this Trunkline version; restart the emulator.`,
    );
  }
  return f as ControlFile;
}

/** Asks the emulator running on `dataDir` to place an inbound call; resolves with its result. */
export async function requestInboundCall(
  dataDir: string,
  call: InboundCallRequest,
): Promise<InboundCallResult> {
  const control = readControlFile(dataDir);
  let response: Response;
  try {
    response = await fetch(`${control.url}/v1/inbound-calls`, {
      method: 'POST',
      headers: { authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(call),
    });
  } catch {
    throw new ControlChannelError(
      'EMULATOR_CONTROL_UNAVAILABLE',
      `The emulator on ${dataDir} does not answer (it may have stopped); start it again.`,
    );
  }
  const body = (await response.json().catch(() => ({}))) as { error?: string } & InboundCallResult;
  if (!response.ok) {
    throw new ControlChannelError(
      'EMULATOR_CONTROL_REFUSED',
      `The emulator refused the call: ${body.error ?? `HTTP ${response.status}`}.`,
    );
  }
  return body;
}
