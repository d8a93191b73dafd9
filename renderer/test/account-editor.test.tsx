// @vitest-environment happy-dom
// The Emulator view's account editor and inbound test call against a fake host: the dirty indicator, inline
// validation that keeps a bad draft from the host, the host's problems on their fields (until the field
// changes), a save that closes the editor, the warning before a restart ends calls, and an inbound call's live
// progress from the host's events.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorAccountDocument, EmulatorStatus } from '../../electron/common/index.js';
import { EDITOR_ACCOUNT } from './account-fixture.js';
import { FakePhoneApi } from './fake-phone-api.js';
import { INFO, SETTINGS } from './fixtures.js';
import { renderApp } from './render-app.js';

const RUNNING: EmulatorStatus = {
  state: 'running',
  listeners: [{ transport: 'udp', address: '127.0.0.1', port: 40123 }],
  activeCalls: 0,
};

function fakeApi(status: EmulatorStatus = RUNNING): FakePhoneApi {
  return new FakePhoneApi()
    .answer('app.info', () => ({ ok: true, value: INFO }))
    .answer('settings.get', () => ({ ok: true, value: SETTINGS }))
    .answer('history.list', () => ({ ok: true, value: { calls: [], totalCount: 0, limit: 50, offset: 0 } }))
    .answer('emulator.status', () => ({ ok: true, value: status }))
    .answer('emulator.recentEvents', () => ({ ok: true, value: [] }))
    .answer('emulator.getAccount', () => ({ ok: true, value: EDITOR_ACCOUNT }))
    .answer('emulator.liveCalls', () => ({ ok: true, value: [] }));
}

async function openEditor(api: FakePhoneApi): Promise<void> {
  await renderApp(api);
  fireEvent.click(screen.getByTestId('nav-emulator'));
  fireEvent.click(screen.getByTestId('account-edit'));
  await screen.findByTestId('account-editor');
}

function type(testId: string, value: string): void {
  fireEvent.change(screen.getByTestId(testId), { target: { value } });
}

const saves = (api: FakePhoneApi) => api.calls.filter((c) => c.command === 'emulator.saveAccount');

afterEach(() => cleanup());

describe('Account editor', () => {
  it('has every section with labelled fields, and shows the dirty state as the draft changes', async () => {
    await openEditor(fakeApi());
    for (const section of ['trunks', 'numbers', 'permissions', 'far-end', 'limits', 'switches']) {
      expect(screen.getByTestId(`editor-${section}`)).toBeTruthy();
    }
    expect(screen.getByLabelText('Account name')).toBe(screen.getByTestId('account-name'));
    expect(screen.getAllByLabelText('Primary origination URI')).toHaveLength(1);
    expect(screen.getByTestId('account-clean')).toBeTruthy();
    expect(screen.getByTestId('account-save').hasAttribute('disabled')).toBe(true);

    type('account-name', 'Renamed');
    expect(screen.getByTestId('account-dirty').textContent).toBe('Unsaved changes');
    expect(screen.getByTestId('account-save').hasAttribute('disabled')).toBe(false);
    type('account-name', 'Rehearsal');
    expect(screen.getByTestId('account-clean')).toBeTruthy();
  });

  it('never shows a stored password: the field holds the host mask, and an untouched one is sent back as is', async () => {
    const api = fakeApi().answer('emulator.saveAccount', (doc) => ({
      ok: true,
      value: doc as EmulatorAccountDocument,
    }));
    await openEditor(api);
    const password = screen.getByTestId<HTMLInputElement>('trunk-0-password');
    expect(password.type).toBe('password');
    expect(password.value).toBe('********');
    type('account-name', 'Renamed');
    fireEvent.click(screen.getByTestId('account-save'));
    await waitFor(() => expect(saves(api)).toHaveLength(1));
    const sent = saves(api)[0]?.params as Record<string, unknown>;
    expect((sent['credentials'] as Record<string, unknown>[])[0]?.['password']).toBe('********');
    expect(sent).not.toHaveProperty('far_end_numbers');
    await waitFor(() => expect(screen.queryByTestId('account-editor')).toBeNull());
    expect(screen.getByTestId('account-message').textContent).toMatch(/restarted with the new account/);
  });

  it('validates inline (E.164, IP/CIDR, URI) and keeps a draft with problems from the host', async () => {
    const api = fakeApi();
    await openEditor(api);
    fireEvent.click(screen.getByTestId('editor-add-number'));
    type('number-2', '0800 123');
    type('trunk-0-acl', '127.0.0.1/32\n300.0.0.1');
    type('trunk-1-primary-uri', 'pbx;transport=sctp');
    expect(screen.getByTestId('problem-number-2').textContent).toMatch(/E\.164/);
    expect(screen.getByTestId('problem-trunk-0-acl').textContent).toMatch(/300\.0\.0\.1/);
    expect(screen.getByTestId('problem-trunk-1-primary-uri').textContent).toMatch(/transport=udp/);
    expect(screen.getByTestId('number-2').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByTestId('account-problem-count').textContent).toBe('3 problems');
    fireEvent.click(screen.getByTestId('account-save'));
    await waitFor(() => expect(screen.getByTestId('account-message').textContent).toMatch(/Fix the 3/));
    expect(saves(api)).toHaveLength(0);
  });

  it("maps the host's problems to their fields and drops each once its field changes", async () => {
    const api = fakeApi().answer('emulator.saveAccount', () => ({
      ok: false,
      error: {
        code: 'invalid_params',
        message: 'The account was not saved: 2 fields need fixing (marked in the editor).',
        issues: [
          { path: 'numbers[1].number', message: 'already owned by another account' },
          { path: 'settings.ringTimeoutMs', message: 'must be at most 600000' },
        ],
      },
    }));
    await openEditor(api);
    type('switch-ringTimeoutMs', '9999999');
    fireEvent.click(screen.getByTestId('account-save'));
    await screen.findByTestId('problem-number-1');
    expect(screen.getByTestId('problem-number-1').textContent).toBe('already owned by another account');
    expect(screen.getByTestId('problem-switch-ringTimeoutMs').textContent).toBe('must be at most 600000');
    expect(screen.getByTestId('account-message').textContent).toMatch(/not saved/);
    type('number-1', '+14155550102');
    expect(screen.queryByTestId('problem-number-1')).toBeNull();
    expect(screen.getByTestId('problem-switch-ringTimeoutMs')).toBeTruthy();
  });

  it('warns that calls in progress will end before a save restarts the emulator', async () => {
    const api = fakeApi({ ...RUNNING, activeCalls: 2 }).answer('emulator.saveAccount', (doc) => ({
      ok: true,
      value: doc as EmulatorAccountDocument,
    }));
    await openEditor(api);
    type('account-name', 'Renamed');
    fireEvent.click(screen.getByTestId('account-save'));
    expect(screen.getByTestId('account-confirm').textContent).toMatch(/2 calls are in progress.*5250/);
    expect(saves(api)).toHaveLength(0);
    fireEvent.click(screen.getByTestId('account-confirm-no'));
    expect(screen.queryByTestId('account-confirm')).toBeNull();
    fireEvent.click(screen.getByTestId('account-save'));
    fireEvent.click(screen.getByTestId('account-confirm-yes'));
    await waitFor(() => expect(saves(api)).toHaveLength(1));
  });

  it('edits a trunk: credentials-only authentication drops the ACL link, and a CPS allocation lands in limits', async () => {
    const api = fakeApi().answer('emulator.saveAccount', (doc) => ({
      ok: true,
      value: doc as EmulatorAccountDocument,
    }));
    await openEditor(api);
    fireEvent.change(screen.getByTestId('trunk-0-auth'), { target: { value: 'credentials' } });
    expect(screen.queryByTestId('trunk-0-acl')).toBeNull();
    type('trunk-0-cps', '1');
    fireEvent.click(screen.getByTestId('account-save'));
    await waitFor(() => expect(saves(api)).toHaveLength(1));
    const sent = saves(api)[0]?.params as Record<string, Record<string, unknown>[] & Record<string, unknown>>;
    expect(sent['trunks']?.[0]).toMatchObject({ ipacl_uuid: null, credential_uuid: 'office-cred' });
    expect(sent['limits']).toMatchObject({ trunk_cps: { '10000000000001': 1 } });
  });

  it('cancel discards the draft; reset asks the host for the demo account', async () => {
    const api = fakeApi().answer('emulator.resetAccount', () => ({
      ok: true,
      value: { ...EDITOR_ACCOUNT, name: 'Trunkline demo account' },
    }));
    await openEditor(api);
    type('account-name', 'Renamed');
    fireEvent.click(screen.getByTestId('account-cancel'));
    expect(screen.queryByTestId('account-editor')).toBeNull();
    fireEvent.click(screen.getByTestId('account-edit'));
    expect(screen.getByTestId<HTMLInputElement>('account-name').value).toBe('Rehearsal');
    fireEvent.click(screen.getByTestId('account-reset'));
    await waitFor(() =>
      expect(screen.getByTestId('emulator-account').textContent).toContain('Trunkline demo account'),
    );
  });
});

