// @vitest-environment happy-dom
// The in-call UI on a fake host: the call card (state, timer, codec badge, meters, DTMF keypad and keyboard, hold,
// mute, hang up, blind and attended transfer, errors at the call), the incoming-call banner over any view, the
// ended call's code and remedy, the audio path following the audible call, and the audio settings panel.

import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioSettings, CallSnapshot } from '../../electron/common/index.js';
import type { AudioLevels, CallAudio } from '../src/audio/call-audio.js';
import { handleShortcut } from '../src/features/use-keyboard-shortcuts.js';
import { FakePhoneApi } from './fake-phone-api.js';
import { INFO, SETTINGS } from './fixtures.js';
import { renderApp } from './render-app.js';

afterEach(cleanup);

const CONNECTED: CallSnapshot = {
  callId: 'c-1',
  direction: 'outbound',
  remoteNumber: '+14155550111',
  callerId: '+14155550101',
  profileId: 'emulator',
  state: 'connected',
  startedAtMs: Date.now() - 65_000,
  answeredAtMs: Date.now() - 65_000,
  muted: false,
  media: { codec: 'PCMU', srtpSuite: undefined },
  transfer: 'none',
};

class FakeAudio implements CallAudio {
  readonly started: string[] = [];
  stopped = 0;
  primed = 0;
  levelsNow: AudioLevels = { inputDbfs: -20, outputDbfs: -12 };
  prime() {
    this.primed++;
  }
  start(callId: string, _settings: AudioSettings) {
    this.started.push(callId);
    return Promise.resolve();
  }
  stop() {
    this.stopped++;
  }
  levels() {
    return this.levelsNow;
  }
  applySettings() {
    return Promise.resolve();
  }
}

function fakeApi(): FakePhoneApi {
  const available = { available: true as const };
  return new FakePhoneApi()
    .answer('app.info', () => ({
      ok: true,
      value: { ...INFO, features: { ...INFO.features, softphone: available, audio: available } },
    }))
    .answer('settings.get', () => ({ ok: true, value: SETTINGS }))
    .answer('calls.list', () => ({ ok: true, value: [] }))
    .answer('calls.predict', () => ({
      ok: true,
      value: { knowledge: 'account', number: undefined, warnings: [] },
    }))
    .answer('history.list', () => ({ ok: true, value: { calls: [], totalCount: 0, limit: 50, offset: 0 } }));
}

async function withCall(call: CallSnapshot = CONNECTED) {
  const api = fakeApi();
  const audio = new FakeAudio();
  const store = await renderApp(api);
  store.getState().attachCallAudio(audio);
  act(() => api.emit('call.updated', call));
  return { api, audio, store };
}

