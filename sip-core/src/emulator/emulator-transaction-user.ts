// The emulator's transaction user (RFC 3261 §17 "TU"): every request the stack hands over is routed here — into the
// dialog it belongs to, or through the policy when it is new. The policy decides, this enforces (BEHAVIOUR.md §3,
// §4.2, §20): reject (status, reason phrase, §20 headers, a CDR when the decision carries a hangup cause),
// challenge (407 with fresh digest challenges), queue or allow (an OutboundCall), answer (OPTIONS 200 with Allow),
// drop (an OPTIONS-blocked source: no answer at all).
//
//   request ─► basic acceptability (400/505/416/415) ─► To tag? ─► dialog ─► CallLeg.onRequest
//                                                          │           └─► none: 481 (recently ended: no CDR)
//                                                          └─► new ─► trunk host, OPTIONS rate, digest ─► CallAttempt
//                                                                      ─► evaluate ─► enforce the decision
//
// The stack's own method and Require checks are off (`acceptability: false`): the policy answers them with
// Zentrunk's codes (405 + Allow + 5020, 420 + Unsupported). No handler here throws for anything a peer sends.

import { describeError } from '../common/errors.js';
import { causeOf, evaluate, type PolicyDecision, type RejectDecision, type Trunk } from '../policy/index.js';
import {
  ACCEPTABILITY_RULES,
  createRejectionResponse,
  createResponse,
  generateTag,
  KNOWN_METHODS,
  type AcceptabilityPolicy,
  type SipRejection,
  type SipRequest,
  type SipResponse,
} from '../sip/message/index.js';
import type { TransactionUser } from '../sip/stack/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../sip/transaction/index.js';
import type { ReceivedMessageContext } from '../sip/transport/index.js';
import { CallLeg } from './calls/call-leg.js';
import type { EmulatorContext } from './calls/emulator-context.js';
import { USER_AGENT, type HeaderList } from './calls/zentrunk-headers.js';
import { errorEvent, policyDecisionEvent } from './emulator-events.js';
import { callAttemptOf, userOf } from './listeners/call-attempt.js';
import type { OptionsRateTracker } from './listeners/options-rate-tracker.js';
import { requestTrunkHost } from './listeners/request-trunk-host.js';
import type { DigestAuthenticator } from './outbound/digest-authenticator.js';
import { OutboundCall } from './outbound/outbound-call.js';

/** RFC 3261 §8.2 checks the emulator keeps from the stack's table (the policy does methods and Require). */
const BASIC_RULES = new Set([
  'sip-version',
  'mandatory-headers',
  'single-value-headers',
  'cseq-method',
  'request-uri-scheme',
]);
/** Body checks only for requests whose body the emulator reads. */
const BODY_RULES = new Set(['content-type', 'accept']);
const ACCEPTABILITY: AcceptabilityPolicy = { role: 'uas', allowedMethods: KNOWN_METHODS };

/** What the TU needs beside the shared context. */
export interface TransactionUserParts {
  readonly digest: DigestAuthenticator;
  readonly optionsRate: OptionsRateTracker;
  /** Our Via sent-by values (`host:port`, lower case): one below the top Via means the request looped. */
  readonly ownSentBys: () => ReadonlySet<string>;
  /** Hands REFERs to the transfer handler and inbound 2xx retransmissions to inbound calls. */
  readonly onLeg: (leg: CallLeg) => void;
  readonly strayResponse: (response: SipResponse) => boolean;
  /** True while the emulator stops: new requests get 503. */
  readonly stopping: () => boolean;
}

export class EmulatorTransactionUser implements TransactionUser {
  readonly #ctx: EmulatorContext;
  readonly #parts: TransactionUserParts;

  constructor(ctx: EmulatorContext, parts: TransactionUserParts) {
    this.#ctx = ctx;
    this.#parts = parts;
  }

