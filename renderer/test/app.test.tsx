// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallDiagnosis, PreDialCheck } from '../../electron/common/index.js';
import { handleShortcut } from '../src/features/use-keyboard-shortcuts.js';
import { createAppStore } from '../src/store/app-store.js';
import { FakePhoneApi } from './fake-phone-api.js';
import { renderApp } from './render-app.js';
import { INFO, SETTINGS } from './fixtures.js';

const CHECK: PreDialCheck = {
  knowledge: 'account',
  number: {
    ok: true,
    e164: '+442079460000',
    country: 'GB',
    possibleCountries: ['GB'],
    valid: true,
    type: 'fixed-line',
    hint: '+44 20 7946 0000 · United Kingdom (GB) · fixed line',
  },
  warnings: [
    {
      code: 4190,
      causeName: 'unknown_caller_id',
      sipStatus: 403,
      ruleId: 'caller-id-owned',
      section: '§5.1',
      grade: 'D',
      message: 'The caller ID is not one of the account numbers: Zentrunk will end this call with 4190.',
    },
  ],
};

function fakeApi(): FakePhoneApi {
  return new FakePhoneApi()
    .answer('app.info', () => ({ ok: true, value: INFO }))
    .answer('settings.get', () => ({ ok: true, value: SETTINGS }))
    .answer('calls.predict', () => ({ ok: true, value: CHECK }))
    .answer('history.list', () => ({ ok: true, value: { calls: [], totalCount: 0, limit: 50, offset: 0 } }));
}

afterEach(() => cleanup());

