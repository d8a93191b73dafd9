// The emulator layer's front door: the running server (`Emulator`), its control channel, and the building blocks
// (config, TLS material, admission counters, the far end, CDRs and events). Other layers import from here, never
// from deeper files.

export * from './config/index.js';
export * from './tls/index.js';
export * from './limits/index.js';
export * from './far-end/index.js';
export * from './cdr/index.js';
export * from './emulator-events.js';
export { Emulator, type EmulatorAddresses, type EmulatorStartOptions } from './emulator.js';
export { newCallUuid } from './calls/call-uuid.js';
export { EmulatorError, type EmulatorErrorCode } from './emulator-error.js';
export type { InboundCallRequest, InboundCallResult } from './inbound/inbound-call.js';
export {
  CONTROL_FILE_NAME,
  ControlChannel,
  ControlChannelError,
  readControlFile,
  requestInboundCall,
  type ControlFile,
  type ControlTarget,
} from './control/control-channel.js';
