// The front door of the transport layer: the integration layer, the UA and the emulator import from here.

export {
  DEFAULT_MAX_CONNECTIONS,
  DEFAULT_TRANSPORT_TIMERS,
  DEFAULT_UDP_MAX_MESSAGE_BYTES,
  SipTransportLayer,
  type ListenOptions,
  type SendOptions,
  type SipTransportLayerEvents,
  type SipTransportLayerOptions,
} from './sip-transport-layer.js';
export {
  DEFAULT_STREAM_FRAMING_LIMITS,
  StreamFramer,
  type StreamFramerOutput,
  type StreamFramerState,
  type StreamFramingFailure,
  type StreamFramingLimits,
} from './stream-framer.js';
export { scanContentLength, type ContentLengthScan } from './content-length.js';
export { systemHostResolver, type HostResolver, type ResolvedAddress } from './host-resolver.js';
export { TLS_MIN_VERSION, type TlsClientOptions, type TlsServerOptions } from './tls-support.js';
export {
  SipTlsVerificationError,
  SipTransportError,
  SipUdpMessageTooLargeError,
  type SipTransportErrorCode,
  type TlsVerificationReason,
} from './transport-errors.js';
export type {
  ConnectionCloseReason,
  ConnectionDirection,
  ConnectionInfo,
  ListenerInfo,
  PeerCertificateInfo,
  ReceivedMessageContext,
  SendResult,
  SipDestination,
  SipStreamProtocol,
  SipTransportProtocol,
  SocketAddress,
} from './transport-types.js';
