// The Transport sip.js is given (UserAgentOptions.transportConstructor): a thin adapter that passes strings to and
// from a SipStackBridge. sip.js constructs it itself, so the bridge travels in `transportOptions`. Connecting is
// immediate — the stack's sockets are open before the user agent starts (ImmediateTransport).

import { ImmediateTransport } from './immediate-transport.js';
import type { SipJsMessageSink, SipStackBridge } from './sip-stack-bridge.js';

export interface SipJsStackTransportOptions {
  readonly bridge: SipStackBridge;
}

export class SipJsStackTransport extends ImmediateTransport implements SipJsMessageSink {
  readonly protocol: string;
  readonly #bridge: SipStackBridge;

  constructor(_logger: unknown, options: SipJsStackTransportOptions) {
    super();
    this.#bridge = options.bridge;
    this.protocol = options.bridge.protocol;
    options.bridge.attach(this);
  }

  send(message: string): Promise<void> {
    if (!this.isConnected()) {
      return Promise.reject(new Error('The SIP transport is not connected (the phone is stopped).'));
    }
    return this.#bridge.fromSipJs(message);
  }

  /** Called by the bridge with a whole received message (never from within `send`). */
  deliver(message: string): void {
    if (this.isConnected()) this.onMessage?.(message);
  }
}
