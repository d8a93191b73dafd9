import { randomBytes, randomInt } from 'node:crypto';
import { type SdesCrypto, generateSdesCrypto, readSdesCrypto, toSdpCrypto } from '../sdes/sdes-crypto.js';
import {
  effectiveConnection,
  effectiveDirection,
  effectiveRtcp,
  isHoldAddress,
} from '../sdp/media-context.js';
import { createMediaDescription } from '../sdp/create-media-description.js';
import { parseSdp } from '../sdp/parse-sdp.js';
import { type PayloadFormat, payloadFormatsOf } from '../sdp/payload-formats.js';
import type {
  MediaDescription,
  MediaDirection,
  SdpCrypto,
  SdpRtpmap,
  SessionDescription,
} from '../sdp/session-description.js';
import { writeSdp } from '../sdp/write-sdp.js';
import { DEFAULT_REPLAY_WINDOW_SIZE } from '../srtp/replay-window.js';
import type { SrtpProfileName } from '../srtp/srtp-profile.js';
import { intersectDirections, mirrorDirection } from './media-direction.js';
import type { NegotiatedCodec, NegotiatedMedia, NegotiatedSrtp } from './negotiated-media.js';
import { NegotiationError, type NegotiationFailure } from './negotiation-error.js';

// Offer/answer (RFC 3264) for one audio stream, as a pure state machine: SDP text in, SDP text and a NegotiatedMedia
// out, no sockets, no timers. One SdpNegotiator lives as long as the call; it keeps the o= line (same session id,
// version + 1 only when our SDP changes, RFC 3264 §8), the direction we want (hold), the codec preference and the
// SRTP keys in use.
//
//   idle ──createOffer()──► offer pending ──processAnswer()──► idle (negotiated)
//     │                          └──cancelOffer() (offer rejected: the previous session stays, §8)──► idle
//     └──processOffer()──► idle (negotiated, answer returned)
//
// SRTP policy. 'mandatory': we offer RTP/SAVP and accept only RTP/SAVP offers with a usable a=crypto (a Zentrunk
// secure trunk). 'off': plain RTP/AVP; an RTP/SAVP offer is refused. 'optional': best-effort SRTP as FreeSWITCH and
// baresip do it: we offer RTP/AVP with a=crypto lines, and we accept RTP/SAVP, or RTP/AVP with a usable a=crypto
// (answered with ours), or plain RTP/AVP.
//
// Keys. Every new call gets fresh random keys (RFC 4568 §8.1). A re-offer or re-answer keeps the key already in use
// for the suite in use (RFC 4568 §7.1.4 allows either), so that hold and resume do not force the peer to restart its
// crypto context and an unchanged re-offer stays byte-identical; `rekey: true` forces fresh keys.

export type SrtpPolicy = 'mandatory' | 'optional' | 'off';
export type CodecName = 'PCMU' | 'PCMA';

const CODECS: Readonly<Record<CodecName, NegotiatedCodec>> = {
  PCMU: { payloadType: 0, encodingName: 'PCMU', clockRateHz: 8000 },
  PCMA: { payloadType: 8, encodingName: 'PCMA', clockRateHz: 8000 },
};
const TELEPHONE_EVENT = 'telephone-event';
const AVP = 'RTP/AVP';
const SAVP = 'RTP/SAVP';

export interface LocalMediaAddress {
  readonly address: string;
  readonly rtpPort: number;
  /** Written as a=rtcp (RFC 3605) when it is not rtpPort + 1. */
  readonly rtcpPort?: number;
}

export interface SdpNegotiatorOptions {
  readonly local: LocalMediaAddress;
  readonly srtpPolicy: SrtpPolicy;
  /** Codecs we offer, in preference order (default PCMU, PCMA: Zentrunk's G.711 only). */
  readonly codecs?: readonly CodecName[];
  /** SRTP suites we offer and accept, in preference order (default _80 then _32). */
  readonly srtpProfiles?: readonly SrtpProfileName[];
  /** Dynamic payload type of telephone-event in our offers (default 101, as Zentrunk). */
  readonly telephoneEventPayloadType?: number;
  /** RFC 4733 events we receive (default "0-16": digits, * # A-D and flash). */
  readonly telephoneEvents?: string;
  readonly ptimeMs?: number;
  readonly maxptimeMs?: number;
  /** Offer and accept rtcp-mux (RFC 5761); off by default. */
  readonly rtcpMux?: boolean;
  readonly username?: string;
  readonly sessionName?: string;
  /** The o= session id; random by default. */
  readonly sessionId?: string;
  /** Randomness for session ids and keys (tests pass a deterministic source). */
  readonly random?: (size: number) => Buffer;
}

