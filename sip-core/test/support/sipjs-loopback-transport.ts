// A sip.js Transport that hands every outgoing message to a function in the test and delivers that function's
// replies back to the user agent, asynchronously (sip.js forbids synchronous re-entry from `send`). It lets a
// real sip.js UserAgent talk to a scripted peer with no socket.
import { ImmediateTransport } from '../../src/ua/immediate-transport.js';

/** The scripted far end: receives each message sip.js sends, and may `reply` with complete SIP messages. */
export type LoopbackPeer = (message: string, reply: (message: string) => void) => void;

export interface SipJsLoopbackOptions {
  readonly peer: LoopbackPeer;
}

export class SipJsLoopbackTransport extends ImmediateTransport {
  readonly protocol = 'UDP';
  readonly #peer: LoopbackPeer;

  constructor(_logger: unknown, options: SipJsLoopbackOptions) {
    super();
    this.#peer = options.peer;
  }

  send(message: string): Promise<void> {
    this.#peer(message, (reply) => {
      queueMicrotask(() => this.onMessage?.(reply));
    });
    return Promise.resolve();
  }
}
