// The config folder's front door: the config file's schema, the loader, defaults and the effective-config printer.

export {
  emulatorConfigFileSchema,
  listenSchema,
  mediaSchema,
  tlsSchema,
  type EmulatorConfigFile,
  type ListenConfig,
  type MediaConfig,
  type TlsConfig,
} from './emulator-config-schema.js';
export {
  MAX_CONFIG_BYTES,
  loadEmulatorConfig,
  loadEmulatorConfigOrThrow,
  parseEmulatorConfig,
  type EmulatorConfig,
  type EmulatorConfigOverrides,
  type LoadOptions,
  type ParseContext,
} from './load-emulator-config.js';
export { EmulatorConfigError, formatConfigIssues } from './emulator-config-error.js';
export { currentPlatform, defaultDataDir, type PlatformFacts } from './default-data-dir.js';
export { SETTING_EVIDENCE, type SettingEvidence } from './setting-evidence.js';
export {
  effectiveConfig,
  effectiveSettings,
  formatEffectiveConfig,
  redactUriPassword,
  type EffectiveSetting,
} from './effective-config.js';
export { serverCertificateNames } from './server-certificate-names.js';