export interface OfferOptions {
  /** The direction we want: 'sendonly' (or 'inactive') to hold, 'sendrecv' to resume. Remembered. */
  readonly direction?: MediaDirection;
  /** Codecs for this and later offers (a codec switch). */
  readonly codecs?: readonly CodecName[];
  /** Fresh SRTP keys even though keys are in use. */
  readonly rekey?: boolean;
}

export interface AnswerOptions {
  /** The direction we want; remembered. */
  readonly direction?: MediaDirection;
}

export interface LocalDescription {
  readonly sdp: string;
  readonly description: SessionDescription;
}

interface PendingOffer {
  readonly description: SessionDescription;
  readonly mediaIndex: number;
  readonly cryptos: readonly SdesCrypto[];
  readonly direction: MediaDirection;
}

interface AudioChoice {
  readonly index: number;
  readonly media: MediaDescription;
  readonly codec: NegotiatedCodec;
  readonly telephoneEvent: PayloadFormat | undefined;
  readonly remoteCrypto: SdesCrypto | undefined;
}

type Evaluation =
  { ok: true; choice: AudioChoice } | { ok: false; failure: NegotiationFailure; warning: string };

/** `randomInt`'s range must stay below 2^48: session ids are 0 … 2^48 − 2, as good as six random octets. */
const SESSION_ID_LIMIT = 2 ** 48 - 1;

export class SdpNegotiator {
  readonly #options: SdpNegotiatorOptions;
  readonly #random: (size: number) => Buffer;
  readonly #sessionId: string;
  #sessionVersion = 1n;
  /** A 53-bit fingerprint of the last description we sent, without its o= line (see #stamp). */
  #lastBodyFingerprint: number | undefined;
  #local: LocalMediaAddress;
  #direction: MediaDirection = 'sendrecv';
  #codecs: readonly CodecName[];
  #pending: PendingOffer | undefined;
  #negotiated: NegotiatedMedia | undefined;
  #sendCrypto: SdesCrypto | undefined;
  #offeredCryptos: readonly SdesCrypto[] = [];

  constructor(options: SdpNegotiatorOptions) {
    this.#options = options;
    this.#random = options.random ?? randomBytes;
    this.#local = options.local;
    this.#codecs = options.codecs ?? ['PCMU', 'PCMA'];
    // A random 48-bit number in decimal: unique enough and below 2^63 (RFC 4566 §5.2 asks for a numeric string).
    // By default from `randomInt`, which draws from Node's cached CSPRNG bytes: `randomBytes(6)` asked the OS per
    // call and was 1.5 % of the emulator's CPU per call (docs/adr/0152). A test's deterministic `random` still
    // gives the first six octets, as before.
    this.#sessionId =
      options.sessionId ??
      (options.random === undefined
        ? String(randomInt(SESSION_ID_LIMIT))
        : BigInt(`0x${options.random(6).toString('hex')}`).toString());
  }

  /** The result of the last successful exchange. */
  get negotiated(): NegotiatedMedia | undefined {
    return this.#negotiated;
  }

  get hasPendingOffer(): boolean {
    return this.#pending !== undefined;
  }

  /** Our media address changed (a new port after a re-INVITE); the next SDP carries it. */
  setLocal(local: LocalMediaAddress): void {
    this.#local = local;
  }

