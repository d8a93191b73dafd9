import { useEffect, useState } from 'react';
import { selectSettings } from '../store/selectors.js';
import { useAppActions, useAppStore } from '../store/use-app-store.js';

interface Device {
  readonly deviceId: string;
  readonly label: string;
}

/** Whether the browser can route playback to a chosen output (`AudioContext.setSinkId`, Chrome 110+). */
function canPickOutput(): boolean {
  return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
}

function useAudioDevices(): { inputs: Device[]; outputs: Device[] } {
  const [devices, setDevices] = useState<{ inputs: Device[]; outputs: Device[] }>({
    inputs: [],
    outputs: [],
  });
  useEffect(() => {
    const media = typeof navigator === 'undefined' ? undefined : navigator.mediaDevices;
    if (media?.enumerateDevices === undefined) return;
    const load = () =>
      void media.enumerateDevices().then((list) => {
        const pick = (kind: MediaDeviceKind) =>
          list
            .filter((d) => d.kind === kind && d.deviceId !== '' && d.deviceId !== 'default')
            .map((d, i) => ({
              deviceId: d.deviceId,
              label: d.label || `${kind === 'audioinput' ? 'Microphone' : 'Speaker'} ${i + 1}`,
            }));
        setDevices({ inputs: pick('audioinput'), outputs: pick('audiooutput') });
      });
    load();
    media.addEventListener('devicechange', load);
    return () => media.removeEventListener('devicechange', load);
  }, []);
  return devices;
}

/** Microphone and speaker choice and the capture processing options; saved in settings, applied to a live call. */
export function AudioSettingsPanel() {
  const settings = useAppStore(selectSettings);
  const actions = useAppActions();
  const { inputs, outputs } = useAudioDevices();
  const audio = settings?.audio;
  if (audio === undefined) return null;
  return (
    <section className="card" data-testid="audio-settings" aria-label="Audio settings">
      <h3>Audio</h3>
      <label className="field">
        <span className="field-label">Microphone</span>
        <select
          data-testid="audio-input"
          value={audio.inputDeviceId ?? ''}
          onChange={(e) => void actions.updateAudioSettings({ inputDeviceId: e.target.value || undefined })}
        >
          <option value="">System default</option>
          {inputs.map((d) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span className="field-label">Speaker</span>
        <select
          data-testid="audio-output"
          value={audio.outputDeviceId ?? ''}
          disabled={!canPickOutput()}
          title={canPickOutput() ? undefined : 'This browser plays through the system default output only.'}
          onChange={(e) => void actions.updateAudioSettings({ outputDeviceId: e.target.value || undefined })}
        >
          <option value="">System default</option>
          {outputs.map((d) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      <div className="audio-options">
        <label>
          <input
            type="checkbox"
            data-testid="audio-echo-cancellation"
            checked={audio.echoCancellation}
            onChange={(e) => void actions.updateAudioSettings({ echoCancellation: e.target.checked })}
          />{' '}
          Echo cancellation
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="audio-noise-suppression"
            checked={audio.noiseSuppression}
            onChange={(e) => void actions.updateAudioSettings({ noiseSuppression: e.target.checked })}
          />{' '}
          Noise suppression
        </label>
        <label>
          <input
            type="checkbox"
            data-testid="audio-auto-gain"
            checked={audio.autoGainControl ?? true}
            onChange={(e) => void actions.updateAudioSettings({ autoGainControl: e.target.checked })}
          />{' '}
          Automatic gain
        </label>
      </div>
    </section>
  );
}
