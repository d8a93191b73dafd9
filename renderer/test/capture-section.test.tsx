// @vitest-environment happy-dom
// The diagnosis view's capture card on a fake host, with a fake waveform player (a canvas is not part of
// happy-dom): the waveform gets both tracks' peaks and the DTMF markers; play/pause and zoom reach the player;
// "Delete capture" asks first and then shows the deleted state; a call without a capture says so; Export PCAP
// starts the download the host's link points at.

import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallCaptureView } from '../../electron/common/index.js';
import type { WaveformPlayer, WaveformPlayerFactory } from '../src/components/CaptureWaveform.js';
import type { WaveformData } from '../src/features/capture-waveform-data.js';
import { CaptureSection } from '../src/features/CaptureSection.js';
import { createAppStore } from '../src/store/app-store.js';
import { AppStoreContext } from '../src/store/use-app-store.js';
import { FakePhoneApi } from './fake-phone-api.js';

afterEach(cleanup);

const CALL = 'call-uuid-1';

function wavBase64(samples: number): string {
  const bytes = new Uint8Array(44 + samples * 2);
  const view = new DataView(bytes.buffer);
  [...'RIFF'].forEach((c, i) => (bytes[i] = c.charCodeAt(0)));
  [...'WAVE'].forEach((c, i) => (bytes[8 + i] = c.charCodeAt(0)));
  [...'data'].forEach((c, i) => (bytes[36 + i] = c.charCodeAt(0)));
  view.setUint32(40, samples * 2, true);
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, i % 2 === 0 ? 8192 : -8192, true);
  return btoa(String.fromCharCode(...bytes));
}

const AVAILABLE: CallCaptureView = {
  state: 'available',
  callUuid: CALL,
  startedAtMs: 0,
  durationMs: 2_000,
  sampleRateHz: 8000,
  sizeBytes: 64_000,
  dtmf: [
    { direction: 'sent', digit: '1', offsetMs: 500 },
    { direction: 'received', digit: '#', offsetMs: 1_500 },
  ],
  hasPcap: true,
  received: { wavBase64: wavBase64(16_000), sizeBytes: 32_044 },
  sent: { wavBase64: wavBase64(16_000), sizeBytes: 32_044 },
};

class FakePlayer implements WaveformPlayer {
  static created: { data: WaveformData; player: FakePlayer }[] = [];
  readonly zooms: number[] = [];
  playing = false;
  destroyed = false;
  #listener: ((playing: boolean) => void) | undefined;
  playPause(): Promise<void> {
    this.playing = !this.playing;
    this.#listener?.(this.playing);
    return Promise.resolve();
  }
  zoom(px: number): void {
    this.zooms.push(px);
  }
  onPlayingChange(listener: (playing: boolean) => void): void {
    this.#listener = listener;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

const fakeFactory: WaveformPlayerFactory = ({ data }) => {
  const player = new FakePlayer();
  FakePlayer.created.push({ data, player });
  return player;
};

async function renderSection(api: FakePhoneApi) {
  const store = createAppStore(api);
  // The section lives in the diagnosis panel of this call.
  store.setState({ diagnosisCallUuid: CALL });
  render(
    <AppStoreContext.Provider value={store}>
      <CaptureSection callUuid={CALL} createPlayer={fakeFactory} />
    </AppStoreContext.Provider>,
  );
  await act(() => Promise.resolve());
  return store;
}

describe('CaptureSection', () => {
  it('draws both tracks with the DTMF markers; play/pause and zoom reach the player', async () => {
    FakePlayer.created = [];
    const api = new FakePhoneApi().answer('diagnosis.getCapture', () => ({ ok: true, value: AVAILABLE }));
    await renderSection(api);
    await waitFor(() => expect(screen.getByTestId('capture-waveform')).toBeTruthy());
    const { data, player } = FakePlayer.created.at(-1)!;
    expect(data.durationSeconds).toBe(2);
    expect(data.receivedPeaks.length).toBeGreaterThan(100);
    expect(data.sentPeaks.every((p) => p === 0.25)).toBe(true);
    expect(data.markers.map((m) => m.label)).toEqual(['↑1', '↓#']);
    expect(screen.getByTestId('capture-dtmf').textContent).toContain('↑1 at 0.50 s');

    fireEvent.click(screen.getByTestId('capture-play'));
    await waitFor(() => expect(screen.getByTestId('capture-play').textContent).toBe('Pause'));
    expect(player.playing).toBe(true);
    fireEvent.change(screen.getByTestId('capture-zoom'), { target: { value: '120' } });
    expect(player.zooms).toEqual([120]);
  });

  it('deletes the capture only after the confirmation, then shows the deleted state', async () => {
    FakePlayer.created = [];
    const api = new FakePhoneApi()
      .answer('diagnosis.getCapture', () => ({ ok: true, value: AVAILABLE }))
      .answer('diagnosis.deleteCapture', () => ({
        ok: true,
        value: { state: 'deleted', callUuid: CALL, deletedAtMs: 1, reason: 'user' },
      }));
    await renderSection(api);
    await waitFor(() => expect(screen.getByTestId('capture-delete')).toBeTruthy());
    fireEvent.click(screen.getByTestId('capture-delete'));
    expect(api.calls.some((c) => c.command === 'diagnosis.deleteCapture')).toBe(false);
    expect(screen.getByTestId('capture-delete-confirm').textContent).toMatch(/Delete this call/);
    fireEvent.click(screen.getByTestId('capture-delete-yes'));
    await waitFor(() => expect(screen.getByTestId('capture-empty').textContent).toMatch(/was deleted/));
    expect(api.calls.filter((c) => c.command === 'diagnosis.deleteCapture')).toEqual([
      { command: 'diagnosis.deleteCapture', params: { callUuid: CALL } },
    ]);
    expect(FakePlayer.created.at(-1)!.player.destroyed).toBe(true);
  });

  it('says when there is no local capture (an emulator-side call)', async () => {
    const api = new FakePhoneApi().answer('diagnosis.getCapture', () => ({
      ok: true,
      value: { state: 'none', callUuid: CALL },
    }));
    await renderSection(api);
    await waitFor(() =>
      expect(screen.getByTestId('capture-empty').textContent).toMatch(
        /no local capture — emulator-side call/i,
      ),
    );
    expect(screen.queryByTestId('capture-waveform')).toBeNull();
  });

  it('exports the PCAP through the download link the host answers', async () => {
    const api = new FakePhoneApi()
      .answer('diagnosis.getCapture', () => ({ ok: true, value: { state: 'none', callUuid: CALL } }))
      .answer('diagnosis.exportPcap', () => ({
        ok: true,
        value: { kind: 'download', href: '/downloads/abc/call.pcapng', fileName: 'call.pcapng' },
      }));
    await renderSection(api);
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      clicked.push(`${this.getAttribute('href')} ${this.download}`);
    });
    fireEvent.click(screen.getByTestId('export-pcap'));
    await waitFor(() => expect(clicked).toEqual(['/downloads/abc/call.pcapng call.pcapng']));
    click.mockRestore();
  });
});