  /** Builds an offer (initial, hold, resume, codec switch). */
  createOffer(options: OfferOptions = {}): LocalDescription {
    if (options.direction) this.#direction = options.direction;
    if (options.codecs) this.#codecs = options.codecs;
    const policy = this.#options.srtpPolicy;
    const cryptos = policy === 'off' ? [] : this.#offerCryptos(options.rekey ?? false);
    const codecs = this.#codecs.map((name) => CODECS[name]);
    const telephoneEventPt = this.#options.telephoneEventPayloadType ?? 101;
    const media = this.#audioMedia({
      proto: policy === 'mandatory' ? SAVP : AVP,
      formats: [...codecs.map((c) => c.payloadType), telephoneEventPt],
      rtpmaps: [
        ...codecs.map((c) => ({
          payloadType: c.payloadType,
          encodingName: c.encodingName,
          clockRateHz: c.clockRateHz,
        })),
        { payloadType: telephoneEventPt, encodingName: TELEPHONE_EVENT, clockRateHz: 8000 },
      ],
      telephoneEventPt,
      direction: this.#direction,
      rtcpMux: this.#options.rtcpMux ?? false,
      cryptos: cryptos.map(toSdpCrypto),
    });
    const local = this.#stamp([media]);
    this.#pending = { description: local.description, mediaIndex: 0, cryptos, direction: this.#direction };
    return local;
  }

  /** Forgets the pending offer (it was rejected or withdrawn); the current session is unchanged (RFC 3264 §8). */
  cancelOffer(): void {
    this.#pending = undefined;
  }

  /** Applies the answer to our pending offer. Throws NegotiationError or SdpParseError. */
  processAnswer(answer: string | SessionDescription): NegotiatedMedia {
    const pending = this.#pending;
    if (!pending) {
      throw new NegotiationError('unexpected-answer', 'an SDP answer arrived but no offer is pending');
    }
    this.#pending = undefined;
    const remote = typeof answer === 'string' ? parseSdp(answer) : answer;
    const offered = pending.description.media[pending.mediaIndex];
    if (remote.media.length !== pending.description.media.length) {
      throw new NegotiationError(
        'answer-mismatch',
        `the answer has ${remote.media.length} m= lines, the offer had ${pending.description.media.length}`,
      );
    }
    const media = remote.media[pending.mediaIndex];
    if (media.media !== 'audio') {
      throw new NegotiationError('answer-mismatch', 'the answer has no audio stream where the offer had one');
    }
    if (media.port === 0) {
      throw new NegotiationError('stream-rejected', 'the answer rejected the audio stream (port 0)');
    }
    if (media.proto.toUpperCase() !== offered.proto) {
      throw new NegotiationError(
        'answer-mismatch',
        `the answer uses ${media.proto} for an ${offered.proto} offer`,
      );
    }

    const offeredPts = new Set(offered.formats);
    const formats = payloadFormatsOf(media).filter((f) => offeredPts.has(String(f.payloadType)));
    const codecFormat = formats.find((f) => codecOf(f) !== undefined);
    if (!codecFormat) {
      throw new NegotiationError('no-common-codec', 'the answer has none of the codecs offered');
    }
    const telephoneEvent = formats.find(isTelephoneEvent);

    let srtp: NegotiatedSrtp | undefined;
    if (pending.cryptos.length > 0) {
      const match = this.#matchAnswerCrypto(media.cryptos, pending.cryptos);
      if (match) srtp = srtpOf(match.ours, match.theirs);
      else if (offered.proto === SAVP || media.cryptos.length > 0) {
        throw new NegotiationError(
          'no-acceptable-crypto',
          'the answer has no a=crypto line matching the tags and suites offered',
        );
      }
      this.#sendCrypto = match?.ours;
    }

    const answerDirection = remoteDirection(remote, media);
    const rtcpMux = (this.#options.rtcpMux ?? false) && media.rtcpMux;
    this.#negotiated = negotiatedOf(remote, pending.mediaIndex, media, {
      codec: codecOf(codecFormat)!,
      telephoneEvent,
      direction: intersectDirections(mirrorDirection(answerDirection), pending.direction),
      rtcpMux,
      srtp,
      defaultPtimeMs: this.#options.ptimeMs ?? 20,
    });
    return this.#negotiated;
  }

  /** Answers an offer. Throws NegotiationError (reject with 488) or SdpParseError (reject with 400). */
  processOffer(
    offer: string | SessionDescription,
    options: AnswerOptions = {},
  ): LocalDescription & { negotiated: NegotiatedMedia } {
    if (options.direction) this.#direction = options.direction;
    // An offer from the peer replaces any offer of ours still pending (the SIP layer has resolved glare with 491).
    this.#pending = undefined;
    const remote = typeof offer === 'string' ? parseSdp(offer) : offer;
    const choice = this.#chooseAudio(remote);

    const offerDirection = remoteDirection(remote, choice.media);
    const direction = intersectDirections(mirrorDirection(offerDirection), this.#direction);
    const sendCrypto = choice.remoteCrypto ? this.#answerCrypto(choice.remoteCrypto) : undefined;
    const rtcpMux = (this.#options.rtcpMux ?? false) && choice.media.rtcpMux;
    const te = choice.telephoneEvent;

    const media = remote.media.map((m, index) =>
      index === choice.index
        ? this.#audioMedia({
            proto: choice.media.proto.toUpperCase(),
            formats: [choice.codec.payloadType, ...(te ? [te.payloadType] : [])],
            rtpmaps: [
              {
                payloadType: choice.codec.payloadType,
                encodingName: choice.codec.encodingName,
                clockRateHz: choice.codec.clockRateHz,
              },
              ...(te
                ? [
                    {
                      payloadType: te.payloadType,
                      encodingName: TELEPHONE_EVENT,
                      clockRateHz: te.clockRateHz,
                    },
                  ]
                : []),
            ],
            telephoneEventPt: te?.payloadType,
            direction,
            rtcpMux,
            cryptos: sendCrypto ? [toSdpCrypto(sendCrypto)] : [],
          })
        : rejectedMedia(m),
    );
    const local = this.#stamp(media);
    this.#sendCrypto = sendCrypto;
    const negotiated = negotiatedOf(remote, choice.index, choice.media, {
      codec: choice.codec,
      telephoneEvent: te,
      direction,
      rtcpMux,
      srtp: choice.remoteCrypto && sendCrypto ? srtpOf(sendCrypto, choice.remoteCrypto) : undefined,
      defaultPtimeMs: this.#options.ptimeMs ?? 20,
    });
    this.#negotiated = negotiated;
    return { ...local, negotiated };
  }

  #profiles(): readonly SrtpProfileName[] {
    return this.#options.srtpProfiles ?? ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32'];
  }

  #offerCryptos(rekey: boolean): readonly SdesCrypto[] {
    if (!rekey && this.#sendCrypto) return [this.#sendCrypto];
    // Best-effort SRTP answered with plain RTP: a re-offer repeats the same lines, so that it stays unchanged.
    if (!rekey && this.#offeredCryptos.length > 0) return this.#offeredCryptos;
    this.#offeredCryptos = this.#profiles().map((profile, i) =>
      generateSdesCrypto(i + 1, profile, this.#random),
    );
    return this.#offeredCryptos;
  }

  /** Our crypto line for an answer: same tag and suite as the one chosen from the offer, our own key. */
  #answerCrypto(remote: SdesCrypto): SdesCrypto {
    const current = this.#sendCrypto;
    if (current && current.profile === remote.profile) return { ...current, tag: remote.tag };
    return generateSdesCrypto(remote.tag, remote.profile, this.#random);
  }

  #matchAnswerCrypto(
    answered: readonly SdpCrypto[],
    offered: readonly SdesCrypto[],
  ): { ours: SdesCrypto; theirs: SdesCrypto } | undefined {
    for (const attribute of answered) {
      const ours = offered.find((c) => c.tag === attribute.tag && c.profile === attribute.suite);
      if (!ours) continue;
      const read = readSdesCrypto(attribute);
      if (read.ok) return { ours, theirs: read.crypto };
    }
    return undefined;
  }

  #chooseAudio(remote: SessionDescription): AudioChoice {
    let firstFailure: Evaluation | undefined;
    for (const [index, media] of remote.media.entries()) {
      if (media.media !== 'audio' || media.port === 0) continue;
      const evaluation = this.#evaluate(remote, index, media);
      if (evaluation.ok) return evaluation.choice;
      firstFailure ??= evaluation;
    }
    if (firstFailure && !firstFailure.ok) {
      throw new NegotiationError(firstFailure.failure, firstFailure.warning);
    }
    throw new NegotiationError('no-audio-stream', 'the offer has no audio stream');
  }

  #evaluate(session: SessionDescription, index: number, media: MediaDescription): Evaluation {
    const proto = media.proto.toUpperCase();
    if (proto !== AVP && proto !== SAVP) {
      return {
        ok: false,
        failure: 'unsupported-transport',
        warning: `the transport ${media.proto} is not supported (use RTP/AVP or RTP/SAVP with SDES)`,
      };
    }
    const policy = this.#options.srtpPolicy;
    if (policy === 'off' && proto === SAVP) {
      return {
        ok: false,
        failure: 'srtp-refused',
        warning: 'SRTP (RTP/SAVP) was offered but SRTP is not enabled here',
      };
    }
    if (policy === 'mandatory' && proto === AVP) {
      return {
        ok: false,
        failure: 'srtp-required',
        warning: 'SRTP is required here but the offer is plain RTP (RTP/AVP)',
      };
    }

    let remoteCrypto: SdesCrypto | undefined;
    if (policy !== 'off' && (proto === SAVP || media.cryptos.length > 0)) {
      const found = this.#acceptableCrypto(media.cryptos);
      if (found.ok) remoteCrypto = found.crypto;
      else if (proto === SAVP) return { ok: false, failure: 'no-acceptable-crypto', warning: found.warning };
    }

    if (effectiveConnection(session, media) === undefined) {
      return { ok: false, failure: 'no-audio-stream', warning: 'the audio stream has no c= address' };
    }
    const formats = payloadFormatsOf(media);
    const codecFormat = formats.find(
      (f) => codecOf(f) !== undefined && this.#codecs.includes(f.encodingName.toUpperCase() as CodecName),
    );
    if (!codecFormat) {
      const offered = formats.map((f) => f.encodingName).join(', ') || 'none';
      return {
        ok: false,
        failure: 'no-common-codec',
        warning: `no common codec: offered ${offered}; supported ${this.#codecs.join(', ')}`,
      };
    }
    return {
      ok: true,
      choice: {
        index,
        media,
        codec: codecOf(codecFormat)!,
        telephoneEvent: formats.find(isTelephoneEvent),
        remoteCrypto,
      },
    };
  }

  #acceptableCrypto(
    cryptos: readonly SdpCrypto[],
  ): { ok: true; crypto: SdesCrypto } | { ok: false; warning: string } {
    const profiles = this.#profiles();
    let firstRefusal: string | undefined;
    for (const attribute of cryptos) {
      const read = readSdesCrypto(attribute);
      if (read.ok && profiles.includes(read.crypto.profile)) return { ok: true, crypto: read.crypto };
      firstRefusal ??= read.ok ? `crypto suite ${read.crypto.profile} is not enabled` : read.detail;
    }
    return { ok: false, warning: firstRefusal ?? 'RTP/SAVP was offered without an a=crypto line' };
  }

  #audioMedia(spec: {
    proto: string;
    formats: readonly number[];
    rtpmaps: readonly SdpRtpmap[];
    telephoneEventPt: number | undefined;
    direction: MediaDirection;
    rtcpMux: boolean;
    cryptos: readonly SdpCrypto[];
  }): MediaDescription {
    const local = this.#local;
    const rtcpPort = spec.rtcpMux ? undefined : local.rtcpPort;
    return createMediaDescription({
      media: 'audio',
      port: local.rtpPort,
      proto: spec.proto,
      formats: spec.formats.map(String),
      rtpmaps: spec.rtpmaps,
      fmtps:
        spec.telephoneEventPt === undefined
          ? []
          : [{ payloadType: spec.telephoneEventPt, parameters: this.#options.telephoneEvents ?? '0-16' }],
      ptimeMs: this.#options.ptimeMs ?? 20,
      maxptimeMs: this.#options.maxptimeMs,
      direction: spec.direction,
      rtcp: rtcpPort !== undefined && rtcpPort !== local.rtpPort + 1 ? { port: rtcpPort } : undefined,
      rtcpMux: spec.rtcpMux,
      cryptos: spec.cryptos,
    });
  }

  /** Our session lines around `media`, at o= version `sessionVersion`. */
  #describe(media: readonly MediaDescription[], sessionVersion: bigint): SessionDescription {
    const addrType = this.#local.address.includes(':') ? 'IP6' : 'IP4';
    return {
      version: 0,
      origin: {
        username: this.#options.username ?? 'trunkline',
        sessionId: this.#sessionId,
        sessionVersion: sessionVersion.toString(),
        netType: 'IN',
        addrType,
        address: this.#local.address,
      },
      sessionName: this.#options.sessionName ?? 'Trunkline',
      connection: { netType: 'IN', addrType, address: this.#local.address },
      emails: [],
      phones: [],
      bandwidths: [],
      timing: [{ start: '0', stop: '0', repeats: [] }],
      attributes: [],
      media,
    };
  }

  /** Wraps media sections in our session lines and applies the o= version rule. */
  #stamp(media: readonly MediaDescription[]): LocalDescription {
    // RFC 3264 §8: the version goes up by one exactly when the description differs from the previous one we sent.
    // The o= line is the only one that holds the version, so the text is written once with the current version
    // and compared without its o= line; only a changed description (a re-INVITE's) is written a second time,
    // with the next version (one serialisation per call instead of two, docs/adr/0152).
    let description = this.#describe(media, this.#sessionVersion);
    let sdp = writeSdp(description);
    // A fingerprint, not the text: a negotiator lives as long as its call, and the text was a quarter of a KB of
    // every idle call (docs/adr/0093). Two different descriptions share one with a chance of about 2^-53.
    const fingerprint = fingerprint53(sdp.replace(/^o=.*\r\n/m, ''));
    if (this.#lastBodyFingerprint !== undefined && fingerprint !== this.#lastBodyFingerprint) {
      this.#sessionVersion++;
      description = this.#describe(media, this.#sessionVersion);
      sdp = writeSdp(description);
    }
    this.#lastBodyFingerprint = fingerprint;
    return { sdp, description };
  }
}

