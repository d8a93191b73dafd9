// An inbound call (PSTN → DID → inbound trunk → PBX, BEHAVIOUR.md §5, §20): the policy routes the DID to its
// trunk's primary origination URI; the emulator sends an INVITE shaped like Zentrunk's (§5.2), answers the PBX's
// digest challenge with the URI's credentials (§5.3), and fails over to the fallback URI when the primary times
// out, fails at the transport or answers 5xx/6xx (`shouldTryFallback`; never on 4xx). The PBX's final answer is
// mapped with `mapPbxOutcome`; once answered, the call is its CallLeg's and this object stays its driver.
//
//   start ─► route ──reject──► CDR (4080/4310/4320/4030), failed
//              │
//              ▼
//           primary ──401/407──► INVITE again with credentials (once per URI)
//              │ ──2xx──► answered (media both ways; hang-up after `hangupAfterMs`, or the PBX's BYE)
//              │ ──timeout / transport / 5xx / 6xx──► fallback ──2xx──► answered
//              │ ──4xx──► failed                        └──any failure──► failed
//              └ ring timeout ─► CANCEL                 (every failure: mapPbxOutcome → CDR)

import type { TimerHandle } from '../../common/clock.js';
import { describeError } from '../../common/errors.js';
import {
  causeOf,
  mapPbxOutcome,
  originationRequestUri,
  routeInbound,
  shouldTryFallback,
  type HangupCause,
  type OriginationLeg,
  type OriginationOutcome,
} from '../../policy/index.js';
import { AUTH_HEADER_NAMES, DigestClient, DigestSecret } from '../../sip/auth/index.js';
import { uacInviteKey, UacInviteDialogs } from '../../sip/dialog/index.js';
import { createRequest, generateCallId, type SipRequest, type SipResponse } from '../../sip/message/index.js';
import type { InviteClientTransaction } from '../../sip/transaction/index.js';
import { CallLeg, LEG_RULES, SHUTDOWN_CAUSE_CODE, type LegDriver } from '../calls/call-leg.js';
import { newCallUuid } from '../calls/call-uuid.js';
import type { EmulatorContext } from '../calls/emulator-context.js';
import { inviteHeaders } from '../calls/zentrunk-headers.js';
import type { DecidingRuleFacts } from '../cdr/index.js';
import { errorEvent, stamped, type InboundCallEvent } from '../emulator-events.js';
import type { MediaSource } from '../far-end/index.js';
import { FarEndMedia } from '../media/far-end-media.js';

const RULES = {
  route: { ruleId: 'inbound.route', section: '§5.1', grade: 'D' },
  pbx: { ruleId: 'inbound.pbx-outcome', section: '§5.3', grade: 'O' },
  concurrency: { ruleId: 'limits.concurrency', section: '§12.2', grade: 'D' },
  callerBye: { ruleId: 'inbound.caller-hangup', section: '§5.3', grade: 'D-old' },
  badAnswer: { ruleId: 'media.answer', section: '§5.2; RFC 3264', grade: 'I' },
} as const satisfies Record<string, DecidingRuleFacts>;

/** §2.4: inbound INVITEs name the AWS region they leave from; the emulator plays Virginia. */
const REGION = 'us-east-1';
const SDP = 'application/sdp';

export interface InboundCallRequest {
  /** The PSTN caller (E.164; the From user part, sent without `+` like Zentrunk's traces). */
  readonly from: string;
  /** The DID dialled: one of the account's numbers, routed to an inbound trunk. */
  readonly to: string;
  /** What the caller plays once answered. Default: a 1004 Hz tone. */
  readonly media?: MediaSource;
  /** The caller hangs up this long after the answer (3000 normal_hangup, carrier). Default: never. */
  readonly hangupAfterMs?: number;
  /**
   * The call's id, chosen by a caller that returns before the call ends (the app reports progress by it).
   * Default: a new random UUID.
   */
  readonly callUuid?: string;
}

