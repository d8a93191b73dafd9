// REFER transfers on the customer's legs (BEHAVIOUR.md §7, §20), blind and attended. The policy's `evaluateRefer`
// decides (202, or 403/400 for a Refer-To that breaks the §7 rules); this carries it out:
//
//   blind:     REFER ─► 202 ─► NOTIFY 100 Trying (active) ─► new far-end leg to the target (its scenario)
//                      ├─ rings ─► NOTIFY 180 Ringing
//                      ├─ answers ─► NOTIFY 200 OK (terminated;reason=noresource) ─► BYE to the transferor;
//                      │            the caller and the target stay joined (both played by the emulator) until
//                      │            the target's scenario hangs up or `farEnd.bridgeHangupAfterMs`
//                      └─ fails ─► NOTIFY <status> (terminated); the transferor's leg stays up; no CDR, no code
//   attended:  REFER with Refer-To …?Replaces=<call 2> (both calls through the emulator) ─► 202 ─► NOTIFY 100,
//              NOTIFY 200 ─► the two far ends are joined ─► BYE to the transferor on call 1 and on call 2
//
// CDRs (§20 `referCdrs`): two linked records by default — the original leg, ended by the transfer, and the
// transfer leg with `parent_call_uuid` (for an attended transfer, call 2 names call 1); `single-record` writes one
// record for the original leg that lasts until the joined call ends. Transfer legs count toward concurrency.

import { describeError } from '../../common/errors.js';
import { causeOf, evaluateRefer, type HangupCause, type ReferDecision } from '../../policy/index.js';
import { createResponse, type SipRequest } from '../../sip/message/index.js';
import type { NonInviteClientTransaction, ServerTransaction } from '../../sip/transaction/index.js';
import type { ReceivedMessageContext } from '../../sip/transport/index.js';
import { CallLeg, LEG_RULES, SHUTDOWN_CAUSE_CODE } from '../calls/call-leg.js';
import type { EmulatorContext } from '../calls/emulator-context.js';
import { ScenarioRunner } from '../calls/scenario-runner.js';
import { USER_AGENT } from '../calls/zentrunk-headers.js';
import { instantNow, type DecidingRuleFacts } from '../cdr/index.js';
import { errorEvent, stamped, type TransferEvent } from '../emulator-events.js';
import { scenarioScript, type ScenarioStep } from '../far-end/index.js';

const RULES = {
  transferred: { ruleId: 'refer.transferred', section: '§7, §20', grade: 'D' },
  bridgeEnded: { ruleId: 'refer.bridge-ended', section: '§7, §20', grade: 'I' },
} as const satisfies Record<string, DecidingRuleFacts>;

/** How long a NOTIFY subscription is said to last while the transfer runs (RFC 3515 §2.4.4, RFC 6665). */
const SUBSCRIPTION_EXPIRES_S = 60;

/** `callid;to-tag=…;from-tag=…` (RFC 3891 §6.1) as found in Refer-To's `?Replaces=`. */
function parseReplaces(value: string): { callId: string; toTag: string; fromTag: string } | undefined {
  const [callId, ...params] = value.split(';').map((part) => part.trim());
  const tags = new Map(params.map((p) => p.split('=') as [string, string | undefined]));
  const toTag = tags.get('to-tag');
  const fromTag = tags.get('from-tag');
  return callId && toTag && fromTag ? { callId, toTag, fromTag } : undefined;
}

export class ReferTransfers {
  readonly #ctx: EmulatorContext;
  /** Legs with a transfer in progress: a second REFER meanwhile gets 491 (RFC 3515 allows several; we do not). */
  readonly #busy = new WeakSet<CallLeg>();

  constructor(ctx: EmulatorContext) {
    this.#ctx = ctx;
  }

  /** Handles REFERs on this leg from now on. */
  attach(leg: CallLeg): void {
    leg.onRefer = (l, transaction, context) => this.#onRefer(l, transaction, context);
  }