/**
 * A 53-bit hash of a string (two 32-bit multiply-xorshift lanes, as in the public-domain "cyrb53"): enough to tell
 * whether our next description differs from the last one without keeping the last one.
 */
function fingerprint53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

function codecOf(format: PayloadFormat): NegotiatedCodec | undefined {
  const name = format.encodingName.toUpperCase();
  if ((name !== 'PCMU' && name !== 'PCMA') || format.clockRateHz !== 8000 || format.channels !== 1) {
    return undefined;
  }
  return { payloadType: format.payloadType, encodingName: name, clockRateHz: 8000 };
}

function isTelephoneEvent(format: PayloadFormat): boolean {
  return format.encodingName.toLowerCase() === TELEPHONE_EVENT && format.clockRateHz === 8000;
}

/** The peer's direction; c=0.0.0.0 (RFC 2543 hold, RFC 3264 §8.4) means it does not want to receive. */
function remoteDirection(session: SessionDescription, media: MediaDescription): MediaDirection {
  const direction = effectiveDirection(session, media);
  return isHoldAddress(effectiveConnection(session, media))
    ? intersectDirections(direction, 'sendonly')
    : direction;
}

function rejectedMedia(offered: MediaDescription): MediaDescription {
  // RFC 3264 §6: a rejected stream stays in the answer with port 0; its formats are irrelevant but must be present.
  return createMediaDescription({
    media: offered.media,
    port: 0,
    proto: offered.proto,
    formats: offered.formats.length > 0 ? offered.formats : ['0'],
  });
}

