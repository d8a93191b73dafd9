import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AudioEngine } from './audio/audio-engine.js';
import { connectBridge } from './bridge/connect-bridge.js';
import { WebSocketBridge } from './bridge/websocket-bridge.js';
import { App } from './features/App.js';
import { createAppStore } from './store/app-store.js';
import { AppStoreContext } from './store/use-app-store.js';
import './styles/app.css';

const bridge = connectBridge();
const store = createAppStore(bridge);
if (bridge instanceof WebSocketBridge) {
  store.getState().setConnection(bridge.connectionState === 'open' ? 'open' : 'connecting');
  bridge.onConnectionChange((state) => store.getState().setConnection(state));
}
const audio = new AudioEngine(bridge);
store.getState().attachCallAudio(audio);
// Probes of the audio path for the e2e suite and bench:app (received audio, levels, the latency edges); they
// expose no call control and no secret.
Object.assign(window, {
  trunklineAudioProbe: {
    receivedSamples: () => Array.from(audio.receivedSamples()),
    levels: () => audio.levels(),
    startLatencyProbe: () => audio.startLatencyProbe(),
    latencyProbe: () => audio.latencyProbe(),
  },
});
void store.getState().init();

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element.');
createRoot(root).render(
  <StrictMode>
    <AppStoreContext.Provider value={store}>
      <App />
    </AppStoreContext.Provider>
  </StrictMode>,
);