describe('App frame', () => {
  it('opens on the Phone view with the call button disabled and says why', async () => {
    await renderApp(fakeApi());
    expect(screen.getByTestId('phone-view')).toBeTruthy();
    expect(screen.getByTestId<HTMLButtonElement>('call-button').disabled).toBe(true);
    expect(screen.getByTestId('call-unavailable').textContent).toMatch(/user agent/);
    expect(screen.getByTestId('unavailable-notice').textContent).toMatch(/sip-core\/src\/ua/);
  });

  it("shows the host's hint, country and pre-dial warnings as the number is typed", async () => {
    const api = fakeApi();
    await renderApp(api);
    fireEvent.change(screen.getByTestId('dial-number'), { target: { value: '+442079460000' } });
    await waitFor(() => expect(screen.getByTestId('number-hint').textContent).toMatch(/United Kingdom/));
    expect(screen.getByTestId('number-country').textContent).toBe('GB');
    expect(screen.getByTestId('predial-warnings').textContent).toMatch(/4190/);
    const predict = api.calls.filter((c) => c.command === 'calls.predict').at(-1);
    expect(predict?.params).toEqual({
      profileId: 'emulator',
      destination: '+442079460000',
      callerId: '+14155550101',
    });
  });

  it('shows the host notice when the settings file was recovered', async () => {
    const api = fakeApi();
    await renderApp(api);
    act(() =>
      api.emit('settings.recovered', {
        kind: 'corrupt',
        file: '/x/settings.json.unusable',
        message: 'The settings file could not be used; Trunkline started with default settings.',
      }),
    );
    expect(screen.getByRole('alert').textContent).toMatch(/default settings/);
  });

  it('tells a new user what the empty history is for', async () => {
    await renderApp(fakeApi());
    fireEvent.click(screen.getByTestId('nav-calls'));
    await waitFor(() => expect(screen.getByTestId('history-empty').textContent).toMatch(/Phone view/));
  });

  it('shows a stored call diagnosis and the full message of a clicked arrow', async () => {
    const diagnosis: CallDiagnosis = {
      call: {
        call_uuid: 'c1',
        call_direction: 'outbound',
        recorded_by: 'emulator',
        from_number: '+14155559999',
        to_number: '+442079460123',
        initiation_time: '2026-11-26 11:59:59',
        answer_time: null,
        end_time: '2026-11-26 11:59:59',
        call_duration: 0,
        hangup_cause_code: 4190,
        hangup_cause_name: 'unknown_caller_id',
        hangup_source: 'zentrunk',
        sip_status: 403,
        codec: null,
        srtp: false,
        trunk_domain: 'x',
      },
      record: {},
      ladder: {
        callId: 'x',
        participants: [
          { id: 0, label: 'Trunkline', endpoint: '127.0.0.1:40100', local: true },
          { id: 1, label: 'Zentrunk', endpoint: '127.0.0.1:5060', local: false },
        ],
        arrows: [
          {
            index: 0,
            offsetMs: 0,
            from: 0,
            to: 1,
            transport: 'udp',
            kind: 'request',
            method: 'INVITE',
            label: 'INVITE',
            retransmission: false,
            text: 'INVITE sip:x SIP/2.0',
          },
          {
            index: 1,
            offsetMs: 60,
            from: 1,
            to: 0,
            transport: 'udp',
            kind: 'response',
            method: 'INVITE',
            status: 403,
            label: '403 Forbidden',
            retransmission: false,
            text: 'SIP/2.0 403 Forbidden\r\nX-ZT-Hangup-Code: 4190',
          },
        ],
        outcome: { kind: 'rejected', summary: 'Rejected by Zentrunk with 403 Forbidden.' },
        finalResponse: { status: 403, reasonPhrase: 'Forbidden' },
      },
      explanation: {
        headline: 'Hangup code 4190 unknown_caller_id',
        hangupCode: { code: 4190, origin: 'header' },
        causes: [
          {
            code: 4190,
            causeName: 'unknown_caller_id',
            sipStatus: 403,
            meaning: 'Not your number.',
            remedy: 'Use one of your Plivo numbers.',
            whatToCheck: 'The From user.',
            inferred: false,
            grade: 'D',
          },
        ],
        evidence: [],
      },
      policyRule: { ruleId: 'caller-id-owned', section: '§5.1', grade: 'D' },
      media: { codec: null, srtpSuite: null, sent: undefined, received: undefined },
      hasCapture: false,
    };
    const api = fakeApi()
      .answer('history.list', () => ({
        ok: true,
        value: { calls: [diagnosis.call], totalCount: 1, limit: 50, offset: 0 },
      }))
      .answer('diagnosis.get', () => ({ ok: true, value: diagnosis }));
    await renderApp(api);
    fireEvent.click(screen.getByTestId('nav-calls'));
    fireEvent.click(await screen.findByTestId('history-row'));
    await screen.findByTestId('ladder');
    expect(screen.getByTestId('remedy').textContent).toBe('Use one of your Plivo numbers.');
    fireEvent.click(screen.getAllByTestId('ladder-arrow')[1]);
    expect(screen.getByTestId('ladder-message').textContent).toMatch(/X-ZT-Hangup-Code: 4190/);
  });
});

describe('keyboard shortcuts', () => {
  function key(init: KeyboardEventInit & { code?: string }): KeyboardEvent {
    return new KeyboardEvent('keydown', init);
  }

  it('dials digits typed outside a field, clears with Escape, switches views with Alt+digit', async () => {
    const api = fakeApi();
    const store = createAppStore(api);
    await store.getState().init();
    expect(handleShortcut(store, key({ key: '4' }))).toBe(true);
    expect(handleShortcut(store, key({ key: '#' }))).toBe(true);
    expect(store.getState().number).toBe('4#');
    expect(handleShortcut(store, key({ key: 'Escape' }))).toBe(true);
    expect(store.getState().number).toBe('');
    expect(handleShortcut(store, key({ key: '4', altKey: true, code: 'Digit4' }))).toBe(true);
    expect(store.getState().view).toBe('calls');
    // Off the Phone view, digits are not taken.
    expect(handleShortcut(store, key({ key: '5' }))).toBe(false);
  });
});
