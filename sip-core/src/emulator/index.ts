// The emulator layer's front door. Today it holds the building blocks that do not handle SIP calls (config, TLS
// material, admission counters, the far end, CDRs and events); the call-handling folders come next and are
// exported from here as they land. Other layers import from here, never from deeper files.

export * from './config/index.js';
export * from './tls/index.js';
export * from './limits/index.js';
export * from './far-end/index.js';
export * from './cdr/index.js';
export * from './emulator-events.js';