  onRequest(transaction: ServerTransaction, context: ReceivedMessageContext): void {
    const request = transaction.request;
    try {
      const rejection = checkBasics(request);
      if (rejection !== undefined) {
        transaction.respond(createRejectionResponse(request, rejection, { toTag: generateTag() }));
        return;
      }
      if (request.to?.tag !== undefined) {
        this.#inDialog(transaction, request, context);
        return;
      }
      if (this.#parts.stopping()) {
        transaction.respond(this.#plain(request, 503, { reasonPhrase: 'Service Unavailable' }));
        return;
      }
      this.#outOfDialog(transaction, request, context);
    } catch (error) {
      // A bug must cost this request a 500, never the process (and is reported, for the user to see).
      this.#ctx.events.emit('error', errorEvent(this.#ctx.clock, 'internal', error));
      if (transaction.finalStatus === undefined && !transaction.isTerminated) {
        transaction.respond(this.#plain(request, 500, { reasonPhrase: 'Server Internal Error' }));
      }
    }
  }

  onAck(ack: SipRequest): void {
    try {
      this.#ctx.registry.dialogOfRequest(ack)?.onAck(ack);
    } catch (error) {
      this.#ctx.events.emit('error', errorEvent(this.#ctx.clock, 'internal', error));
    }
  }

  onCancel(invite: InviteServerTransaction): void {
    const call = this.#ctx.registry.inviteCall(invite);
    if (call) {
      call.onCancel();
      return;
    }
    if (invite.finalStatus === undefined && !invite.isTerminated) {
      invite.respond(this.#plain(invite.request, 487, { toTag: generateTag() }));
    }
  }

  onStrayResponse(response: SipResponse): void {
    if (this.#parts.strayResponse(response)) return;
    this.#ctx.registry.dialogOfResponse(response)?.onStrayResponse(response);
  }

  // ── In dialog ─────────────────────────────────────────────────────────────────────────────────────────────

  #inDialog(transaction: ServerTransaction, request: SipRequest, context: ReceivedMessageContext): void {
    const owner = this.#ctx.registry.dialogOfRequest(request);
    if (owner) {
      owner.onRequest(transaction, context);
      return;
    }
    // RFC 3261 §12.2.2: a request for a dialog we do not have. One that just ended (a BYE crossing ours) and the
    // methods that are no call at all get a plain 481; the rest go through the policy (481 + 4360 and a CDR).
    const method = request.method;
    if (this.#ctx.registry.recentlyEnded(request) || method === 'INVITE' || method === 'OPTIONS') {
      transaction.respond(this.#plain(request, 481));
      return;
    }
    this.#outOfDialog(transaction, request, context);
  }

  // ── New requests ──────────────────────────────────────────────────────────────────────────────────────────

  #outOfDialog(transaction: ServerTransaction, request: SipRequest, context: ReceivedMessageContext): void {
    const ctx = this.#ctx;
    const uri = request.requestUri;
    const sourceIp = context.remote.address;
    const uriHost = uri.kind === 'sip' ? uri.host : '';
    const trunkHost = requestTrunkHost(uriHost, sourceIp, context.transport, ctx.account, ctx.view);
    const trunk = ctx.view.trunkForHost?.(trunkHost.host);
    let blocked = this.#parts.optionsRate.isBlocked(sourceIp);
    if (request.method === 'OPTIONS' && !blocked) {
      const assessment = this.#parts.optionsRate.ping(
        context.remote,
        trunkHost.host,
        trunk?.trunk_id ?? null,
      );
      blocked = assessment.level === 'blocked';
    }
    const digest =
      request.method === 'INVITE'
        ? this.#parts.digest.authenticate(request, trunk, trunk ? ctx.view.trunkDomainOf(trunk) : '')
        : { auth: { state: 'none' as const }, stale: false };
    const attempt = callAttemptOf({
      request,
      context,
      trunkHost: trunkHost.host,
      auth: digest.auth,
      loopDetected: this.#looped(request),
      ...(digest.malformed !== undefined ? { malformed: digest.malformed } : {}),
    });
    const decision = evaluate(
      attempt,
      ctx.account,
      {
        ...ctx.admission.countersFor(trunk?.trunk_id),
        creditBalanceUsd: ctx.creditBalanceUsd(),
        sourceBlocked: blocked,
      },
      ctx.settings,
    );
    this.#emitDecision(request, context, decision, trunkHost.mappedFromIp);

    switch (decision.kind) {
      case 'answer':
        transaction.respond(
          this.#plain(request, 200, { headers: decision.headers.map((h) => [h.name, h.value] as const) }),
        );
        return;
      case 'drop':
        // No answer at all (§20: a blocked source's OPTIONS and INVITEs, an ACK for nothing): forget the
        // transaction, so that not even a 100 Trying goes out; a retransmission is dropped again.
        transaction.terminate();
        return;
      case 'challenge':
        transaction.respond(
          this.#plain(request, decision.status, {
            reasonPhrase: decision.reasonPhrase,
            headers: this.#parts.digest.challengeHeaders(decision, digest.stale),
          }),
        );
        return;
      case 'reject':
        this.#reject(transaction, request, context, decision, trunk, trunkHost.host);
        return;
      case 'allow':
      case 'queue': {
        if (request.method !== 'INVITE') {
          transaction.respond(this.#plain(request, 500, { reasonPhrase: 'Server Internal Error' }));
          return;
        }
        const leg = this.#legFor(request, context, trunk, trunkHost.host, attempt.fromUser, attempt.paiUser);
        this.#parts.onLeg(leg);
        const call = new OutboundCall({
          ctx,
          leg,
          transaction: transaction as InviteServerTransaction,
          request,
          context,
          attempt,
        });
        call.begin(decision);
      }
    }
  }

  /**
   * A refusal: its response, and a CDR when the decision carries a hangup cause (§13, §14.6) or refuses an INVITE.
   * A refused INVITE is a call attempt the user will look for in the call log even when §13 names no code for its
   * refusal (420 for `Require: 100rel`, §3): its CDR carries the SIP status and 4000 `bad_request`.
   */
  #reject(
    transaction: ServerTransaction,
    request: SipRequest,
    context: ReceivedMessageContext,
    decision: RejectDecision,
    trunk: Trunk | undefined,
    trunkHost: string,
  ): void {
    transaction.respond(
      this.#plain(request, decision.status, {
        reasonPhrase: decision.reasonPhrase,
        toTag: generateTag(),
        headers: decision.headers.map((h) => [h.name, h.value] as const),
      }),
    );
    if (decision.cause === undefined && request.method !== 'INVITE') return;
    let from: string | null = null;
    let pai: string | null = null;
    try {
      from = userOf(request.from?.uri);
      pai = userOf(request.address('p-asserted-identity')?.uri);
    } catch {
      // A damaged header is the reason for some refusals; the CDR then shows the request as it could be read.
    }
    const leg = this.#legFor(request, context, trunk, trunkHost, from, pai);
    leg.end(decision.cause ?? causeOf(4000), {
      decidedBy: decision,
      finalResponse: { status: decision.status, reasonPhrase: decision.reasonPhrase },
    });
  }

  /** The leg a new request's CDR and call are made of. */
  #legFor(
    request: SipRequest,
    context: ReceivedMessageContext,
    trunk: Trunk | undefined,
    trunkHost: string,
    fromUser: string | null,
    paiUser: string | null,
  ): CallLeg {
    const callerId =
      (this.#ctx.settings.callerIdSource === 'pai-then-from' ? paiUser : null) ?? fromUser ?? 'anonymous';
    return new CallLeg({
      ctx: this.#ctx,
      direction: 'outbound',
      callId: request.callId ?? '',
      from: stripParams(callerId) || 'anonymous',
      to: stripParams(userOf(request.requestUri) ?? '') || 'unknown',
      trunk,
      requestHost: trunkHost || 'unknown',
      transport: context.transport,
      peer: { address: context.remote.address, port: context.remote.port },
      ...(context.connectionId !== undefined ? { connectionId: context.connectionId } : {}),
    });
  }

  #emitDecision(
    request: SipRequest,
    context: ReceivedMessageContext,
    decision: PolicyDecision,
    mappedFromIp: string | undefined,
  ): void {
    // Events are built only for someone listening (the app, the harness; the CLI logs only CDRs and errors).
    if (this.#ctx.events.listenerCount('policyDecision') === 0) return;
    const event = policyDecisionEvent(
      this.#ctx.clock,
      {
        callId: request.callId ?? null,
        method: request.method,
        transport: context.transport,
        source: { address: context.remote.address, port: context.remote.port },
      },
      decision,
    );
    this.#ctx.events.emit(
      'policyDecision',
      mappedFromIp === undefined
        ? event
        : {
            ...event,
            explanation:
              `${event.explanation ?? ''} The Request-URI named ${mappedFromIp}, read as the trunk whose IP ACL ` +
              'holds the source (docs/adr/0082).',
          },
    );
  }

  /** RFC 3261 §16.3 item 4 (loop detection), simplified: one of our own Vias below the sender's. */
  #looped(request: SipRequest): boolean {
    const own = this.#parts.ownSentBys();
    try {
      return request.vias.slice(1).some((via) => own.has(`${via.host.toLowerCase()}:${via.port ?? 5060}`));
    } catch (error) {
      this.#ctx.events.emit(
        'error',
        errorEvent(this.#ctx.clock, 'bad-input', new Error(describeError(error))),
      );
      return false;
    }
  }

  #plain(
    request: SipRequest,
    status: number,
    init: { reasonPhrase?: string; toTag?: string; headers?: HeaderList } = {},
  ): SipResponse {
    return createResponse(request, status, {
      ...(init.reasonPhrase !== undefined ? { reasonPhrase: init.reasonPhrase } : {}),
      toTag: init.toTag ?? generateTag(),
      headers: [USER_AGENT, ...(init.headers ?? [])],
    });
  }
}

function checkBasics(request: SipRequest): SipRejection | undefined {
  const withBody = request.method === 'INVITE' || request.method === 'UPDATE';
  for (const rule of ACCEPTABILITY_RULES) {
    if (!BASIC_RULES.has(rule.id) && !(withBody && BODY_RULES.has(rule.id))) continue;
    const rejection = rule.check({ request, policy: ACCEPTABILITY, methods: KNOWN_METHODS });
    if (rejection !== undefined) return rejection;
  }
  return undefined;
}

/** `+14155550111;npdi` → `+14155550111` (RFC 4694 user parameters are not part of the number). */
function stripParams(user: string): string {
  const semicolon = user.indexOf(';');
  return semicolon < 0 ? user : user.slice(0, semicolon);
}