describe('Inbound test call', () => {
  it('places a call to a DID of the account and shows its progress live from the events', async () => {
    const api = fakeApi().answer('emulator.placeInbound', () => ({ ok: true, value: { callUuid: 'in-1' } }));
    await renderApp(api);
    fireEvent.click(screen.getByTestId('nav-emulator'));
    expect(screen.getByTestId<HTMLSelectElement>('inbound-did').value).toBe('+14155550100');
    type('inbound-caller', 'not a number');
    expect(screen.getByTestId('inbound-place').hasAttribute('disabled')).toBe(true);
    type('inbound-caller', '+14155550199');
    fireEvent.click(screen.getByTestId('inbound-place'));
    await waitFor(() => expect(screen.getByTestId('inbound-state').textContent).toBe('Placing…'));
    expect(api.calls.find((c) => c.command === 'emulator.placeInbound')?.params).toEqual({
      to: '+14155550100',
      from: '+14155550199',
    });

    const event = (stage: string, extra: Record<string, string | number | null> = {}, callUuid = 'in-1') =>
      act(() =>
        api.emit('emulator.event', {
          atMs: 1,
          kind: 'inbound_call',
          callUuid,
          message: stage,
          detail: { stage, leg: 'primary', sipStatus: null, causeCode: null, causeName: null, ...extra },
        }),
      );
    event('attempt');
    expect(screen.getByTestId('inbound-state').textContent).toBe('Ringing your PBX (primary URI)…');
    event('attempt', {}, 'someone-else');
    act(() =>
      api.emit('emulator.event', {
        atMs: 1,
        kind: 'call_state',
        callUuid: 'in-1',
        message: 'ringing',
        detail: { state: 'ringing', direction: 'inbound', sipStatus: 180 },
      }),
    );
    expect(screen.getByTestId('inbound-state').textContent).toBe('Your PBX is ringing (180)');
    event('failover', { sipStatus: 503 });
    expect(screen.getByTestId('inbound-state').textContent).toBe(
      'Failed over to the fallback URI after 503 from the primary',
    );
    event('failed', { leg: 'fallback', causeCode: 5030, causeName: 'pbx_unreachable' });
    expect(screen.getByTestId('inbound-state').textContent).toBe('Failed: pbx_unreachable (5030)');
    expect(screen.getByTestId('inbound-progress').querySelectorAll('li')).toHaveLength(4);
  });
});