export interface InboundCallResult {
  readonly callUuid: string;
  readonly outcome: 'answered' | 'failed';
  /** The origination URI that answered or failed last. */
  readonly leg?: 'primary' | 'fallback';
  /** The PBX's final status (absent after a timeout or a transport failure). */
  readonly sipStatus?: number;
  /** Why it failed. */
  readonly cause?: HangupCause;
  /**
   * When the last attempt failed at the transport: what it said. The cause reads as a timeout (ADR 0084), so this
   * is how a user tells a refused connection or an untrusted PBX certificate from silence.
   */
  readonly transportError?: string;
}

type Attempt =
  | { readonly kind: 'answered'; readonly response: SipResponse; readonly dialogs: UacInviteDialogs }
  | { readonly kind: 'failed'; readonly outcome: OriginationOutcome | { kind: 'cancelled' } };

export class InboundCall implements LegDriver {
  /** Resolves when the call is over (answered and hung up, or failed). */
  readonly done: Promise<void>;
  readonly #ctx: EmulatorContext;
  readonly #request: InboundCallRequest & { readonly media: MediaSource };
  readonly #onLeg: (leg: CallLeg) => void;
  readonly #callUuid: string;
  #resolveDone!: () => void;
  #leg: CallLeg | undefined;
  #media: FarEndMedia | undefined;
  #pending: InviteClientTransaction | undefined;
  #dialogs: UacInviteDialogs | undefined;
  #hangupTimer: TimerHandle | undefined;
  #stopped = false;
  readonly #callIds: string[] = [];