function srtpOf(ours: SdesCrypto, theirs: SdesCrypto): NegotiatedSrtp {
  const hint = theirs.windowSizeHint;
  return {
    profile: ours.profile,
    sendKey: ours.masterKey,
    receiveKey: theirs.masterKey,
    // The replay window is a multiple of 32 packets; a WSH hint is rounded up to one.
    replayWindowSize:
      hint !== undefined && hint > DEFAULT_REPLAY_WINDOW_SIZE ? Math.ceil(hint / 32) * 32 : undefined,
    receiveKeyLifetimePackets: theirs.lifetimePackets,
  };
}

function negotiatedOf(
  remote: SessionDescription,
  mediaIndex: number,
  media: MediaDescription,
  parts: {
    codec: NegotiatedCodec;
    telephoneEvent: PayloadFormat | undefined;
    direction: MediaDirection;
    rtcpMux: boolean;
    srtp: NegotiatedSrtp | undefined;
    defaultPtimeMs: number;
  },
): NegotiatedMedia {
  const address = effectiveConnection(remote, media)?.address;
  if (address === undefined) {
    throw new NegotiationError('answer-mismatch', 'the audio stream has no c= address');
  }
  const rtcp = effectiveRtcp(remote, media);
  const wanted = media.ptimeMs ?? parts.defaultPtimeMs;
  return {
    mediaIndex,
    remoteAddress: address,
    remoteRtpPort: media.port,
    remoteRtcpAddress: parts.rtcpMux ? address : (rtcp.address ?? address),
    remoteRtcpPort: parts.rtcpMux ? media.port : rtcp.port,
    rtcpMux: parts.rtcpMux,
    codec: parts.codec,
    telephoneEvent: parts.telephoneEvent
      ? { payloadType: parts.telephoneEvent.payloadType, events: parts.telephoneEvent.parameters }
      : undefined,
    ptimeMs: media.maxptimeMs !== undefined ? Math.min(wanted, media.maxptimeMs) : wanted,
    direction: parts.direction,
    srtp: parts.srtp,
  };
}
