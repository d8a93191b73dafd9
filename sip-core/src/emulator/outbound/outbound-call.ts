// An outbound call (PBX → emulator → "PSTN", BEHAVIOUR.md §4) from the moment the policy let it through (or queued
// it) until the far end answers or refuses: the account CPS queue (§12.1, §20), admission and the concurrency
// lease, the far end chosen by destination and its script (far-end/), the provisional and final responses with
// Zentrunk's headers (§4.4), early media, and CANCEL (§4.3: 487 + 4550). Once answered, the call is its CallLeg's;
// this object stays its driver so that the rest of the script (DTMF, hold, hang-up) runs and stop() can end it.
//
//   begin ──queue──► queued ──release: evaluate again──► admitted ──► offered (script runs) ──200──► answered
//     │                │ bound reached: 503 + 5180          │ no port: 503 + 5010   │ 18x, 183 + SDP    │ BYE …
//     └─allow──────────┼────────────────────────────────────┘                       │ reject step        ▼
//                      └── CANCEL / stop ─────────────────────────► 487 / 503 ◄─────┘               CallLeg
//
// `begin` sends 100 Trying on both paths; 18x, 200 and every error above follow it.

import { describeError } from '../../common/errors.js';
import { NegotiationError } from '../../media/offer-answer/index.js';
import { MediaSessionError } from '../../media/session/index.js';
import {
  causeOf,
  evaluate,
  type AllowDecision,
  type CallAttempt,
  type HangupCause,
  type PolicyDecision,
  type QueueDecision,
  type RejectDecision,
} from '../../policy/index.js';
import { Dialog } from '../../sip/dialog/index.js';
import {
  createResponse,
  generateTag,
  parseUri,
  type SipRequest,
  type SipResponse,
} from '../../sip/message/index.js';
import type { InviteServerTransaction } from '../../sip/transaction/index.js';
import type { ReceivedMessageContext } from '../../sip/transport/index.js';
import { LEG_RULES, SHUTDOWN_CAUSE_CODE, type CallLeg, type LegDriver } from '../calls/call-leg.js';
import type { EmulatorContext } from '../calls/emulator-context.js';
import { ScenarioRunner } from '../calls/scenario-runner.js';
import { answerHeaders, hangupHeaders, USER_AGENT, type HeaderList } from '../calls/zentrunk-headers.js';
import type { DecidingRuleFacts } from '../cdr/index.js';
import { errorEvent, policyDecisionEvent } from '../emulator-events.js';
import { scenarioScript, type ScenarioStep } from '../far-end/index.js';
import type { QueueTicket } from '../limits/index.js';
import { offeredSdpOf } from '../listeners/offered-sdp.js';
import { FarEndMedia } from '../media/far-end-media.js';

const RULES = {
  cancel: { ruleId: 'call.cancel', section: '§4.3, §13', grade: 'O' },
  noPort: { ruleId: 'media.port-limit', section: '§2.1, §13', grade: 'I' },
  sdp: { ruleId: 'media.answer', section: '§4.2 #19, §8', grade: 'I' },
} as const satisfies Record<string, DecidingRuleFacts>;

const SDP = 'application/sdp';

export interface OutboundCallInit {
  readonly ctx: EmulatorContext;
  readonly leg: CallLeg;
  readonly transaction: InviteServerTransaction;
  readonly request: SipRequest;
  readonly context: ReceivedMessageContext;
  readonly attempt: CallAttempt;
}

export class OutboundCall implements LegDriver {
  readonly leg: CallLeg;
  readonly #ctx: EmulatorContext;
  /** The INVITE's transaction, until the call is answered or refused (an idle call holds no transaction). */
  #transaction: InviteServerTransaction | undefined;
  readonly #context: ReceivedMessageContext;
  /** What the policy read, until the call is admitted (re-evaluated when the CPS queue releases it). */
  #attempt: CallAttempt | undefined;
  readonly #toTag = generateTag();
  /** The INVITE, until the final response is out (the transaction lets go of it then; so do we). */
  #request: SipRequest | undefined;
  #ticket: QueueTicket | undefined;
  #runner: ScenarioRunner | undefined;
  #allowed: AllowDecision | undefined;
  /** Our SDP answer, once computed (183 and 200 carry the same one); undefined for a late offer. */
  #answerSdp: string | undefined;
  #final = false;