  #onRefer(leg: CallLeg, transaction: ServerTransaction, _context: ReceivedMessageContext): void {
    const ctx = this.#ctx;
    const request = transaction.request;
    const referTo = request.headers.get('refer-to');
    const decision = evaluateRefer(referTo, { callDirection: leg.direction }, ctx.account, ctx.settings);
    const target = referTo ?? '';
    if (decision.status !== 202 || decision.target === undefined) {
      transaction.respond(respond(request, decision.status, decision.reasonPhrase));
      this.#event(leg, 'refused', target, decision.explanation, { sipStatus: decision.status });
      return;
    }
    if (this.#busy.has(leg)) {
      transaction.respond(respond(request, 491, 'Request Pending'));
      return;
    }
    transaction.respond(respond(request, 202, 'Accepted'));
    this.#event(leg, 'accepted', target, decision.explanation, { sipStatus: 202 });
    this.#busy.add(leg);
    const notify = new NotifyChannel(leg);
    try {
      if (decision.target.replaces !== undefined) this.#attended(leg, decision, notify, target);
      else this.#blind(leg, decision, notify, target);
    } catch (error) {
      this.#busy.delete(leg);
      ctx.events.emit('error', errorEvent(ctx.clock, 'internal', error, leg.callUuid));
      void notify.send(500, 'Server Internal Error', true);
    }
  }

  // ── Blind ─────────────────────────────────────────────────────────────────────────────────────────────────

  #blind(leg: CallLeg, decision: ReferDecision, notify: NotifyChannel, target: string): void {
    const ctx = this.#ctx;
    const number = decision.target!.number.e164;
    // §7: the transfer leg's caller ID is the customer's Plivo number (outbound) or the original caller
    // (inbound) — on both, the number this leg presented as its caller.
    const transferLeg = new CallLeg({
      ctx,
      direction: 'outbound',
      callId: leg.callId,
      from: leg.from,
      to: number,
      trunk: leg.trunk,
      requestHost: leg.requestHost,
      transport: leg.transport,
      peer: null,
      parentCallUuid: leg.callUuid,
    });
    // Its SIP is the transferor's dialog, recorded with the original leg.
    transferLeg.traceCallIds = [];
    const limit = ctx.account.limits.max_concurrent_calls;
    if (limit !== null && ctx.admission.concurrency.active >= limit) {
      this.#busy.delete(leg);
      void notify.send(503, 'Service Unavailable', true);
      this.#event(leg, 'failed', target, 'the concurrent-call limit is reached (§12.2)', { sipStatus: 503 });
      return;
    }
    transferLeg.lease = ctx.admission.concurrency.acquire(transferLeg.callUuid, 'transfer');
    const match = ctx.farEnd.lookup(number);
    transferLeg.farEndScenario = match.name;
    const single = ctx.settings.referCdrs === 'single-record';
    void notify.send(100, 'Trying', false);
    this.#event(leg, 'trying', target, `calling ${number}`, {
      sipStatus: 100,
      transferCallUuid: transferLeg.callUuid,
    });

    let connected = false;
    let bridgeTimer: ReturnType<EmulatorContext['clock']['setTimeout']> | undefined;
    const runner = new ScenarioRunner(
      ctx.clock,
      // The transferor hears the target's progress as NOTIFY 100, then 200 for a target that answers at once
      // (§7, docs/adr/0088): no 180 in between.
      scenarioScript(match.scenario, ctx.settings, { ringBeforeImmediateAnswer: false }),
      (step: ScenarioStep) => {
        switch (step.kind) {
          case 'ringing':
          case 'early-media':
            if (connected) return;
            transferLeg.alerted(step.kind === 'ringing' ? 180 : 183);
            void notify.send(
              step.kind === 'ringing' ? 180 : 183,
              step.kind === 'ringing' ? 'Ringing' : 'Session Progress',
              false,
            );
            this.#event(leg, 'ringing', target, `${number} is ringing`, {
              sipStatus: step.kind === 'ringing' ? 180 : 183,
              transferCallUuid: transferLeg.callUuid,
            });
            return;
          case 'answer':
            connected = true;
            transferLeg.answered();
            this.#event(leg, 'succeeded', target, `${number} answered; the transferor is released`, {
              sipStatus: 200,
              transferCallUuid: transferLeg.callUuid,
            });
            // §7 (P): the endpoint must not BYE before NOTIFY 200; we send our BYE once that NOTIFY is answered.
            void notify.send(200, 'OK', true).then(() => {
              this.#busy.delete(leg);
              leg.extras['transferred_to'] = number;
              leg.extras['transfer_call_uuid'] = transferLeg.callUuid;
              if (single) leg.writesCdr = false;
              leg.hangup(causeOf(3000), { decidedBy: RULES.transferred });
            });
            bridgeTimer = ctx.clock.setTimeout(
              () => endBridge(causeOf(3000), RULES.bridgeEnded),
              ctx.farEnd.bridgeHangupAfterMs,
            );
            return;
          case 'hangup':
            if (connected) endBridge(step.cause, step.rule);
            return;
          case 'reject':
            // §7: the target failed; the transferor's leg stays up and no hangup code is recorded for it.
            this.#busy.delete(leg);
            transferLeg.writesCdr = false;
            transferLeg.end(step.cause, {
              finalResponse: { status: step.status, reasonPhrase: step.reasonPhrase },
            });
            void notify.send(step.status, step.reasonPhrase, true);
            leg.emitState('answered', {});
            this.#event(leg, 'failed', target, `${number} answered ${step.status} ${step.reasonPhrase}`, {
              sipStatus: step.status,
              transferCallUuid: transferLeg.callUuid,
            });
            return;
          case 'send-dtmf':
          case 'hold':
          case 'resume':
            // Nobody of the customer's is on the joined call to hear or see these.
            return;
        }
      },
      (error) => ctx.events.emit('error', errorEvent(ctx.clock, 'internal', error, transferLeg.callUuid)),
    );
    const endBridge = (cause: HangupCause, rule: DecidingRuleFacts) => {
      ctx.clock.clearTimeout(bridgeTimer);
      runner.cancel();
      if (single) {
        // One record for the original leg, from its INVITE to the end of the joined call (§17, §20).
        transferLeg.writesCdr = false;
        transferLeg.end(cause, { decidedBy: rule });
        ctx.cdrs.write(leg.facts(cause, { decidedBy: rule }, { ended: instantNow(ctx.clock) }));
        return;
      }
      transferLeg.end(cause, { decidedBy: rule });
    };
    // A transferor that hangs up before the target answered abandons the transfer (§7: it must not).
    leg.onEnded(() => {
      if (connected) return;
      this.#busy.delete(leg);
      runner.cancel();
      transferLeg.writesCdr = false;
      transferLeg.end(causeOf(4550, 'customer'), {});
    });
    transferLeg.onEnded(() => {
      ctx.clock.clearTimeout(bridgeTimer);
      runner.cancel();
    });
    transferLeg.driver = {
      shutdown: () => endBridge(causeOf(SHUTDOWN_CAUSE_CODE), LEG_RULES.shutdown),
    };
    ctx.registry.addCall(transferLeg);
    runner.start();
  }

  // ── Attended (Replaces) ───────────────────────────────────────────────────────────────────────────────────

  #attended(leg: CallLeg, decision: ReferDecision, notify: NotifyChannel, target: string): void {
    const ctx = this.#ctx;
    const replaces = parseReplaces(decision.target!.replaces ?? '');
    const other = replaces
      ? ctx.registry.dialogForReplaces(replaces.callId, replaces.toTag, replaces.fromTag)
      : undefined;
    void notify.send(100, 'Trying', false);
    if (!(other instanceof CallLeg) || other === leg || other.state !== 'answered') {
      // RFC 3891 §3: Replaces naming no (confirmed) dialog of ours fails with 481.
      this.#busy.delete(leg);
      void notify.send(481, 'Call/Transaction Does Not Exist', true);
      leg.emitState('answered', {});
      this.#event(leg, 'failed', target, 'Replaces names no call in progress on this emulator', {
        sipStatus: 481,
      });
      return;
    }
    this.#event(
      leg,
      'succeeded',
      target,
      `joined with call ${other.callUuid}; both legs to the transferor end`,
      {
        sipStatus: 200,
        transferCallUuid: other.callUuid,
      },
    );
    void notify.send(200, 'OK', true).then(() => {
      this.#busy.delete(leg);
      leg.extras['transfer'] = 'attended';
      leg.extras['replaced_call_uuid'] = other.callUuid;
      other.extras['transfer'] = 'attended';
      other.parentCallUuid = leg.callUuid;
      leg.hangup(causeOf(3000), { decidedBy: RULES.transferred });
      other.hangup(causeOf(3000), { decidedBy: RULES.transferred });
    });
  }

  #event(
    leg: CallLeg,
    stage: TransferEvent['stage'],
    referTo: string,
    detail: string,
    extra: { sipStatus?: number; transferCallUuid?: string },
  ): void {
    if (stage === 'accepted') leg.emitState('transferring', {});
    this.#ctx.events.emit(
      'transfer',
      stamped(this.#ctx.clock, { callUuid: leg.callUuid, stage, referTo, detail, ...extra }),
    );
  }
}

