// @vitest-environment happy-dom
// The Emulator view against a fake host: status and addresses, the demo account, live calls and the event log
// pushed by the host, a failure shown as a state, and History reloaded when the emulator writes a CDR.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorStatus } from '../../electron/common/index.js';
import { FakePhoneApi } from './fake-phone-api.js';
import { renderApp } from './render-app.js';
import { INFO, SETTINGS } from './fixtures.js';

const RUNNING: EmulatorStatus = {
  state: 'running',
  listeners: [
    { transport: 'udp', address: '127.0.0.1', port: 40123 },
    { transport: 'tcp', address: '127.0.0.1', port: 40124 },
  ],
  activeCalls: 0,
};

const ACCOUNT = {
  name: 'Trunkline demo account',
  trunks: [{ trunk_id: '10000000000001', name: 'Demo credential trunk', trunk_direction: 'outbound' }],
  credentials: [
    { credential_uuid: 'c', name: 'Demo credentials', username: 'trunkline', password: 'pw-demo' },
  ],
  numbers: [{ number: '14155550101', alias: 'US caller ID' }],
  far_end_numbers: [
    {
      number: '+14155550111',
      name: 'echo',
      description: 'Rings (180) and answers at once, echoes your audio',
    },
  ],
};

function fakeApi(status: EmulatorStatus = RUNNING): FakePhoneApi {
  return new FakePhoneApi()
    .answer('app.info', () => ({ ok: true, value: INFO }))
    .answer('settings.get', () => ({ ok: true, value: SETTINGS }))
    .answer('history.list', () => ({ ok: true, value: { calls: [], totalCount: 0, limit: 50, offset: 0 } }))
    .answer('emulator.status', () => ({ ok: true, value: status }))
    .answer('emulator.recentEvents', () => ({ ok: true, value: [] }))
    .answer('emulator.getAccount', () => ({ ok: true, value: ACCOUNT }))
    .answer('emulator.liveCalls', () => ({ ok: true, value: [] }));
}

async function renderEmulatorView(api: FakePhoneApi): Promise<void> {
  await renderApp(api);
  fireEvent.click(screen.getByTestId('nav-emulator'));
}

afterEach(() => cleanup());

describe('Emulator view', () => {
  it('shows the state, the real listening addresses and the demo account', async () => {
    await renderEmulatorView(fakeApi());
    expect(screen.getByTestId('emulator-state').textContent).toBe('Running');
    expect(screen.getByTestId('emulator-listener-udp').textContent).toBe('UDP 127.0.0.1:40123');
    expect(screen.getByTestId('emulator-credentials').textContent).toContain('trunkline');
    expect(screen.getByTestId('emulator-far-end').textContent).toContain('+14155550111');
    expect(screen.getByTestId('emulator-live-calls').textContent).toMatch(/No call is up/);
    expect(screen.getByTestId('emulator-events').textContent).toMatch(/Nothing yet/);
  });

  it('adds pushed events to the log, lists live calls, and reloads History on a CDR', async () => {
    let liveCalls = [
      {
        callUuid: 'u1',
        direction: 'outbound' as const,
        from: '+14155550101',
        to: '+14155550111',
        state: 'answered',
        startedAtMs: 0,
      },
    ];
    const api = fakeApi().answer('emulator.liveCalls', () => ({ ok: true, value: liveCalls }));
    await renderEmulatorView(api);
    act(() =>
      api.emit('emulator.event', { atMs: 1, kind: 'call_state', callUuid: 'u1', message: 'call answered' }),
    );
    await waitFor(() => expect(screen.getAllByTestId('emulator-live-call')).toHaveLength(1));
    expect(screen.getByTestId('emulator-event').textContent).toContain('call answered');

    liveCalls = [];
    const historyLoads = api.calls.filter((c) => c.command === 'history.list').length;
    act(() => api.emit('history.recorded', { callUuid: 'u1' }));
    await waitFor(() =>
      expect(api.calls.filter((c) => c.command === 'history.list').length).toBeGreaterThan(historyLoads),
    );
  });

  it('shows a failure to start as a state with its reason and offers to start again', async () => {
    await renderEmulatorView(
      fakeApi({ state: 'failed', listeners: [], activeCalls: 0, problem: 'The port is in use.' }),
    );
    expect(screen.getByTestId('emulator-state').textContent).toBe('Failed to start');
    expect(screen.getByTestId('emulator-problem').textContent).toBe('The port is in use.');
    expect(screen.getByTestId('emulator-addresses').textContent).toMatch(/Not listening/);
    expect(screen.getByTestId('emulator-start').hasAttribute('disabled')).toBe(false);
  });

  it('persists "Start with the app" through settings.update', async () => {
    const api = fakeApi().answer('settings.update', (patch) => ({
      ok: true,
      value: { ...SETTINGS, ...(patch as object) },
    }));
    await renderEmulatorView(api);
    const box = screen.getByTestId('emulator-starts-on-open');
    expect((box as HTMLInputElement).checked).toBe(true);
    fireEvent.click(box);
    await waitFor(() => expect((box as HTMLInputElement).checked).toBe(false));
    expect(api.calls.find((c) => c.command === 'settings.update')?.params).toEqual({
      emulatorStartsOnOpen: false,
    });
  });
});