  constructor(init: OutboundCallInit) {
    this.#ctx = init.ctx;
    this.leg = init.leg;
    this.#transaction = init.transaction;
    this.#request = init.request;
    this.#context = init.context;
    this.#attempt = init.attempt;
    this.leg.driver = this;
    this.leg.register();
    this.#ctx.registry.trackInvite(init.transaction, this);
    this.leg.emitState('trying');
  }

  /** Acts on the first decision: allow, or queue for the account CPS (§12.1, §20). */
  begin(decision: AllowDecision | QueueDecision): void {
    // The INVITE passed authentication and policy: Zentrunk's proxy acknowledges it with 100 Trying at once (§4.3),
    // before any port is allocated or the far end is offered the call (docs/adr/0088). A queued INVITE waits
    // behind it without retransmissions (RFC 3261 §17.2.1).
    this.#respond(100);
    if (decision.kind === 'allow') {
      this.#admit(decision);
      return;
    }
    this.#ticket = this.#ctx.admission.queue.enqueue({
      callKey: this.leg.callUuid,
      maxWaitMs: decision.maxWaitMs,
      onRelease: (ticket) => this.#released(ticket, decision),
      onTimeout: (ticket) => {
        this.#ticket = undefined;
        this.leg.queueDelayMs = ticket.waitedMs;
        this.#reject(decision.onTimeout);
      },
    });
  }

  /** A CANCEL matched the INVITE (the stack answered it 200): 487 + 4550 `customer_cancelled` (§4.3). */
  onCancel(): void {
    this.cancelledByCustomer();
  }

  cancelledByCustomer(): void {
    if (this.#final) return;
    this.#leaveQueue();
    const cause = causeOf(4550, 'customer');
    this.#finish(487, 'Request Terminated', cause, RULES.cancel);
  }

  shutdown(): void {
    if (this.#final) {
      this.leg.hangup(causeOf(SHUTDOWN_CAUSE_CODE), { decidedBy: LEG_RULES.shutdown });
      return;
    }
    this.#leaveQueue();
    this.#finish(503, 'Service Unavailable', causeOf(SHUTDOWN_CAUSE_CODE), LEG_RULES.shutdown);
  }

  /** A call taken out of the queue unreleased (CANCEL, stop) still records how long it waited, as a timeout does. */
  #leaveQueue(): void {
    const ticket = this.#ticket;
    if (!ticket) return;
    this.#ticket = undefined;
    ticket.cancel();
    this.leg.queueDelayMs = ticket.waitedMs;
  }

  ended(): void {
    this.#runner?.cancel();
    this.#ticket?.cancel();
    this.#ticket = undefined;
  }

  // ── Admission ─────────────────────────────────────────────────────────────────────────────────────────────

  #released(ticket: QueueTicket, queued: QueueDecision): void {
    this.leg.queueDelayMs = ticket.waitedMs;
    const ctx = this.#ctx;
    const attempt = this.#attempt;
    if (attempt === undefined) return;
    const decision = evaluate(
      attempt,
      ctx.account,
      {
        ...ctx.admission.countersFor(this.leg.trunk?.trunk_id, ticket),
        creditBalanceUsd: ctx.creditBalanceUsd(),
        sourceBlocked: false,
      },
      ctx.settings,
    );
    if (ctx.events.listenerCount('policyDecision') > 0) {
      ctx.events.emit(
        'policyDecision',
        policyDecisionEvent(
          ctx.clock,
          {
            callId: this.leg.callId,
            method: 'INVITE',
            transport: this.leg.transport,
            source: this.#context.remote,
          },
          decision,
        ),
      );
    }
    switch (decision.kind) {
      case 'allow':
        this.#ticket = undefined;
        this.#admit(decision);
        return;
      case 'queue':
        ticket.requeue();
        return;
      case 'reject':
        this.#ticket = undefined;
        this.#reject(decision);
        return;
      case 'challenge':
      case 'drop':
      case 'answer':
        // Cannot happen for an INVITE that passed authentication once; refuse it as the queue would.
        this.#ticket = undefined;
        this.#reject(queued.onTimeout);
    }
  }

  #admit(decision: AllowDecision): void {
    const ctx = this.#ctx;
    const leg = this.leg;
    this.#allowed = decision;
    this.#attempt = undefined;
    if (leg.trunk) ctx.admission.admit(leg.trunk.trunk_id);
    leg.lease = ctx.admission.concurrency.acquire(leg.callUuid, 'outbound');
    leg.stir = decision.stir;
    const destination = decision.destination?.e164 ?? leg.to;
    const match = ctx.farEnd.lookup(destination);
    leg.farEndScenario = match.name;
    const script = scenarioScript(match.scenario, ctx.settings);
    const dtmf = match.scenario.kind === 'answer' ? match.scenario.dtmf : null;
    void FarEndMedia.open({
      clock: ctx.clock,
      sockets: ctx.rtpSockets,
      bindAddress: ctx.mediaAddress,
      srtpPolicy: leg.trunk?.secure && decision.media === 'normal' ? 'mandatory' : 'off',
      sources: ctx.sources,
      inactivityTimeoutMs: ctx.settings.rtpInactivityTimeoutMs,
      taps: ctx.mediaTaps,
      ...(dtmf ? { dtmfGapMs: dtmf.gapMs } : {}),
      impairment: match.impairment,
    }).then(
      (media) => this.#offered(media, script),
      (error: unknown) => this.#noMedia(error),
    );
  }

  #noMedia(error: unknown): void {
    if (this.#final) return;
    this.#ctx.events.emit('error', errorEvent(this.#ctx.clock, 'internal', error, this.leg.callUuid));
    const code = error instanceof MediaSessionError && error.code === 'MEDIA_PORTS_EXHAUSTED' ? 5010 : 5270;
    this.#finish(503, 'Service Unavailable', causeOf(code), RULES.noPort);
  }

  /** The media is bound: answer the offer now (the 183 and 200 carry it) and start the far end's script. */
  #offered(media: FarEndMedia, script: ReturnType<typeof scenarioScript>): void {
    const request = this.#request;
    if (this.#final || request === undefined) {
      void media.close();
      return;
    }
    this.leg.attachMedia(media);
    if (this.#allowed?.media === 'no-media') media.play({ kind: 'silence' });
    if (request.body.length > 0) {
      try {
        this.#answerSdp = media.answer(offeredSdpOf(request));
      } catch (error) {
        // The policy saw G.711 and a usable crypto suite, but the offer cannot be answered after all.
        const warning = error instanceof NegotiationError ? error.warning : describeError(error);
        this.#finish(488, 'Not Acceptable Here', causeOf(4430), RULES.sdp, [
          ['Warning', `399 zentrunk "${warning.replace(/"/g, '')}"`],
        ]);
        return;
      }
    }
    this.#runner = new ScenarioRunner(
      this.#ctx.clock,
      script,
      (step) => this.#step(step),
      (error) =>
        this.#ctx.events.emit('error', errorEvent(this.#ctx.clock, 'internal', error, this.leg.callUuid)),
    );
    this.#runner.start();
  }

  // ── The far end's script ──────────────────────────────────────────────────────────────────────────────────

  #step(step: ScenarioStep): void {
    const leg = this.leg;
    switch (step.kind) {
      case 'ringing':
        if (this.#final) return;
        this.#provisional(180);
        leg.alerted(180);
        return;
      case 'early-media':
        if (this.#final) return;
        this.#provisional(183);
        if (this.#answerSdp !== undefined && this.#allowed?.media !== 'no-media') leg.media?.play(step.media);
        leg.alerted(183);
        return;
      case 'answer':
        if (!this.#final) this.#answer(step.media);
        return;
      case 'send-dtmf':
        try {
          leg.media?.sendDtmf(step.digits, step.durationMs);
        } catch (error) {
          // The PBX offered no telephone-event: the far end cannot send RFC 4733 digits; the call goes on.
          this.#ctx.events.emit('error', errorEvent(this.#ctx.clock, 'internal', error, leg.callUuid));
        }
        return;
      case 'hold':
        leg.reinvite('sendonly');
        return;
      case 'resume':
        leg.reinvite('sendrecv');
        return;
      case 'hangup':
        leg.hangup(step.cause, { decidedBy: step.rule });
        return;
      case 'reject':
        if (!this.#final) this.#finish(step.status, step.reasonPhrase, step.cause, step.rule);
    }
  }

  #provisional(status: 180 | 183): void {
    const request = this.#request;
    if (!request) return;
    const sdp = status === 183 ? this.#answerSdp : undefined;
    const response = createResponse(request, status, {
      toTag: this.#toTag,
      headers: [['Contact', `<${this.#contact()}>`], USER_AGENT],
      ...(sdp !== undefined ? { body: sdp, contentType: SDP } : {}),
    });
    this.#transaction?.respond(response);
    this.#ensureDialog(request, response);
  }

  #answer(source: Parameters<NonNullable<CallLeg['media']>['play']>[0]): void {
    const request = this.#request;
    const leg = this.leg;
    const media = leg.media;
    const decision = this.#allowed;
    if (!request || !media || !decision) return;
    const lateOffer = this.#answerSdp === undefined;
    const sdp = this.#answerSdp ?? media.offer();
    const callerId = decision.callerId?.e164 ?? leg.from;
    const headers: HeaderList = [
      ['Contact', `<${this.#contact()}>`],
      ...answerHeaders(this.#ctx.settings, callerId, this.#context.local.address),
      ...decision.headers.map((h) => [h.name, h.value] as const),
      ...leg.sessionTimerHeadersFor(request),
    ];
    const response = createResponse(request, 200, {
      toTag: this.#toTag,
      headers,
      body: sdp,
      contentType: SDP,
    });
    const transaction = this.#transaction;
    if (!transaction) return;
    this.#final = true;
    const wire = this.#ctx.stack.serialize(response);
    transaction.respond(response, wire);
    this.#ctx.registry.untrackInvite(transaction);
    // The 200 confirms the early dialog of our 180/183 (same To tag): no second dialog built from the request.
    if (leg.dialog?.confirmByResponse(response) !== true) {
      leg.attachDialog(Dialog.fromRequest(request, response, parseUri(this.#contact())));
    }
    this.#request = undefined;
    if (decision.media === 'normal') media.play(source);
    media.watchInactivity();
    leg.answered();
    leg.awaitAck(transaction, response, wire, this.#context, lateOffer);
    // An idle call keeps nothing of its setup: the transaction (INVITE and 200), the policy's decision and trace.
    this.#transaction = undefined;
    this.#allowed = undefined;
    this.#answerSdp = undefined;
  }

  #ensureDialog(request: SipRequest, response: SipResponse): void {
    if (this.leg.dialog) return;
    this.leg.attachDialog(Dialog.fromRequest(request, response, parseUri(this.#contact())));
  }

  // ── Final errors ──────────────────────────────────────────────────────────────────────────────────────────

  #reject(decision: RejectDecision): void {
    if (this.#final) return;
    this.#finish(
      decision.status,
      decision.reasonPhrase,
      decision.cause ?? causeOf(5000),
      decision,
      decision.headers.map((h) => [h.name, h.value] as const),
      false,
    );
  }

  /** A final error response to the INVITE, then the leg's end and its CDR. */
  #finish(
    status: number,
    reasonPhrase: string,
    cause: HangupCause,
    decidedBy: DecidingRuleFacts,
    extraHeaders: HeaderList = [],
    addHangupHeaders = true,
  ): void {
    if (this.#final) return;
    this.#final = true;
    this.#runner?.cancel();
    this.#ticket?.cancel();
    this.#ticket = undefined;
    const request = this.#request;
    this.#request = undefined;
    const transaction = this.#transaction;
    this.#transaction = undefined;
    this.#attempt = undefined;
    if (request && transaction && transaction.finalStatus === undefined && !transaction.isTerminated) {
      const headers: HeaderList = [
        USER_AGENT,
        ...extraHeaders,
        ...(addHangupHeaders ? hangupHeaders(cause, this.#ctx.settings, status) : []),
      ];
      transaction.respond(createResponse(request, status, { reasonPhrase, toTag: this.#toTag, headers }));
    }
    if (transaction) this.#ctx.registry.untrackInvite(transaction);
    this.leg.end(cause, { decidedBy, finalResponse: { status, reasonPhrase } });
  }

  #respond(status: number): void {
    const request = this.#request;
    if (request) this.#transaction?.respond(createResponse(request, status, { headers: [USER_AGENT] }));
  }

  #contact(): string {
    return this.#ctx.contactFor(this.#context.transport, `btpsh-${this.leg.callUuid.slice(0, 12)}`);
  }
}

/** The policy decision an OutboundCall may begin with. */
export function beginsCall(decision: PolicyDecision): decision is AllowDecision | QueueDecision {
  return decision.kind === 'allow' || decision.kind === 'queue';
}
