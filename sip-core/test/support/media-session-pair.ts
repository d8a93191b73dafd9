// Two media sessions wired to each other for tests: a real offer/answer between two SdpNegotiators (so SRTP keys,
// payload types and directions come from the same code the product uses), over an in-memory loopback pair on a
// ManualClock (`advanceMedia` moves time and lets the loopback deliver), or over real UDP sockets on 127.0.0.1.

import type { Clock } from '../../src/common/clock.js';
import type { ManualClock } from '../../src/common/manual-clock.js';
import type { NegotiatedMedia } from '../../src/media/offer-answer/negotiated-media.js';
import {
  type OfferOptions,
  SdpNegotiator,
  type SdpNegotiatorOptions,
  type SrtpPolicy,
} from '../../src/media/offer-answer/sdp-negotiator.js';
import { LoopbackRtpTransport } from '../../src/media/rtp/loopback-rtp-transport.js';
import {
  MediaSession,
  type MediaSessionOpenOptions,
  type MediaSessionOptions,
} from '../../src/media/session/media-session.js';

/** Session options; the port fields apply to `udpSessionPair` only. */
type SessionOptions = Partial<Omit<MediaSessionOptions, 'transport'>> &
  Pick<MediaSessionOpenOptions, 'portRange' | 'portAllocator' | 'localAddress'>;

export interface SessionPair {
  readonly a: MediaSession;
  readonly b: MediaSession;
  /** A offers, B answers. */
  readonly offerer: SdpNegotiator;
  readonly answerer: SdpNegotiator;
  readonly negotiatedA: NegotiatedMedia;
  readonly negotiatedB: NegotiatedMedia;
  /** The in-memory transports (loopback pairs only), for taps. */
  readonly transports?: readonly [LoopbackRtpTransport, LoopbackRtpTransport];
  /** A re-offer from A (hold, resume, codec change) applied to both sessions. */
  reoffer(
    offer: OfferOptions,
    answer?: { direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' },
  ): void;
  close(): Promise<void>;
}

export interface PairOptions {
  readonly srtpPolicy?: SrtpPolicy;
  readonly offerer?: Partial<SdpNegotiatorOptions>;
  readonly answerer?: Partial<SdpNegotiatorOptions>;
  readonly a?: SessionOptions;
  readonly b?: SessionOptions;
}

function negotiate(
  a: { address: string; rtpPort: number; rtcpPort?: number },
  b: { address: string; rtpPort: number; rtcpPort?: number },
  options: PairOptions,
): {
  offerer: SdpNegotiator;
  answerer: SdpNegotiator;
  negotiatedA: NegotiatedMedia;
  negotiatedB: NegotiatedMedia;
} {
  const srtpPolicy = options.srtpPolicy ?? 'off';
  const offerer = new SdpNegotiator({ local: a, srtpPolicy, ...options.offerer });
  const answerer = new SdpNegotiator({ local: b, srtpPolicy, ...options.answerer });
  const offer = offerer.createOffer();
  const answer = answerer.processOffer(offer.sdp);
  const negotiatedA = offerer.processAnswer(answer.sdp);
  return { offerer, answerer, negotiatedA, negotiatedB: answer.negotiated };
}

function pairOf(
  a: MediaSession,
  b: MediaSession,
  negotiation: ReturnType<typeof negotiate>,
  transports?: readonly [LoopbackRtpTransport, LoopbackRtpTransport],
): SessionPair {
  a.start(negotiation.negotiatedA);
  b.start(negotiation.negotiatedB);
  const { offerer, answerer } = negotiation;
  return {
    a,
    b,
    ...negotiation,
    transports,
    reoffer(offer, answer = {}) {
      const created = offerer.createOffer(offer);
      const answered = answerer.processOffer(created.sdp, answer);
      b.update(answered.negotiated);
      a.update(offerer.processAnswer(answered.sdp));
    },
    close: async () => {
      await Promise.all([a.close(), b.close()]);
    },
  };
}

/** Two started sessions over a loopback pair on `clock`. */
export function loopbackSessionPair(clock: ManualClock, options: PairOptions = {}): SessionPair {
  const [ta, tb] = LoopbackRtpTransport.createPair(clock);
  const negotiation = negotiate(
    { address: ta.local.address, rtpPort: ta.local.port },
    { address: tb.local.address, rtpPort: tb.local.port },
    options,
  );
  const a = new MediaSession({ clock, transport: ta, localRtp: ta.local, ...options.a });
  const b = new MediaSession({ clock, transport: tb, localRtp: tb.local, ...options.b });
  return pairOf(a, b, negotiation, [ta, tb]);
}

/** Two started sessions on real UDP sockets on 127.0.0.1 (ports from `MediaSession.open`). */
export async function udpSessionPair(clock: Clock, options: PairOptions = {}): Promise<SessionPair> {
  const a = await MediaSession.open({ clock, ...options.a });
  const b = await MediaSession.open({ clock, ...options.b });
  const local = (s: MediaSession) => ({
    address: s.localAddress!,
    rtpPort: s.localRtpPort!,
    rtcpPort: s.localRtcpPort!,
  });
  return pairOf(a, b, negotiate(local(a), local(b), options));
}

/**
 * Advances a ManualClock by `ms` in `stepMs` steps, letting the loopback transport deliver (it delivers on a
 * microtask) after each step, so that arrivals are stamped with the time they were sent.
 */
export async function advanceMedia(clock: ManualClock, ms: number, stepMs = 1): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    clock.advance(Math.min(stepMs, ms - elapsed));
    await Promise.resolve();
    await Promise.resolve();
  }
}