  constructor(
    ctx: EmulatorContext,
    request: InboundCallRequest & { readonly media: MediaSource },
    onLeg: (leg: CallLeg) => void,
  ) {
    this.#ctx = ctx;
    this.#request = request;
    this.#onLeg = onLeg;
    this.#callUuid = request.callUuid ?? newCallUuid(ctx.clock.wallNow());
    this.done = new Promise<void>((resolve) => (this.#resolveDone = resolve));
  }

  get callUuid(): string {
    return this.#callUuid;
  }

  async start(): Promise<InboundCallResult> {
    try {
      return await this.#run();
    } catch (error) {
      // A bug must cost this call, not the emulator: the leg ends as a server failure and the caller is told.
      this.#ctx.events.emit('error', errorEvent(this.#ctx.clock, 'internal', error, this.#callUuid));
      const cause = causeOf(5000);
      this.#leg?.end(cause, { decidedBy: RULES.pbx });
      this.#resolveDone();
      return { callUuid: this.#callUuid, outcome: 'failed', cause };
    } finally {
      if (this.#leg === undefined || this.#leg.isEnded) this.#resolveDone();
    }
  }

  /** A 2xx retransmitted after the INVITE transaction ended: re-ACK it (RFC 3261 §13.2.2.4). */
  onStrayResponse(response: SipResponse): boolean {
    const dialogs = this.#dialogs;
    if (!dialogs || uacInviteKey(response) !== dialogs.key) return false;
    dialogs.receive(response);
    return true;
  }

  /** The emulator stops: CANCEL a ringing attempt, BYE an answered call (5250). */
  shutdown(): void {
    this.#stopped = true;
    const leg = this.#leg;
    if (this.#pending) this.#ctx.stack.cancel(this.#pending);
    if (leg && leg.state === 'answered')
      leg.hangup(causeOf(SHUTDOWN_CAUSE_CODE), { decidedBy: LEG_RULES.shutdown });
  }

  ended(): void {
    this.#ctx.clock.clearTimeout(this.#hangupTimer);
    this.#hangupTimer = undefined;
    this.#resolveDone();
  }

  async #run(): Promise<InboundCallResult> {
    const ctx = this.#ctx;
    const { from } = this.#request;
    const route = routeInbound(this.#request.to, ctx.account, ctx.creditBalanceUsd());
    if (route.kind === 'reject') {
      const leg = this.#newLeg(this.#request.to, undefined, 'udp', null);
      leg.end(route.cause, {
        decidedBy: RULES.route,
        finalResponse: { status: route.status, reasonPhrase: route.reasonPhrase },
      });
      this.#emit('failed', 'primary', '', { sipStatus: route.status, cause: route.cause });
      return { callUuid: this.#callUuid, outcome: 'failed', sipStatus: route.status, cause: route.cause };
    }
    const primary = route.primary.target;
    const leg = this.#newLeg(route.did, route.trunk, primary.transport, {
      address: primary.host,
      port: primary.port,
    });
    const limit = ctx.account.limits.max_concurrent_calls;
    if (limit !== null && ctx.admission.concurrency.active >= limit) {
      const cause = causeOf(5190);
      leg.end(cause, { decidedBy: RULES.concurrency });
      this.#emit('failed', 'primary', this.#uriText(route.primary), { cause });
      return { callUuid: this.#callUuid, outcome: 'failed', cause };
    }
    leg.lease = ctx.admission.concurrency.acquire(leg.callUuid, 'inbound');
    leg.driver = this;
    leg.register();
    this.#onLeg(leg);

    const legs: Array<['primary' | 'fallback', OriginationLeg]> = [['primary', route.primary]];
    if (route.fallback) legs.push(['fallback', route.fallback]);
    let last: { which: 'primary' | 'fallback'; attempt: Attempt & { kind: 'failed' } } | undefined;
    for (const [which, origination] of legs) {
      if (this.#stopped) break;
      if (last) {
        this.#emit('failover', which, this.#uriText(origination), detailsOf(last.attempt.outcome));
      }
      const attempt = await this.#attempt(leg, which, origination, route.did, route.trunk.trunk_id, from);
      if (attempt.kind === 'answered') return this.#answered(leg, which, attempt, origination);
      last = { which, attempt };
      const outcome = attempt.outcome;
      if (outcome.kind === 'cancelled' || !shouldTryFallback(outcome)) break;
    }
    const outcome = last?.attempt.outcome ?? { kind: 'cancelled' as const };
    // A PBX that cannot be reached reads as one that does not answer (§5.3: 4170 request_timeout_customer).
    const mappable = outcome.kind === 'transport-failure' ? { kind: 'timeout' as const } : outcome;
    const cause = this.#stopped ? causeOf(SHUTDOWN_CAUSE_CODE) : mapPbxOutcome(mappable).cause;
    const status = outcome.kind === 'response' ? outcome.status : undefined;
    const transportError = outcome.kind === 'transport-failure' ? outcome.reason : undefined;
    leg.end(cause, {
      decidedBy: this.#stopped ? LEG_RULES.shutdown : RULES.pbx,
      ...(status !== undefined ? { sipStatus: status } : {}),
    });
    const lastLeg = last?.which === 'fallback' && route.fallback ? route.fallback : route.primary;
    this.#emit('failed', last?.which ?? 'primary', this.#uriText(lastLeg), {
      ...(status !== undefined ? { sipStatus: status } : {}),
      ...(transportError !== undefined ? { transportError } : {}),
      cause,
    });
    return {
      callUuid: this.#callUuid,
      outcome: 'failed',
      leg: last?.which ?? 'primary',
      ...(status !== undefined ? { sipStatus: status } : {}),
      ...(transportError !== undefined ? { transportError } : {}),
      cause,
    };
  }

  #newLeg(
    did: string,
    trunk: CallLeg['trunk'],
    transport: CallLeg['transport'],
    peer: CallLeg['peer'],
  ): CallLeg {
    const leg = new CallLeg({
      ctx: this.#ctx,
      direction: 'inbound',
      callId: '',
      callUuid: this.#callUuid,
      from: this.#request.from,
      to: did,
      trunk,
      requestHost: peer?.address ?? 'unknown',
      transport,
      peer,
    });
    leg.traceCallIds = this.#callIds;
    this.#leg = leg;
    return leg;
  }

  /** One origination URI: media bound for its transport, INVITE, a challenge answered once, ring timeout. */
  async #attempt(
    leg: CallLeg,
    which: 'primary' | 'fallback',
    origination: OriginationLeg,
    did: string,
    trunkId: string,
    from: string,
  ): Promise<Attempt> {
    const ctx = this.#ctx;
    const target = origination.target;
    leg.transport = target.transport;
    leg.peer = { address: target.host, port: target.port };
    await this.#media?.close();
    this.#media = undefined;
    let media: FarEndMedia;
    try {
      media = await FarEndMedia.open({
        clock: ctx.clock,
        sockets: ctx.rtpSockets,
        bindAddress: ctx.mediaAddress,
        // §8: SRTP (SDES) when the URI's transport is TLS.
        srtpPolicy: target.transport === 'tls' ? 'mandatory' : 'off',
        sources: ctx.sources,
        inactivityTimeoutMs: ctx.settings.rtpInactivityTimeoutMs,
        taps: ctx.mediaTaps,
      });
    } catch (error) {
      ctx.events.emit('error', errorEvent(ctx.clock, 'internal', error, this.#callUuid));
      return { kind: 'failed', outcome: { kind: 'transport-failure' } };
    }
    if (this.#stopped) {
      await media.close();
      return { kind: 'failed', outcome: { kind: 'cancelled' } };
    }
    this.#media = media;
    const offer = media.offer();
    const callId = generateCallId();
    this.#callIds.push(callId);
    leg.callId = callId;
    ctx.collector.retain(callId);
    const requestUri = originationRequestUri(
      target,
      did,
      trunkId,
      Math.round(ctx.settings.ringTimeoutMs / 1000),
    );
    const fromUser = from.replace(/^\+/, '');
    const base = {
      method: 'INVITE',
      requestUri,
      from: `sip:${fromUser}@zt.plivo.com`,
      to: requestUri,
      callId,
      maxForwards: 66,
      contact: ctx.contactFor(target.transport, `btpsh-${leg.callUuid.slice(0, 12)}`),
      body: offer,
      contentType: SDP,
    };
    const headers = [
      ...inviteHeaders(ctx.settings),
      ['X-Plivo-Stir-Verification', 'Verified'],
      ['X-Plivo-Region', REGION],
    ] as const;
    this.#emit('attempt', which, this.#uriText(origination), {});
    let invite = createRequest({ ...base, headers });
    let challenged = false;
    for (;;) {
      const result = await this.#send(leg, invite);
      if (result.kind === 'challenge' && origination.credentials && !challenged) {
        // §5.3: answer the PBX's 401/407 once with the URI's credentials; a second challenge is a refusal.
        challenged = true;
        const names = AUTH_HEADER_NAMES[result.status];
        const client = new DigestClient({
          username: origination.credentials.username,
          secret: DigestSecret.fromPassword(origination.credentials.password.reveal()),
        });
        let authorization: string;
        try {
          authorization = client.respond(result.challenges, {
            method: 'INVITE',
            uri: requestUri,
            body: Buffer.from(offer),
          }).headerValue;
        } catch (error) {
          ctx.events.emit('error', errorEvent(ctx.clock, 'bad-input', error, this.#callUuid));
          return { kind: 'failed', outcome: { kind: 'response', status: result.status } };
        }
        const from = invite.from;
        invite = createRequest({
          ...base,
          from: from ?? base.from,
          cseq: (invite.cseq?.seq ?? 1) + 1,
          headers: [...headers, [names.credentials, authorization]],
        });
        continue;
      }
      if (result.kind === 'challenge') {
        return { kind: 'failed', outcome: { kind: 'response', status: result.status } };
      }
      return result.attempt;
    }
  }

  /** Sends one INVITE and waits for its outcome; 18x marks the leg as alerted. */
  #send(
    leg: CallLeg,
    invite: SipRequest,
  ): Promise<
    { kind: 'challenge'; status: 401 | 407; challenges: string[] } | { kind: 'done'; attempt: Attempt }
  > {
    const ctx = this.#ctx;
    const dialogs = new UacInviteDialogs(invite, ctx.stack, { forkPolicy: 'ack-and-bye' });
    this.#dialogs = dialogs;
    return new Promise((resolve) => {
      let transaction: InviteClientTransaction;
      try {
        transaction = ctx.stack.sendInvite(invite);
      } catch (error) {
        ctx.events.emit(
          'error',
          errorEvent(ctx.clock, 'internal', new Error(describeError(error)), leg.callUuid),
        );
        resolve({ kind: 'done', attempt: { kind: 'failed', outcome: { kind: 'transport-failure' } } });
        return;
      }
      this.#pending = transaction;
      let cancelled = false;
      const ringTimer = ctx.clock.setTimeout(() => {
        cancelled = true;
        ctx.stack.cancel(transaction);
      }, ctx.settings.ringTimeoutMs);
      const settle = (value: Parameters<typeof resolve>[0]) => {
        ctx.clock.clearTimeout(ringTimer);
        if (this.#pending === transaction) this.#pending = undefined;
        resolve(value);
      };
      transaction.on('response', (response) => {
        const status = response.statusCode;
        const outcome = dialogs.receive(response);
        if (status > 100 && status < 200) {
          leg.alerted(status);
          return;
        }
        if (status < 200) return;
        if (outcome.kind === 'confirmed') {
          settle({ kind: 'done', attempt: { kind: 'answered', response, dialogs } });
          return;
        }
        if (status < 300) return;
        if ((status === 401 || status === 407) && !cancelled && !this.#stopped) {
          const names = AUTH_HEADER_NAMES[status];
          settle({ kind: 'challenge', status, challenges: response.headers.getAll(names.challenge) });
          return;
        }
        const failed: Attempt =
          cancelled || this.#stopped
            ? // Our CANCEL after the ring timeout: the PBX did not answer in time (§5.3: 4170 no answer).
              { kind: 'failed', outcome: this.#stopped ? { kind: 'cancelled' } : { kind: 'timeout' } }
            : { kind: 'failed', outcome: { kind: 'response', status } };
        settle({ kind: 'done', attempt: failed });
      });
      transaction.on('timeout', () =>
        settle({ kind: 'done', attempt: { kind: 'failed', outcome: { kind: 'timeout' } } }),
      );
      transaction.on('transportError', (error) =>
        settle({
          kind: 'done',
          attempt: { kind: 'failed', outcome: { kind: 'transport-failure', reason: error.message } },
        }),
      );
    });
  }

  #answered(
    leg: CallLeg,
    which: 'primary' | 'fallback',
    attempt: Attempt & { kind: 'answered' },
    origination: OriginationLeg,
  ): InboundCallResult {
    const ctx = this.#ctx;
    const media = this.#media!;
    const dialog = attempt.dialogs.dialog!;
    leg.attachDialog(dialog);
    leg.attachMedia(media);
    leg.answered();
    this.#emit('answered', which, this.#uriText(origination), { sipStatus: attempt.response.statusCode });
    try {
      media.acceptAnswer(attempt.response.body.toString('utf8'));
    } catch (error) {
      // RFC 3264: an answer we cannot use ends the call at once (the 2xx is ACKed already).
      ctx.events.emit('error', errorEvent(ctx.clock, 'bad-input', error, leg.callUuid));
      const cause = causeOf(4640);
      leg.hangup(cause, { decidedBy: RULES.badAnswer });
      return { callUuid: leg.callUuid, outcome: 'failed', leg: which, sipStatus: 200, cause };
    }
    media.play(this.#request.media);
    media.watchInactivity();
    const after = this.#request.hangupAfterMs;
    if (after !== undefined) {
      this.#hangupTimer = ctx.clock.setTimeout(() => {
        this.#hangupTimer = undefined;
        leg.hangup(causeOf(3000, 'carrier'), { decidedBy: RULES.callerBye });
      }, after);
    }
    return {
      callUuid: leg.callUuid,
      outcome: 'answered',
      leg: which,
      sipStatus: attempt.response.statusCode,
    };
  }

  #uriText(origination: OriginationLeg): string {
    return this.#ctx.account.origination_uris.find((u) => u.uri_uuid === origination.uri_uuid)?.uri ?? '';
  }

  #emit(
    stage: InboundCallEvent['stage'],
    leg: 'primary' | 'fallback',
    uri: string,
    extra: { sipStatus?: number; cause?: HangupCause; transportError?: string },
  ): void {
    this.#ctx.events.emit(
      'inboundCall',
      stamped(this.#ctx.clock, {
        callUuid: this.#callUuid,
        did: this.#request.to,
        from: this.#request.from,
        stage,
        leg,
        uri,
        ...extra,
      }),
    );
  }
}

function detailsOf(outcome: OriginationOutcome | { kind: 'cancelled' }): {
  sipStatus?: number;
  transportError?: string;
} {
  if (outcome.kind === 'response') return { sipStatus: outcome.status };
  if (outcome.kind === 'transport-failure' && outcome.reason !== undefined) {
    return { transportError: outcome.reason };
  }
  return {};
}