function respond(request: SipRequest, status: number, reasonPhrase: string) {
  return createResponse(request, status, { reasonPhrase, headers: [USER_AGENT] });
}

/**
 * NOTIFYs of one REFER subscription (RFC 3515 §2.4.4): `Event: refer`, a `message/sipfrag` body with the transfer
 * leg's status line, `Subscription-State: active` until the final one, `terminated;reason=noresource` then (§20).
 * They go one at a time, each after the previous was answered, so they cannot arrive out of order on UDP.
 */
class NotifyChannel {
  readonly #leg: CallLeg;
  #last: Promise<void> = Promise.resolve();
  #terminated = false;

  constructor(leg: CallLeg) {
    this.#leg = leg;
  }

  send(status: number, reasonPhrase: string, final: boolean): Promise<void> {
    if (this.#terminated) return this.#last;
    if (final) this.#terminated = true;
    this.#last = this.#last.then(
      () =>
        new Promise<void>((resolve) => {
          let transaction: NonInviteClientTransaction | undefined;
          try {
            transaction = this.#leg.sendInDialog('NOTIFY', {
              body: `SIP/2.0 ${status} ${reasonPhrase}\r\n`,
              contentType: 'message/sipfrag;version=2.0',
              headers: [
                ['Event', 'refer'],
                [
                  'Subscription-State',
                  final ? 'terminated;reason=noresource' : `active;expires=${SUBSCRIPTION_EXPIRES_S}`,
                ],
              ],
            });
          } catch (error) {
            this.#leg.ctx.events.emit(
              'error',
              errorEvent(
                this.#leg.ctx.clock,
                'internal',
                new Error(describeError(error)),
                this.#leg.callUuid,
              ),
            );
          }
          if (!transaction) {
            resolve();
            return;
          }
          transaction.on('response', (response) => {
            if (response.statusCode >= 200) resolve();
          });
          transaction.onTerminated(resolve);
        }),
    );
    return this.#last;
  }
}