describe('the in-call panel', () => {
  it('shows the state, the timer, the codec badge and both level meters, and plays the call', async () => {
    const { audio } = await withCall();
    expect(screen.getByTestId('call-state').textContent).toBe('Connected');
    expect(screen.getByTestId('call-timer').textContent).toBe('1:05');
    expect(screen.getByTestId('call-media').textContent).toBe('PCMU · RTP (not encrypted)');
    await waitFor(() => expect(screen.getByTestId('level-output').getAttribute('data-dbfs')).toBe('-12.0'));
    expect(screen.getByTestId('level-input').getAttribute('data-dbfs')).toBe('-20.0');
    expect(audio.started).toEqual(['c-1']);
  });

  it('sends DTMF from the keypad and from the keyboard, and hangs up with Escape', async () => {
    const { api, store } = await withCall();
    api.answer('calls.sendDtmf', () => ({ ok: true, value: undefined }));
    api.answer('calls.hangup', () => ({ ok: true, value: undefined }));
    fireEvent.click(screen.getByTestId('dtmf-keypad').querySelector('[aria-label="Key 5"]')!);
    const key = (k: string) =>
      new KeyboardEvent('keydown', { key: k, code: k === '#' ? 'Digit3' : `Key${k}` });
    expect(handleShortcut(store, key('#'))).toBe(true);
    expect(handleShortcut(store, key('Escape'))).toBe(true);
    await waitFor(() =>
      expect(api.calls.filter((c) => c.command !== 'calls.predict').slice(-3)).toEqual([
        { command: 'calls.sendDtmf', params: { callId: 'c-1', digits: ['5'] } },
        { command: 'calls.sendDtmf', params: { callId: 'c-1', digits: ['#'] } },
        { command: 'calls.hangup', params: { callId: 'c-1' } },
      ]),
    );
    // The number being typed is untouched: in a call the digits are DTMF.
    expect(store.getState().number).toBe('');
  });

  it('holds, resumes and mutes through the host, showing what it answers', async () => {
    const { api } = await withCall();
    api.answer('calls.hold', () => ({ ok: true, value: { ...CONNECTED, state: 'on-hold' } }));
    api.answer('calls.mute', () => ({ ok: true, value: { ...CONNECTED, muted: true } }));
    fireEvent.click(screen.getByTestId('hold-button'));
    await waitFor(() => expect(screen.getByTestId('call-state').textContent).toBe('On hold'));
    expect(screen.getByTestId('hold-button').textContent).toBe('Resume');
    fireEvent.click(screen.getByTestId('mute-button'));
    await waitFor(() => expect(screen.getByTestId('mute-button').textContent).toBe('Unmute'));
  });

  it('shows a failed action at the call, in the host words', async () => {
    const { api } = await withCall();
    api.answer('calls.transferBlind', () => ({
      ok: false,
      error: { code: 'invalid_params', message: 'Only an answered call can be transferred.' },
    }));
    fireEvent.click(screen.getByTestId('transfer-blind'));
    expect((await screen.findByTestId('call-error')).textContent).toMatch(/Type the number/);
    fireEvent.change(screen.getByTestId('transfer-target'), { target: { value: '+14155550190' } });
    fireEvent.click(screen.getByTestId('transfer-blind'));
    await waitFor(() =>
      expect(screen.getByTestId('call-error').textContent).toBe('Only an answered call can be transferred.'),
    );
  });

  it('runs an attended transfer: hold, consultation call, then complete', async () => {
    const { api } = await withCall();
    const consultation: CallSnapshot = { ...CONNECTED, callId: 'c-2', remoteNumber: '+14155550190' };
    api.answer('calls.hold', () => ({ ok: true, value: { ...CONNECTED, state: 'on-hold' } }));
    api.answer('calls.dial', () => ({ ok: true, value: consultation }));
    api.answer('calls.transferAttended', () => ({
      ok: true,
      value: { ...CONNECTED, state: 'on-hold', transfer: 'succeeded', transferDetail: '200 OK' },
    }));
    fireEvent.change(screen.getByTestId('transfer-target'), { target: { value: '+14155550190' } });
    fireEvent.click(screen.getByTestId('transfer-consult'));
    fireEvent.click(await screen.findByTestId('transfer-complete'));
    await waitFor(() =>
      expect(screen.getByTestId('transfer-result').textContent).toBe('Transfer completed (200 OK)'),
    );
    expect(api.calls.find((c) => c.command === 'calls.transferAttended')?.params).toEqual({
      callId: 'c-1',
      consultationCallId: 'c-2',
    });
  });

  it('shows the ended call with its code, cause and remedy, and stops the audio', async () => {
    const { api, audio } = await withCall();
    act(() =>
      api.emit('call.updated', {
        ...CONNECTED,
        state: 'ended',
        hangup: { code: 4190, causeName: 'unknown_caller_id', message: 'Use one of your Plivo numbers.' },
      }),
    );
    expect(screen.queryByTestId('in-call')).toBeNull();
    expect(screen.getByTestId('ended-code').textContent).toBe('4190');
    expect(screen.getByTestId('ended-cause').textContent).toBe('unknown_caller_id');
    expect(screen.getByTestId('ended-explanation').textContent).toBe('Use one of your Plivo numbers.');
    expect(audio.stopped).toBeGreaterThan(0);
  });
});

describe('the incoming call banner', () => {
  it('rings over any view; Answer opens the Phone view, Enter answers too, Decline declines', async () => {
    const api = fakeApi();
    const store = await renderApp(api);
    act(() => store.getState().navigate('calls'));
    const ringing: CallSnapshot = {
      ...CONNECTED,
      callId: 'in-1',
      direction: 'inbound',
      state: 'incoming',
      answeredAtMs: undefined,
    };
    act(() => api.emit('call.incoming', ringing));
    expect(screen.getByTestId('incoming-call').textContent).toContain('+14155550111');
    api.answer('calls.answer', () => ({ ok: true, value: { ...ringing, state: 'connected' } }));
    fireEvent.click(screen.getByTestId('answer-button'));
    await waitFor(() => expect(screen.queryByTestId('incoming-call')).toBeNull());
    expect(store.getState().view).toBe('phone');

    act(() => api.emit('call.incoming', { ...ringing, callId: 'in-2' }));
    expect(handleShortcut(store, new KeyboardEvent('keydown', { key: 'Enter' }))).toBe(true);
    api.answer('calls.decline', () => ({ ok: true, value: undefined }));
    fireEvent.click(screen.getByTestId('decline-button'));
    await waitFor(() =>
      expect(api.calls.filter((c) => c.command === 'calls.answer' || c.command === 'calls.decline')).toEqual([
        { command: 'calls.answer', params: { callId: 'in-1' } },
        { command: 'calls.answer', params: { callId: 'in-2' } },
        { command: 'calls.decline', params: { callId: 'in-2' } },
      ]),
    );
  });
});

describe('the audio settings panel', () => {
  it('saves the processing options through settings.update', async () => {
    const api = fakeApi();
    api.answer('settings.update', (patch) => ({
      ok: true,
      value: { ...SETTINGS, audio: { ...SETTINGS.audio, ...(patch as { audio: AudioSettings }).audio } },
    }));
    await renderApp(api);
    fireEvent.click(screen.getByTestId('audio-auto-gain'));
    await waitFor(() =>
      expect(api.calls.find((c) => c.command === 'settings.update')?.params).toEqual({
        audio: { autoGainControl: false },
      }),
    );
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('audio-auto-gain').checked).toBe(false));
  });
});
