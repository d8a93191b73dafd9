// A stand-in for a Zentrunk trunk built from the stack's public API and DigestServer: it answers OPTIONS (or
// stays silent for the first ones), challenges INVITEs with 407 on a credential trunk, refuses wrong
// credentials with 403 + 4180, and after authentication refuses the call the way Zentrunk's later rules do
// (404 Prefix Not Supported + 4100 by default) or rings until CANCELled. It records when each new OPTIONS
// transaction arrived (on its clock) and what happened to each INVITE.

import { DigestSecret, DigestServer, digestVerificationAction } from '../../src/sip/auth/index.js';
import { createResponse, generateTag, type SipRequest } from '../../src/sip/message/index.js';
import { SipStack, type TransactionUser } from '../../src/sip/stack/index.js';
import type { InviteServerTransaction, ServerTransaction } from '../../src/sip/transaction/index.js';
import type { ListenerInfo, ListenOptions } from '../../src/sip/transport/index.js';
import type { Clock } from '../../src/common/clock.js';

export interface FakeTrunkOptions {
  readonly clock?: Clock;
  /** `digest`: a credential trunk (407); `acl`: lets the source in; `acl-reject`: source not in the ACL (403). */
  readonly auth: 'digest' | 'acl' | 'acl-reject';
  readonly username?: string;
  readonly password?: string;
  readonly realm?: string;
  readonly algorithms?: ReadonlyArray<'MD5' | 'SHA-256'>;
  /** What an authenticated INVITE gets: a final response, or `ring` (180, then wait for CANCEL). */
  readonly afterAuth?:
    { readonly status: number; readonly reason?: string; readonly hangupCode?: number } | 'ring';
  /** OPTIONS answer (default 200) and its Allow header. */
  readonly optionsStatus?: number;
  readonly allow?: string;
  /** Ignore this many OPTIONS transactions before answering (retransmissions included in none). */
  readonly silentOptions?: number;
  /** Challenge every INVITE, with or without valid credentials (a trunk that never accepts them). */
  readonly alwaysChallenge?: boolean;
}

export class FakeTrunk implements TransactionUser {
  readonly stack: SipStack;
  readonly listeners: ListenerInfo[] = [];
  /** Clock times (ms) at which each new OPTIONS transaction arrived. */
  readonly optionsArrivals: number[] = [];
  readonly invites: Array<{ credentials: boolean; status: number }> = [];
  cancels = 0;
  byes = 0;
  acks = 0;
  readonly #options: FakeTrunkOptions;
  readonly #digest: DigestServer;
  readonly #clock: Clock;

  private constructor(options: FakeTrunkOptions, stack: SipStack) {
    this.#options = options;
    this.stack = stack;
    this.#clock = stack.clock;
    this.#digest = new DigestServer({ clock: stack.clock, algorithms: [...(options.algorithms ?? ['MD5'])] });
  }

  static async start(listen: ListenOptions, options: FakeTrunkOptions): Promise<FakeTrunk> {
    const stack = new SipStack({ ...(options.clock ? { clock: options.clock } : {}) });
    const trunk = new FakeTrunk(options, stack);
    stack.setTransactionUser(trunk);
    trunk.listeners.push(await stack.listen(listen));
    return trunk;
  }

  get port(): number {
    return this.listeners[0].local.port;
  }

  onRequest(transaction: ServerTransaction): void {
    const request = transaction.request;
    if (request.method === 'OPTIONS') {
      this.optionsArrivals.push(this.#clock.now());
      if (this.optionsArrivals.length <= (this.#options.silentOptions ?? 0)) return;
      const status = this.#options.optionsStatus ?? 200;
      transaction.respond(
        createResponse(request, status, {
          toTag: generateTag(),
          headers: [
            ['Allow', this.#options.allow ?? 'INVITE, ACK, CANCEL, BYE, OPTIONS, REFER, UPDATE'],
            ['User-Agent', 'Zentrunk'],
          ],
        }),
      );
      return;
    }
    if (request.method === 'INVITE') {
      this.#onInvite(transaction as InviteServerTransaction, request);
      return;
    }
    if (request.method === 'BYE') this.byes++;
    transaction.respond(
      createResponse(request, request.method === 'BYE' ? 200 : 405, { toTag: generateTag() }),
    );
  }

  onAck(): void {
    this.acks++;
  }

  onCancel(invite: InviteServerTransaction): void {
    this.cancels++;
    invite.respond(createResponse(invite.request, 487, { toTag: generateTag() }));
  }

  close(): Promise<void> {
    return this.stack.close();
  }

  #onInvite(transaction: InviteServerTransaction, request: SipRequest): void {
    const credentials = request.headers.getAll('Proxy-Authorization');
    const reply = (
      status: number,
      reason?: string,
      hangupCode?: number,
      headers: Array<[string, string]> = [],
    ) => {
      this.invites.push({ credentials: credentials.length > 0, status });
      const codeHeaders: Array<[string, string]> =
        hangupCode === undefined ? [] : [['X-ZT-Hangup-Code', String(hangupCode)]];
      const listener = this.listeners[0];
      if (status >= 200 && status < 300) {
        codeHeaders.push([
          'Contact',
          `<sip:trunk@127.0.0.1:${listener.local.port};transport=${listener.transport}>`,
        ]);
      }
      transaction.respond(
        createResponse(request, status, {
          toTag: generateTag(),
          ...(reason !== undefined ? { reasonPhrase: reason } : {}),
          headers: [...headers, ...codeHeaders],
        }),
      );
    };
    const options = this.#options;
    if (options.auth === 'acl-reject') return reply(403, 'Forbidden', 4180);
    if (options.auth === 'digest') {
      const realm = options.realm ?? 'trunk.zt.trunkline.test';
      const verification = this.#digest.verify({
        realm,
        credentials,
        request: { method: 'INVITE', uri: request.requestUri.toString() },
        lookup: (username) =>
          username === (options.username ?? 'pbx')
            ? DigestSecret.fromPassword(options.password ?? 'secret')
            : undefined,
      });
      const action = digestVerificationAction(verification);
      if (action === 'challenge' || action === 'challenge-stale' || options.alwaysChallenge) {
        const challenges = this.#digest.createChallenges({ realm, stale: action === 'challenge-stale' });
        return reply(
          407,
          undefined,
          undefined,
          challenges.map((c): [string, string] => ['Proxy-Authenticate', c]),
        );
      }
      if (action !== 'accept') return reply(403, 'Forbidden', 4180);
    }
    const after = options.afterAuth ?? { status: 404, reason: 'Prefix Not Supported', hangupCode: 4100 };
    if (after === 'ring') {
      this.invites.push({ credentials: credentials.length > 0, status: 180 });
      transaction.respond(createResponse(request, 180, { toTag: generateTag() }));
      return;
    }
    reply(after.status, after.reason, after.hangupCode);
  }
}
