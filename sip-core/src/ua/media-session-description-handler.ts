// Our SessionDescriptionHandler: what sip.js calls for every offer and answer, driving one MediaSession (RTP/SAVP
// with SDES keys, PCMU/PCMA, RFC 4733) through the SdpNegotiator of media/offer-answer. sip.js passes SDP strings
// and options through untouched; the offer/answer role is ours to track, the way RTCPeerConnection's signalling
// state does (sip.js calls getDescription for "our offer or our answer" and setDescription for "their offer or
// their answer"):
//
//        getDescription (offer)           setDescription (answer)
//   stable ──────────────────► have-local-offer ──────────────────► stable    (media started or updated)
//     │  ▲                         │ rollbackDescription
//     │  └─────────────────────────┘
//     │ setDescription (offer)           getDescription (answer)
//     └──────────────────► have-remote-offer ─────────────────────► stable    (media started or updated)
//
// An offer is validated when it arrives (setDescription throws, so sip.js can refuse it), its answer is built at
// the same moment and returned by the next getDescription. Hold is an SDH option (`{ hold: true }`) as in sip.js's
// own Web SessionManager: our offers then say sendonly, and answers to the peer's re-offers stay narrowed.

import type {
  BodyAndContentType,
  SessionDescriptionHandler,
  SessionDescriptionHandlerOptions,
} from 'sip.js/lib/api/index.js';
import type { Clock } from '../common/clock.js';
import { TypedEmitter } from '../common/typed-emitter.js';
import type { Disposable } from '../common/disposable.js';
import { SdpNegotiator, type NegotiatedMedia, type SrtpPolicy } from '../media/offer-answer/index.js';
import { MediaSession, type MediaSessionOptions, type RtpPortAllocator } from '../media/session/index.js';
import { UaError } from './ua-error.js';

/** The options sip.js hands through from `sessionDescriptionHandlerOptions(ReInvite)`. */
export interface MediaDescriptionOptions extends SessionDescriptionHandlerOptions {
  /** true: offer/answer sendonly (we hold); false: back to sendrecv; absent: keep the current direction. */
  readonly hold?: boolean;
}

export type SignallingState = 'stable' | 'have-local-offer' | 'have-remote-offer';

export interface MediaSdhConfig {
  readonly clock: Clock;
  readonly srtpPolicy: SrtpPolicy;
  /** Where the RTP socket binds. */
  readonly bindAddress: string;
  /** The address written in SDP (c=): what the peer can reach. */
  readonly sdpAddress: string;
  readonly portAllocator: RtpPortAllocator;
  /** Extra media session options (stats interval, inactivity timeout, impairment…). */
  readonly session?: Partial<Omit<MediaSessionOptions, 'clock' | 'transport' | 'portLease' | 'localRtp'>>;
}

export interface MediaSdhEvents {
  /** The media session exists (ports bound): attach sources, sinks and listeners. */
  'media-open': (session: MediaSession) => void;
  /** An offer/answer exchange completed and the session runs with its result. */
  negotiated: (media: NegotiatedMedia, initial: boolean) => void;
  /** An offer or answer was refused (the reason, never key material). */
  'negotiation-failed': (detail: string) => void;
}

const SDP = 'application/sdp';

export class MediaSessionDescriptionHandler implements SessionDescriptionHandler {
  readonly #config: MediaSdhConfig;
  readonly #events = new TypedEmitter<MediaSdhEvents>();
  #state: SignallingState = 'stable';
  #opening: Promise<{ media: MediaSession; negotiator: SdpNegotiator }> | undefined;
  #media: MediaSession | undefined;
  #pendingAnswer: { sdp: string; negotiated: NegotiatedMedia } | undefined;
  #closed = false;

  constructor(config: MediaSdhConfig) {
    this.#config = config;
  }

  on<K extends keyof MediaSdhEvents>(event: K, listener: MediaSdhEvents[K]): Disposable {
    return this.#events.on(event, listener);
  }

  get signallingState(): SignallingState {
    return this.#state;
  }

  /** The media session, once the first description was asked for. */
  get media(): MediaSession | undefined {
    return this.#media;
  }

