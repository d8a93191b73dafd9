// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandMessage } from '../../electron/common/index.js';
import { WebSocketBridge, type ConnectionState } from '../src/bridge/websocket-bridge.js';

/** A stand-in for the browser's WebSocket: records what the bridge sends; the test plays the host. */
class FakeSocket extends EventTarget {
  static readonly OPEN = 1;
  static instances: FakeSocket[] = [];
  readonly OPEN = 1;
  readyState = 0;
  sent: CommandMessage[] = [];

  constructor(readonly url: string) {
    super();
    FakeSocket.instances.push(this);
  }

  send(text: string): void {
    this.sent.push(JSON.parse(text) as CommandMessage);
  }

  close(): void {
    this.readyState = 3;
    this.dispatchEvent(new Event('close'));
  }

  /** The host's side. */
  open(apiVersion = 1): void {
    this.readyState = 1;
    this.receive({ type: 'hello', apiVersion });
  }

  receive(message: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
}

beforeEach(() => {
  FakeSocket.instances = [];
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

describe('WebSocketBridge', () => {
  it('queues commands until the hello, then pairs each result with its command by id', async () => {
    const bridge = new WebSocketBridge('ws://127.0.0.1:1/api');
    const socket = FakeSocket.instances[0];
    const info = bridge.invoke('app.info');
    const settings = bridge.invoke('settings.get');
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent.map((m) => m.command)).toEqual(['app.info', 'settings.get']);
    const [first, second] = socket.sent;
    socket.receive({ type: 'result', id: second.id, result: { ok: true, value: 'settings' } });
    socket.receive({ type: 'result', id: first.id, result: { ok: true, value: 'info' } });
    expect(await info).toEqual({ ok: true, value: 'info' });
    expect(await settings).toEqual({ ok: true, value: 'settings' });
  });

  it('delivers events to the listeners of that event only, until unsubscribed', () => {
    const bridge = new WebSocketBridge('ws://127.0.0.1:1/api');
    const socket = FakeSocket.instances[0];
    socket.open();
    const notices: string[] = [];
    const unsubscribe = bridge.on('host.notice', (n) => notices.push(n.message));
    socket.receive({ type: 'event', event: 'settings.changed', payload: {} });
    socket.receive({
      type: 'event',
      event: 'host.notice',
      payload: { level: 'info', code: 'x', message: 'one' },
    });
    unsubscribe();
    socket.receive({
      type: 'event',
      event: 'host.notice',
      payload: { level: 'info', code: 'x', message: 'two' },
    });
    expect(notices).toEqual(['one']);
  });

  it('answers pending commands with unavailable when the connection drops, and reconnects', async () => {
    const bridge = new WebSocketBridge('ws://127.0.0.1:1/api');
    const states: ConnectionState[] = [];
    bridge.onConnectionChange((s) => states.push(s));
    const socket = FakeSocket.instances[0];
    socket.open();
    const pending = bridge.invoke('history.list', {});
    socket.close();
    const result = await pending;
    expect(!result.ok && result.error.code).toBe('unavailable');
    expect(states).toEqual(['open', 'lost']);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.instances).toHaveLength(2);
    FakeSocket.instances[1].open();
    expect(states).toEqual(['open', 'lost', 'open']);
  });

  it('refuses a host of another contract version and stops reconnecting', () => {
    const bridge = new WebSocketBridge('ws://127.0.0.1:1/api');
    const states: ConnectionState[] = [];
    bridge.onConnectionChange((s) => states.push(s));
    FakeSocket.instances[0].open(2);
    vi.advanceTimersByTime(10_000);
    expect(states).toEqual(['incompatible']);
    expect(FakeSocket.instances).toHaveLength(1);
  });

  it('ignores text that is not JSON', () => {
    new WebSocketBridge('ws://127.0.0.1:1/api');
    const socket = FakeSocket.instances[0];
    expect(() => socket.dispatchEvent(new MessageEvent('message', { data: 'not json' }))).not.toThrow();
  });
});
