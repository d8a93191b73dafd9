// The front door of electron/common: the PhoneApi contract. The renderer imports only types from here.
export type * from './api-result.js';
export * from './audio.js';
export * from './audio-frame-codec.js';
export * from './content-security-policy.js';
export * from './electron-bridge.js';
export type * from './calls.js';
export type * from './checks.js';
export type * from './diagnosis.js';
export type * from './emulator.js';
export type * from './history.js';
export type * from './numbers.js';
export type * from './phone-api.js';
export * from './phone-api-commands.js';
export * from './phone-api-version.js';
export type * from './profiles.js';
export type * from './settings.js';
export * from './wire-protocol.js';
