import { afterEach, describe, expect, it } from 'vitest';
import type { ApiResult, CsvExport, HistoryPage, ResultMessage } from '../../common/index.js';
import {
  contentSecurityPolicy,
  isAllowedHost,
  isAllowedOrigin,
  secretsEqual,
} from '../../web-shell/index.js';
import { ANSWERED_CALL_UUID, REJECTED_CALL_UUID, seedDataDir } from '../support/seed-calls.js';
import {
  TestSocket,
  rawGet,
  sessionCookieOf,
  startHarness,
  type Harness,
} from '../support/web-shell-harness.js';

let harness: Harness | undefined;
const sockets: TestSocket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await harness?.close();
  harness = undefined;
});

async function authedSocket(h: Harness): Promise<TestSocket> {
  const cookie = await sessionCookieOf(h);
  const socket = await TestSocket.connect(h.port, { Cookie: cookie, Origin: `http://127.0.0.1:${h.port}` });
  sockets.push(socket);
  await socket.next((m) => m.type === 'hello');
  return socket;
}

function send(socket: TestSocket, message: unknown): void {
  socket.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
}

describe('browser-mode server', () => {
  it('requires the token: 401 without it, 401 with a wrong one, a cookie and a clean redirect with it', async () => {
    harness = await startHarness();
    expect((await rawGet(harness.port, '/')).status).toBe(401);
    expect((await rawGet(harness.port, '/app.js')).status).toBe(401);
    expect((await rawGet(harness.port, '/?token=guess')).status).toBe(401);
    const exchange = await rawGet(harness.port, `/?token=${harness.token}`);
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/');
    const setCookie = String(exchange.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).not.toContain(harness.token);
    const cookie = await sessionCookieOf(harness);
    const page = await rawGet(harness.port, '/', { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Trunkline</title>');
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy(harness.port));
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect((await rawGet(harness.port, '/', { Cookie: 'trunkline_session=forged' })).status).toBe(401);
  });

  it('refuses other Host names (DNS rebinding) and paths outside the renderer', async () => {
    harness = await startHarness();
    const cookie = await sessionCookieOf(harness);
    expect((await rawGet(harness.port, '/', { Cookie: cookie, Host: 'evil.example' })).status).toBe(421);
    expect(
      (await rawGet(harness.port, `/?token=${harness.token}`, { Host: `evil.example:${harness.port}` }))
        .status,
    ).toBe(421);
    expect((await rawGet(harness.port, '/../data/settings.json', { Cookie: cookie })).status).toBe(404);
    expect((await rawGet(harness.port, '/%2e%2e/data/settings.json', { Cookie: cookie })).status).toBe(404);
  });

  it('refuses WebSocket upgrades without the cookie or from another Origin', async () => {
    harness = await startHarness();
    const cookie = await sessionCookieOf(harness);
    const origin = `http://127.0.0.1:${harness.port}`;
    await expect(TestSocket.connect(harness.port, { Origin: origin })).rejects.toThrow(/401/);
    await expect(
      TestSocket.connect(harness.port, { Cookie: cookie, Origin: 'http://evil.example' }),
    ).rejects.toThrow(/403/);
    await expect(TestSocket.connect(harness.port, { Cookie: cookie })).rejects.toThrow(/403/);
    await expect(
      TestSocket.connect(harness.port, { Cookie: cookie, Origin: origin, Host: 'evil.example' }),
    ).rejects.toThrow(/421/);
  });

  it('carries a command and its result, and pushes events', async () => {
    harness = await startHarness(seedDataDir);
    const socket = await authedSocket(harness);
    send(socket, { type: 'command', id: 1, command: 'history.list', params: {} });
    const listed = (await socket.result(1)) as ResultMessage;
    const page = listed.result as ApiResult<HistoryPage>;
    expect(page.ok && page.value.calls.map((c) => c.call_uuid)).toEqual([
      REJECTED_CALL_UUID,
      ANSWERED_CALL_UUID,
    ]);

    send(socket, { type: 'command', id: 2, command: 'settings.update', params: { theme: 'dark' } });
    const event = await socket.next((m) => m.type === 'event' && m.event === 'settings.changed');
    expect(event.type === 'event' && event.event === 'settings.changed' && event.payload.theme).toBe('dark');
    expect(((await socket.result(2)) as ResultMessage).result.ok).toBe(true);
  });

  it.each([
    ['not JSON', '{"type": "command", ', 'bad_message'],
    ['JSON of the wrong shape', { hello: 'there' }, 'bad_message'],
    ['an id that is not a number', { type: 'command', id: 'x', command: 'app.info' }, 'bad_message'],
    [
      'an oversized message',
      { type: 'command', id: 9, command: 'app.info', params: 'x'.repeat(300 * 1024) },
      'bad_message',
    ],
  ])('answers %s with an error and keeps serving', async (_name, message, code) => {
    harness = await startHarness();
    const socket = await authedSocket(harness);
    send(socket, message);
    const answer = (await socket.result(null)) as ResultMessage;
    expect(!answer.result.ok && answer.result.error.code).toBe(code);
    send(socket, { type: 'command', id: 7, command: 'app.info' });
    expect(((await socket.result(7)) as ResultMessage).result.ok).toBe(true);
    expect(harness.server.stats.badMessages).toBe(1);
  });

  it('answers an unknown command and bad parameters with their codes, paired by id', async () => {
    harness = await startHarness();
    const socket = await authedSocket(harness);
    send(socket, { type: 'command', id: 3, command: 'calls.teleport' });
    send(socket, { type: 'command', id: 4, command: 'history.list', params: { limit: -1 } });
    send(socket, { type: 'command', id: 5, command: 'calls.dial', params: {} });
    const codes = await Promise.all(
      [3, 4, 5].map(async (id) => {
        const answer = (await socket.result(id)) as ResultMessage;
        return !answer.result.ok && answer.result.error.code;
      }),
    );
    expect(codes).toEqual(['unknown_command', 'invalid_params', 'invalid_params']);
  });

  it('serves a CSV export once, streamed from the store, with the session cookie only', async () => {
    harness = await startHarness(seedDataDir);
    const socket = await authedSocket(harness);
    send(socket, { type: 'command', id: 1, command: 'history.exportCsv', params: {} });
    const answer = (await socket.result(1)) as ResultMessage;
    const exported = answer.result as ApiResult<CsvExport>;
    if (!exported.ok || exported.value.kind !== 'download') throw new Error('no download link');
    expect((await rawGet(harness.port, exported.value.href)).status).toBe(401);
    const cookie = await sessionCookieOf(harness);
    const csv = await rawGet(harness.port, exported.value.href, { Cookie: cookie });
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="trunkline-calls-/);
    expect(csv.body).toContain(ANSWERED_CALL_UUID);
    expect(csv.body).toContain(REJECTED_CALL_UUID);
    expect((await rawGet(harness.port, exported.value.href, { Cookie: cookie })).status).toBe(410);
  });
});

describe('request guards', () => {
  it.each([
    ['127.0.0.1:4000', true],
    ['localhost:4000', true],
    ['LOCALHOST:4000', true],
    ['127.0.0.1:4001', false],
    ['127.0.0.1', false],
    ['evil.example:4000', false],
    [undefined, false],
  ])('Host %s → %s', (host, allowed) => {
    expect(isAllowedHost(host, 4000)).toBe(allowed);
  });

  it.each([
    ['http://127.0.0.1:4000', true],
    ['http://localhost:4000', true],
    ['https://127.0.0.1:4000', false],
    ['http://127.0.0.1:4001', false],
    ['null', false],
    [undefined, false],
  ])('Origin %s → %s', (origin, allowed) => {
    expect(isAllowedOrigin(origin, 4000)).toBe(allowed);
  });

  it('compares secrets whatever their lengths', () => {
    expect(secretsEqual('abc', 'abc')).toBe(true);
    expect(secretsEqual('abc', 'abd')).toBe(false);
    expect(secretsEqual('a', 'abc')).toBe(false);
    expect(secretsEqual(undefined, 'abc')).toBe(false);
  });

  it('allows no inline script, no eval and no framing', () => {
    const csp = contentSecurityPolicy(4000);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
  });
});
