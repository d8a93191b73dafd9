// What a check may hand to the run's capture (`trunkline check --pcap FILE`): the SIP trace of each stack it
// opens, the packet tap of each media session, the TLS key log of each transport. A small interface on the check
// services, so that every family of checks (network, probes, calls) feeds one file without knowing it is pcapng;
// absent when no capture was asked for.

import type { Disposable } from '../../common/disposable.js';
import type { MediaPacketSource, TlsKeyLogSource } from '../../diagnostics/index.js';
import type { SipTrace } from '../../sip/trace/index.js';

export interface CheckCapture {
  /** Records every SIP message `trace` publishes until the handle is disposed (or the capture closes). */
  recordTrace(trace: SipTrace): Disposable;
  /** Records a media session's RTP and RTCP, SRTP exported decrypted, until the handle is disposed. */
  recordMediaTap(source: MediaPacketSource): Disposable;
  /** Writes the TLS secrets of the connections `source` makes to the key log, when one was asked for. */
  recordTlsKeys(source: TlsKeyLogSource): Disposable;
}
