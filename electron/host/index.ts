// The front door of electron/host: what the shells compose.
export {
  PhoneService,
  type ExportDelivery,
  type HostLogLevel,
  type PhoneServiceOptions,
} from './phone-service.js';
export {
  FileSecretStore,
  MemorySecretStore,
  readStringRecord,
  writePrivateJson,
  type SecretStore,
} from './secret-store.js';
export { SETTINGS_FILE_NAME, loadSettings, settingsPath } from './settings-file.js';
export { UNAVAILABLE_COMMANDS } from './unavailable.js';
export { EMULATOR_PROFILE_ID } from './default-settings.js';
export { LATENCY_TAP_ENV, LatencyTap, type HostLatencyStage } from './latency-tap.js';
export { defaultDataDir } from '../../sip-core/src/index.js';
