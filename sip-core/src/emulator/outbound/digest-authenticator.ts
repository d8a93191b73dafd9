// Digest authentication of credential trunks (BEHAVIOUR.md §4.2 #5, §20): the first INVITE is challenged with
// 407 (or 401 by setting), realm = the trunk domain, qop=auth, MD5 (SHA-256 offered first when enabled); wrong
// credentials are refused with 403 + 4180 by the policy. This turns sip/auth's verification outcome into the
// policy's `AuthenticationState` and builds the challenge headers for a `challenge` decision.
//
// The digest-uri is checked with 'same-host' (sip/auth README): SIPp signs `sip:<remote_ip>:<port>` instead of the
// Request-URI unless told otherwise, and a PBX rehearsing against the emulator must work as it comes.

import type { Clock } from '../../common/clock.js';
import type {
  Account,
  AuthenticationState,
  ChallengeDecision,
  PolicySettings,
  Trunk,
} from '../../policy/index.js';
import { DigestSecret, DigestServer, digestVerificationAction } from '../../sip/auth/index.js';
import type { SipRequest } from '../../sip/message/index.js';
import type { HeaderList } from '../calls/zentrunk-headers.js';

export interface DigestOutcome {
  readonly auth: AuthenticationState;
  /** Re-challenge with `stale=true` (an expired or replayed nonce with a right digest). */
  readonly stale: boolean;
  /** Credentials that cannot be meant for this request (the attempt is then malformed: 400). */
  readonly malformed?: string;
}

export class DigestAuthenticator {
  readonly #server: DigestServer;
  readonly #account: Account;
  readonly #settings: PolicySettings;
  readonly #secrets = new WeakMap<object, DigestSecret>();

  constructor(clock: Clock, account: Account, settings: PolicySettings) {
    this.#account = account;
    this.#settings = settings;
    this.#server = new DigestServer({
      clock,
      algorithms: settings.digestSha256 ? ['SHA-256', 'MD5'] : ['MD5'],
      digestUriCheck: 'same-host',
    });
  }

  /** Checks the request's credentials for `trunk` (realm = `realm`, the trunk domain). */
  authenticate(request: SipRequest, trunk: Trunk | undefined, realm: string): DigestOutcome {
    if (trunk === undefined || trunk.credential_uuid === null)
      return { auth: { state: 'none' }, stale: false };
    const header = this.#settings.authChallenge === '407' ? 'proxy-authorization' : 'authorization';
    const credentials = request.headers.getAll(header);
    const result = this.#server.verify({
      realm,
      credentials,
      request: { method: request.method, uri: request.requestUriText, body: request.body },
      lookup: (username) => this.#secretOf(trunk, username),
    });
    switch (digestVerificationAction(result)) {
      case 'accept':
        return { auth: { state: 'valid', credential_uuid: trunk.credential_uuid }, stale: false };
      case 'challenge':
        return { auth: { state: 'none' }, stale: false };
      case 'challenge-stale':
        return { auth: { state: 'none' }, stale: true };
      case 'forbid':
        return { auth: { state: 'invalid' }, stale: false };
      case 'bad-request':
        return {
          auth: { state: 'none' },
          stale: false,
          malformed:
            result.kind === 'malformed'
              ? `unreadable credentials (${result.error.message})`
              : 'credentials signed for another request',
        };
    }
  }

  /** The WWW-/Proxy-Authenticate headers of a challenge decision, one per offered algorithm. */
  challengeHeaders(decision: ChallengeDecision, stale: boolean): HeaderList {
    return this.#server
      .createChallenges({ realm: decision.challenge.realm, stale })
      .map((value) => [decision.challenge.header, value] as const);
  }

  #secretOf(trunk: Trunk, username: string): DigestSecret | undefined {
    const credential = this.#account.credentials.find(
      (c) => c.credential_uuid === trunk.credential_uuid && c.username === username,
    );
    if (credential === undefined) return undefined;
    let secret = this.#secrets.get(credential);
    if (secret === undefined) {
      secret = DigestSecret.fromPassword(credential.password.reveal());
      this.#secrets.set(credential, secret);
    }
    return secret;
  }
}
