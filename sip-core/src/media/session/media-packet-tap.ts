// Observers of a session's packets as the application sees them: sent RTP/RTCP before SRTP protects it, received
// RTP/RTCP after SRTP has authenticated and decrypted it. Diagnostics writes these into a PCAP so that an SRTP call
// can be read in Wireshark. The session holds no tap until someone subscribes, so the hot path pays one field test.

import type { Disposable } from '../../common/disposable.js';
import { TypedEmitter } from '../../common/typed-emitter.js';
import type { TransportAddress } from '../rtp/transport-address.js';

/** One RTP or RTCP packet in plaintext, with when and between which addresses it travelled. */
export interface MediaPacketRecord {
  readonly kind: 'rtp' | 'rtcp';
  readonly direction: 'sent' | 'received';
  /** Milliseconds since the Unix epoch (the session clock's `wallNow`). */
  readonly wallTimeMs: number;
  /** The session clock's monotonic time: ordering and offsets next to the SIP trace. */
  readonly monotonicTimeMs: number;
  readonly local: TransportAddress;
  readonly remote: TransportAddress;
  /**
   * The plaintext packet. It belongs to the session and is only valid during the call to the listener: copy it to
   * keep it (SRTP may encrypt the same buffer right after).
   */
  readonly bytes: Uint8Array;
  /** Whether SRTP protected (sent) or unprotected (received) this packet on the wire. */
  readonly srtp: boolean;
}

interface MediaPacketTapEvents {
  packet: (record: MediaPacketRecord) => void;
}

/** The subscribers of one session. A listener that throws is isolated from the media path and the others. */
export class MediaPacketTap {
  readonly #emitter = new TypedEmitter<MediaPacketTapEvents>();

  get active(): boolean {
    return this.#emitter.listenerCount('packet') > 0;
  }

  subscribe(listener: (record: MediaPacketRecord) => void): Disposable {
    return this.#emitter.on('packet', listener);
  }

  publish(record: MediaPacketRecord): void {
    this.#emitter.emit('packet', record);
  }
}
