// What the call checks need besides the network checks' services: the trunk profile the softphone dials with,
// one softphone for the whole run (started on first use, so a run without call checks opens no listener), the
// numbers to dial, and — only when the target is Trunkline's own emulator — the emulator itself, whose events,
// CDRs and inbound calls let the checks see the far end's side (README: "What the emulator adds").

import type { Clock } from '../../common/clock.js';
import type { Emulator } from '../../emulator/index.js';
import { SoftphoneUserAgent, type TrunkProfile } from '../../ua/index.js';
import { abortableDelay } from '../runner/abortable-delay.js';
import type { NetworkCheckServices } from '../network/network-check-services.js';
import type { CheckCapture } from '../capture/check-capture.js';

/** The emulator as the call checks use it: far-end events and CDRs, and the numbers of its demo setup. */
export interface EmulatorCheckAccess {
  readonly emulator: Emulator;
  /** A far-end number that answers and plays a steady tone (the demo's `+14155550112`, 1004 Hz). */
  readonly toneNumber: string;
  readonly toneHz: number;
  /** A DID whose primary origination URI is the softphone's listener; undefined: no DID reaches this softphone. */
  readonly inboundDid: string | undefined;
  /** Why there is no inbound DID for this softphone, said by the inbound checks when they are skipped. */
  readonly inboundUnavailableReason?: string;
  /** A DID whose primary URI is unreachable and whose fallback is the softphone (`inbound-fallback`). */
  readonly fallbackDid: string | undefined;
  /** The PSTN caller the emulator's inbound calls come from. */
  readonly inboundCaller: string;
}

export interface CallCheckEnvironment {
  readonly profile: TrunkProfile;
  /** The softphone of this run: started on the first call, stopped by `close`. */
  phone(): Promise<SoftphoneUserAgent>;
  /** The second number `blind-transfer` hands the call to. */
  readonly transferNumber: string | undefined;
  readonly emulator: EmulatorCheckAccess | undefined;
  /** Keeps call attempts apart, so a run never trips the trunk's calls-per-second limit (§12, §20: 1 CPS). */
  readonly pacer: CallPacer;
  /** Stops the softphone (every call hung up). Idempotent. */
  close(): Promise<void>;
}

export interface CallCheckServices extends NetworkCheckServices {
  /** Absent when the run has no trunk profile (`trunkline check --domain …`): the call checks then do not apply. */
  readonly calls: CallCheckEnvironment | undefined;
}

/** Zentrunk's default trunk CPS is 1 (§20): consecutive call attempts start at least this far apart. */
export const CALL_SPACING_MS = 1_100;

/**
 * Spaces call attempts on the injected clock (the OPTIONS guard's habit, for INVITEs). A trunk counts a call when
 * it admits it — after the digest round trip, not when we dial — so the spacing runs from the moment the previous
 * call's INVITE got its final response (`settled`), and only from its start when it never got one.
 */
export class CallPacer {
  readonly #clock: Clock;
  readonly #spacingMs: number;
  #lastMs: number | undefined;

  constructor(clock: Clock, spacingMs = CALL_SPACING_MS) {
    this.#clock = clock;
    this.#spacingMs = spacingMs;
  }

  /** Resolves when the next call may start, and counts it as started. */
  async next(signal?: AbortSignal): Promise<void> {
    if (this.#lastMs !== undefined) {
      const waitMs = this.#lastMs + this.#spacingMs - this.#clock.now();
      if (waitMs > 0) await abortableDelay(this.#clock, waitMs, signal);
    }
    this.#lastMs = this.#clock.now();
  }

  /**
   * Resolves once the spacing since the last call has passed, without counting a call: for requests the trunk
   * refuses before counting them (the negative probes), which must not be refused for a call placed just before.
   */
  async quiet(signal?: AbortSignal): Promise<void> {
    if (this.#lastMs === undefined) return;
    const waitMs = this.#lastMs + this.#spacingMs - this.#clock.now();
    if (waitMs > 0) await abortableDelay(this.#clock, waitMs, signal);
  }

  /** The call started by the last `next` has its final response: the spacing to the next one runs from now. */
  settled(): void {
    this.#lastMs = this.#clock.now();
  }
}

export interface CallCheckEnvironmentOptions {
  readonly clock: Clock;
  readonly profile: TrunkProfile;
  readonly transferNumber?: string;
  readonly emulator?: EmulatorCheckAccess;
  readonly callSpacingMs?: number;
}

export function createCallCheckEnvironment(options: CallCheckEnvironmentOptions): CallCheckEnvironment {
  let starting: Promise<SoftphoneUserAgent> | undefined;
  let closed = false;
  return {
    profile: options.profile,
    transferNumber: options.transferNumber,
    emulator: options.emulator,
    pacer: new CallPacer(options.clock, options.callSpacingMs),
    phone() {
      if (closed) return Promise.reject(new Error('The call checks’ softphone was already stopped.'));
      starting ??= SoftphoneUserAgent.start(options.profile, { clock: options.clock });
      return starting;
    },
    async close() {
      closed = true;
      const phone = await starting?.catch(() => undefined);
      await phone?.stop();
    },
  };
}

/**
 * The same environment, whose softphone's SIP trace and every call's RTP/RTCP (SRTP exported decrypted) are
 * recorded into the run's capture from its start: the call checks' INVITEs, re-INVITEs, REFERs, BYEs and media
 * appear in `trunkline check --pcap` beside the probes'. The capture outlives the softphone, so nothing is
 * unsubscribed.
 */
export function recordCallsInto(
  environment: CallCheckEnvironment,
  capture: CheckCapture,
): CallCheckEnvironment {
  let recorded: Promise<SoftphoneUserAgent> | undefined;
  return {
    profile: environment.profile,
    transferNumber: environment.transferNumber,
    emulator: environment.emulator,
    pacer: environment.pacer,
    phone() {
      recorded ??= environment.phone().then((phone) => {
        capture.recordTrace(phone.trace);
        // The `call` event comes before the INVITE leaves, and a call's tap follows the media it gets.
        phone.on('call', (call) => capture.recordMediaTap(call));
        return phone;
      });
      return recorded;
    },
    close: () => environment.close(),
  };
}
