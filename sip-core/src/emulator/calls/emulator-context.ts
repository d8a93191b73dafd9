// What every call of a running emulator shares: the clock, the SIP stack, the event emitter, the account and
// settings, admission counters, the far end, media resources, the CDR writer and the registry of live calls. One
// object built by the Emulator, so the call code takes one argument instead of a dozen.

import type { MediaTaps } from '../media/media-taps.js';
import type { Clock } from '../../common/clock.js';
import type { TypedEmitter } from '../../common/typed-emitter.js';
import type { RtpSocketPool } from '../../media/session/index.js';
import type { Account, PolicySettings, PolicyView } from '../../policy/index.js';
import type { SipStack } from '../../sip/stack/index.js';
import type { SipTransportProtocol } from '../../sip/transport/index.js';
import type { SipTraceCollector } from '../cdr/index.js';
import type { EmulatorEvents } from '../emulator-events.js';
import type { FarEndTable } from '../far-end/index.js';
import type { CallAdmission } from '../limits/index.js';
import type { AudioSources } from '../media/audio-sources.js';
import type { CallRegistry } from './call-registry.js';
import type { CdrWriter } from './cdr-writer.js';

export interface EmulatorContext {
  readonly clock: Clock;
  readonly stack: SipStack;
  readonly events: TypedEmitter<EmulatorEvents>;
  readonly account: Account;
  readonly settings: PolicySettings;
  /** The policy's view of the account (trunk lookup, ACLs). */
  readonly view: PolicyView;
  readonly admission: CallAdmission;
  readonly farEnd: FarEndTable;
  readonly sources: AudioSources;
  /** The far ends' RTP sockets: ports of the media range, kept between calls (docs/adr/0159). */
  readonly rtpSockets: RtpSocketPool;
  /** Where RTP sockets bind. */
  readonly mediaAddress: string;
  readonly cdrs: CdrWriter;
  readonly registry: CallRegistry;
  readonly collector: SipTraceCollector;
  /** Packet observers of the far-end media (`trunkline emulator --pcap`). */
  readonly mediaTaps: MediaTaps;
  /** The Contact of the emulator on a transport: a topology-hiding user part, like Kamailio's (§2.5). */
  contactFor(transport: SipTransportProtocol, user: string): string;
  /** The account's credit left (the configured balance minus what the CDRs written so far cost). */
  creditBalanceUsd(): number;
}