  async getDescription(options?: MediaDescriptionOptions): Promise<BodyAndContentType> {
    const { media, negotiator } = await this.#open();
    if (this.#state === 'have-remote-offer') {
      const answer = this.#pendingAnswer!;
      this.#pendingAnswer = undefined;
      this.#state = 'stable';
      this.#apply(media, answer.negotiated);
      return { body: answer.sdp, contentType: SDP };
    }
    const offer = negotiator.createOffer(directionOption(options));
    this.#state = 'have-local-offer';
    return { body: offer.sdp, contentType: SDP };
  }

  async setDescription(sdp: string, options?: MediaDescriptionOptions): Promise<void> {
    const { media, negotiator } = await this.#open();
    try {
      if (this.#state === 'have-local-offer') {
        const negotiated = negotiator.processAnswer(sdp);
        this.#state = 'stable';
        this.#apply(media, negotiated);
        return;
      }
      const { sdp: answer, negotiated } = negotiator.processOffer(sdp, directionOption(options));
      this.#pendingAnswer = { sdp: answer, negotiated };
      this.#state = 'have-remote-offer';
    } catch (error) {
      // A refused answer leaves the previous session running (RFC 3264 §8: the old one stays in force).
      if (this.#state === 'have-local-offer') {
        negotiator.cancelOffer();
        this.#state = 'stable';
      }
      const detail = error instanceof Error ? error.message : 'the session description was refused';
      this.#events.emit('negotiation-failed', detail);
      throw error;
    }
  }

  hasDescription(contentType: string): boolean {
    return contentType.toLowerCase().split(';')[0]?.trim() === SDP;
  }

  rollbackDescription(): Promise<void> {
    // Our re-offer was rejected (or glare): the session stays as it was (RFC 3264 §8, RFC 6141 §3.1).
    if (this.#state === 'have-local-offer')
      void this.#opening?.then(({ negotiator }) => negotiator.cancelOffer());
    this.#pendingAnswer = undefined;
    this.#state = 'stable';
    return Promise.resolve();
  }

  /** RFC 4733 only (Zentrunk refuses INFO, BEHAVIOUR.md §8); false when telephone-event was not negotiated. */
  sendDtmf(tones: string, options?: unknown): boolean {
    const media = this.#media;
    if (media?.negotiated?.telephoneEvent === undefined) return false;
    const durationMs = (options as { duration?: number } | undefined)?.duration;
    media.sendDtmf(tones, durationMs === undefined ? {} : { durationMs });
    return true;
  }

  close(): void {
    this.#closed = true;
    void this.#media?.close();
    void this.#opening?.then(({ media }) => media.close()).catch(() => undefined);
  }

  #open(): Promise<{ media: MediaSession; negotiator: SdpNegotiator }> {
    if (this.#closed) return Promise.reject(new UaError('UA_CALL_STATE', 'The call has ended.'));
    this.#opening ??= (async () => {
      const config = this.#config;
      const media = await MediaSession.open({
        ...config.session,
        clock: config.clock,
        localAddress: config.bindAddress,
        portAllocator: config.portAllocator,
      });
      if (this.#closed) {
        await media.close();
        throw new UaError('UA_CALL_STATE', 'The call ended while its media ports were being opened.');
      }
      this.#media = media;
      const negotiator = new SdpNegotiator({
        local: { address: config.sdpAddress, rtpPort: media.localRtpPort!, rtcpPort: media.localRtcpPort! },
        srtpPolicy: config.srtpPolicy,
      });
      this.#events.emit('media-open', media);
      return { media, negotiator };
    })();
    return this.#opening;
  }

  #apply(media: MediaSession, negotiated: NegotiatedMedia): void {
    const initial = media.state === 'idle';
    if (initial) media.start(negotiated);
    else media.update(negotiated);
    this.#events.emit('negotiated', negotiated, initial);
  }
}

function directionOption(options: MediaDescriptionOptions | undefined) {
  if (options?.hold === true) return { direction: 'sendonly' as const };
  if (options?.hold === false) return { direction: 'sendrecv' as const };
  return {};
}
