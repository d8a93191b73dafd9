// The softphone's front door: one trunk profile, one sip.js UserAgent on our SIP stack, calls in and out.
//
//   SoftphoneUserAgent ─┬─ SipStack (sip/)            sockets, transactions, received/rport, TLS trust
//                       ├─ SipStackBridge              sip.js messages ⇄ our transactions; inbound source check
//                       ├─ sip.js UserAgent            dialogs, sessions, REFER, digest retries (patched, ADR 0090)
//                       │    └─ per call: MediaSessionDescriptionHandler ─ MediaSession (media/)
//                       ├─ DigestClient (sip/auth)     MD5 and SHA-256, the password as a DigestSecret
//                       └─ OptionsRateGuard            every OPTIONS, never more than one per 15 s
//
// It never registers (Zentrunk's softphone rule, BEHAVIOUR.md §11).

import { readFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  Inviter,
  SIPExtension,
  UserAgent,
  type Invitation,
  type LogLevel,
  type Referral,
} from 'sip.js/lib/api/index.js';
import { URI } from 'sip.js/lib/grammar/index.js';
import { systemClock, type Clock } from '../common/clock.js';
import type { Disposable } from '../common/disposable.js';
import { describeError } from '../common/errors.js';
import { TypedEmitter } from '../common/typed-emitter.js';
import { SdpNegotiator } from '../media/offer-answer/index.js';
import { RtpPortAllocator, type MediaSessionOptions } from '../media/session/index.js';
import { predictOutbound, toE164, type Prediction } from '../policy/index.js';
import { DigestClient, DigestSecret } from '../sip/auth/index.js';
import { SipStack, defaultPortFor } from '../sip/stack/index.js';
import type { SipTrace } from '../sip/trace/index.js';
import type { ListenerInfo, SipDestination } from '../sip/transport/index.js';
import { Call, type CallAudioOptions, type CallContext } from './call.js';
import { createChallengeAuthenticator } from './digest-authenticator.js';
import { InboundSourceGuard } from './inbound-source-guard.js';
import { MediaSessionDescriptionHandler } from './media-session-description-handler.js';
import { OptionsKeepAlive, type OptionsStatus } from './options-keep-alive.js';
import { OptionsRateGuard } from './options-rate-guard.js';
import { createSelfSignedIdentity } from './self-signed-identity.js';
import { isLocalResponse, SipStackBridge, type InboundRejection } from './sip-stack-bridge.js';
import { SipJsStackTransport } from './sipjs-stack-transport.js';
import {
  formatHostPort,
  loadTrunkProfile,
  type TrunkProfile,
  type TrunkProfileInput,
} from './trunk-profile.js';
import { UaError } from './ua-error.js';

export interface SoftphoneOptions {
  readonly clock?: Clock;
  /** Media session options for every call (stats interval, inactivity timeout, impairment…). */
  readonly media?: Partial<Omit<MediaSessionOptions, 'clock' | 'transport' | 'portLease' | 'localRtp'>>;
  /** T1/T2/T4 of our transaction layer (defaults 500 ms, 4 s, 5 s). */
  readonly timers?: { readonly t1Ms?: number; readonly t2Ms?: number; readonly t4Ms?: number };
  /** How long a transferor leg waits for the trunk's BYE after NOTIFY 200 (default 5 s). */
  readonly transferByeTimeoutMs?: number;
  /** What the User-Agent header says (default Trunkline). */
  readonly userAgentName?: string;
  /** The lowest sip.js log level passed to 'log' listeners (default warn). */
  readonly logLevel?: LogLevel;
  /**
   * Receives the TLS key lines (NSS key log format) of every signalling connection from the very start — also the
   * one an OPTIONS keep-alive opens inside `start()`, before an `on('tlsKeyLog')` listener could exist. Secrets.
   */
  readonly tlsKeyLog?: (line: Buffer) => void;
}

export interface CallOptions extends CallAudioOptions {
  /** The caller ID (From user) for this call; default the profile's first caller ID. */
  readonly callerId?: string;
  /** Extra header lines for the INVITE (`Name: value`). */
  readonly extraHeaders?: readonly string[];
}

/** A log line from sip.js or this layer; never contains a password (sip.js never sees one). */
export interface UaLogEntry {
  readonly level: LogLevel;
  readonly category: string;
  readonly message: string;
}

export interface SoftphoneEvents {
  /** A call was created: outbound, inbound, or one we place because the far end transferred us. */
  call: (call: Call) => void;
  /** An inbound call rings: `accept()` or `decline()` it (with no listener it is declined with 480). */
  incoming: (call: Call) => void;
  /** The answer to an OPTIONS ping: reachability and round-trip time. */
  options: (status: OptionsStatus) => void;
  /** A request from outside the allowed networks was answered 403 (toll-fraud protection). */
  'inbound-rejected': (rejection: InboundRejection) => void;
  warning: (warning: { readonly message: string }) => void;
  log: (entry: UaLogEntry) => void;
  /**
   * One line of TLS key material (NSS key log format) from the signalling transport, so that diagnostics can
   * write an SSLKEYLOGFILE next to a capture. Key logging starts with the first listener. These lines are secrets:
   * they never go to `log` or `warning`, and nothing in this layer prints them.
   */
  tlsKeyLog: (line: Buffer) => void;
}

const DEFAULT_TRANSFER_BYE_TIMEOUT_MS = 5_000;
const LOG_RANK: Readonly<Record<LogLevel, number>> = { debug: 0, log: 1, warn: 2, error: 3 };
/** How long `stop()` waits for calls to hang up before closing the sockets anyway. */
const STOP_GRACE_MS = 2_000;
/**
 * How long `stop()` waits for its last requests (a BYE, a CANCEL) to be answered before closing the sockets. Over
 * UDP a lost BYE is re-sent after 0.5, 1.5, 3.5 and 7.5 s (Timer E from T1): 8 s lets five copies go, where 2 s let
 * three, and a trunk that never got the BYE bills the call until its RTP timeout. At 10 % loss each way that left
 * about one call in a thousand up on the trunk (0.1³), one 50-call run in twenty of the loss suite; now 0.1⁵. A
 * trunk that answers costs nothing more: `stop()` returns with the 200.
 */
const STOP_SETTLE_GRACE_MS = 8_000;

export class SoftphoneUserAgent {
  readonly profile: TrunkProfile;
  readonly #clock: Clock;
  readonly #stack: SipStack;
  readonly #bridge: SipStackBridge;
  readonly #ua: UserAgent;
  readonly #events = new TypedEmitter<SoftphoneEvents>();
  readonly #calls = new Set<Call>();
  readonly #guard: OptionsRateGuard;
  readonly #listener: ListenerInfo;
  readonly #context: CallContext;
  readonly #subscriptions: Disposable[] = [];
  #keepAlive: OptionsKeepAlive | undefined;
  #running = true;

  private constructor(init: {
    profile: TrunkProfile;
    clock: Clock;
    stack: SipStack;
    bridge: SipStackBridge;
    listener: ListenerInfo;
    contactAddress: string;
    digest: DigestClient | undefined;
    options: SoftphoneOptions;
  }) {
    const { profile, clock, stack, bridge, listener, options } = init;
    this.profile = profile;
    this.#clock = clock;
    this.#stack = stack;
    this.#bridge = bridge;
    this.#listener = listener;
    this.#guard = new OptionsRateGuard();
    this.#context = {
      clock,
      terminationDomain: profile.terminationDomain,
      transferByeTimeoutMs: options.transferByeTimeoutMs ?? DEFAULT_TRANSFER_BYE_TIMEOUT_MS,
      followReferral: (call, referral) => this.#followReferral(call, referral),
      release: (call) => this.#calls.delete(call),
    };
    const portAllocator = new RtpPortAllocator(profile.rtpPortRange);
    const dids = new Set(profile.dids.map(normaliseNumber));
    const digest = init.digest;
    const logLevel = options.logLevel ?? 'warn';
    this.#ua = new UserAgent({
      uri: new URI('sip', profile.callerIds[0], profile.terminationDomain.host),
      ...(profile.displayName !== undefined ? { displayName: profile.displayName } : {}),
      viaHost: init.contactAddress,
      contactName: `tl-${randomBytes(4).toString('hex')}`,
      contactParams: { transport: profile.transport },
      transportConstructor: SipJsStackTransport,
      transportOptions: { bridge },
      sessionDescriptionHandlerFactory: () =>
        new MediaSessionDescriptionHandler({
          clock,
          srtpPolicy: profile.srtp,
          bindAddress: profile.listen.address,
          sdpAddress: init.contactAddress,
          portAllocator,
          ...(options.media !== undefined ? { session: options.media } : {}),
        }),
      authenticationFactory: () =>
        digest === undefined
          ? undefined
          : createChallengeAuthenticator(digest, (detail) => this.#warn(`authentication: ${detail}`)),
      acceptRequestUri: (uri) => uri.user !== undefined && dids.has(normaliseNumber(uri.user)),
      sipExtensionReplaces: SIPExtension.Supported,
      // We ring (180) ourselves once the offer is known to be answerable; our INVITE server transaction sends
      // 100 Trying if that takes more than 200 ms (RFC 3261 §17.2.1).
      sendInitialProvisionalResponse: false,
      userAgentString: options.userAgentName ?? 'Trunkline',
      logBuiltinEnabled: false,
      logConfiguration: false,
      logLevel: 'warn',
      logConnector: (level, category, _label, content) => {
        if (LOG_RANK[level] < LOG_RANK[logLevel] || this.#events.listenerCount('log') === 0) return;
        this.#events.emit('log', { level, category, message: content });
      },
      delegate: { onInvite: (invitation) => this.#onInvite(invitation) },
    });
    // Contact must carry the port we listen on (sip.js writes none): in-dialog requests come back to it.
    this.#ua.contact.uri.port = listener.local.port;
    this.#subscriptions.push(
      bridge.on('inbound-rejected', (rejection) => this.#events.emit('inbound-rejected', rejection)),
      bridge.on('bridge-error', (detail) => this.#warn(detail)),
    );
  }

  /**
   * Validates the profile, opens the signalling listener, and starts the user agent (no REGISTER: Zentrunk
   * trunks are non-registering). Throws `TrunkProfileError` for a bad profile, `UaError` for unreadable files.
   */
  static async start(
    input: TrunkProfile | TrunkProfileInput,
    options: SoftphoneOptions = {},
  ): Promise<SoftphoneUserAgent> {
    const profile = isResolvedProfile(input) ? input : loadTrunkProfile(input);
    const clock = options.clock ?? systemClock;
    const ca = [
      ...profile.tls.caPem,
      ...(await Promise.all(profile.tls.caFiles.map((file) => readPem(file, 'CA')))),
    ];
    const stack = new SipStack({
      clock,
      ...(options.timers !== undefined ? { timers: options.timers } : {}),
      transport: {
        tls: {
          ...(ca.length > 0 ? { ca } : {}),
          replaceDefaultCa: !profile.tls.useSystemCas,
          rejectUnauthorized: profile.tls.verifyServer,
        },
      },
      acceptability: {
        role: 'uas',
        allowedMethods: ['INVITE', 'ACK', 'CANCEL', 'BYE', 'OPTIONS', 'REFER', 'NOTIFY', 'UPDATE'],
        supportedOptionTags: ['replaces'],
        // NOTIFYs of a REFER carry message/sipfrag (RFC 3515 §2.4.5).
        acceptedContentTypes: ['application/sdp', 'message/sipfrag'],
      },
      warnAgent: 'trunkline',
    });
    if (options.tlsKeyLog !== undefined) stack.transport.on('tlsKeyLog', options.tlsKeyLog);
    try {
      const listener = await stack.listen({
        transport: profile.transport,
        host: profile.listen.address,
        port: profile.listen.port,
        ...(profile.transport === 'tls' ? { tls: await listenerIdentity(profile, clock) } : {}),
      });
      const contactAddress = profile.advertisedAddress ?? contactAddressFor(listener.local.address);
      const guard = new InboundSourceGuard(profile.allowedInboundSources);
      // The trunk we call through may always reach us: the emulator on loopback, or a lab proxy (BEHAVIOUR.md §2.2
      // lists Zentrunk's own networks, which are the default already).
      for (const address of await trunkAddresses(profile)) guard.allow(address);
      const outboundProxy: SipDestination | undefined =
        profile.outboundProxy === undefined
          ? undefined
          : {
              transport: profile.transport,
              host: profile.outboundProxy.host,
              port: profile.outboundProxy.port ?? defaultPortFor(profile.transport),
              // Over TLS the proxy must prove it is the trunk domain, as Zentrunk's edge does.
              ...(profile.transport === 'tls' && isIP(profile.terminationDomain.host) === 0
                ? { serverName: profile.terminationDomain.host }
                : {}),
            };
      const bridge = new SipStackBridge({
        stack,
        transport: profile.transport,
        outboundProxy,
        sourceGuard: guard,
      });
      const digest =
        profile.credentials === undefined
          ? undefined
          : new DigestClient({
              username: profile.credentials.username,
              secret: DigestSecret.fromPassword(profile.credentials.password.reveal()),
            });
      const phone = new SoftphoneUserAgent({
        profile,
        clock,
        stack,
        bridge,
        listener,
        contactAddress,
        digest,
        options,
      });
      await phone.#ua.start();
      if (profile.optionsKeepAliveIntervalS > 0) phone.startKeepAlive();
      return phone;
    } catch (error) {
      await stack.close();
      throw error;
    }
  }

  on<K extends keyof SoftphoneEvents>(event: K, listener: SoftphoneEvents[K]): Disposable {
    // Key lines come from the transport layer, which only turns key logging on when someone listens there.
    if (event === 'tlsKeyLog') {
      return this.#stack.transport.on('tlsKeyLog', listener as SoftphoneEvents['tlsKeyLog']);
    }
    return this.#events.on(event, listener);
  }

  /** Every message, drop and connection on the wire (for the SIP ladder, PCAPs and logs). */
  get trace(): SipTrace {
    return this.#stack.trace;
  }

  /** Where we listen for signalling (the actual port when the profile said 0). */
  get listener(): ListenerInfo {
    return this.#listener;
  }

  /** Calls not yet ended. */
  get calls(): readonly Call[] {
    return [...this.#calls];
  }

  /** @internal For tests: the bridge's bookkeeping. */
  get bridge(): SipStackBridge {
    return this.#bridge;
  }

  /**
   * What Zentrunk's rules predict for a call to `number` with what the profile knows (owned numbers, geo
   * permissions): warnings, never a refusal (the policy engine's `predictOutbound`).
   */
  preDialCheck(number: string, callerId: string = this.profile.callerIds[0]): Prediction {
    return predictOutbound(
      { destination: number, callerId, trunkDomain: this.profile.terminationDomain.host },
      {
        ownedNumbers: this.profile.callerIds,
        ...(this.profile.enabledCountries !== undefined
          ? { enabledCountries: this.profile.enabledCountries }
          : {}),
        ...(this.profile.barredCountries !== undefined
          ? { barredCountries: this.profile.barredCountries }
          : {}),
      },
    );
  }

  /** Places a call to `number` through the trunk: `sip:<number>@<termination domain>`, From our caller ID. */
  call(number: string, options: CallOptions = {}): Call {
    this.#assertRunning();
    const dialled = number.trim();
    if (!/^\+?[0-9*#]{1,32}$/.test(dialled)) {
      throw new UaError(
        'UA_NUMBER_INVALID',
        `"${number}" is not a number to dial: use digits, optionally after +.`,
      );
    }
    const callerId = options.callerId ?? this.profile.callerIds[0];
    const prediction = this.preDialCheck(dialled, callerId);
    const domain = this.profile.terminationDomain;
    const inviter = new Inviter(this.#ua, new URI('sip', dialled, domain.host, domain.port), {
      earlyMedia: true,
      params: {
        fromUri: new URI('sip', callerId, domain.host),
        ...(this.profile.displayName !== undefined ? { fromDisplayName: this.profile.displayName } : {}),
      },
      ...(options.extraHeaders !== undefined ? { extraHeaders: [...options.extraHeaders] } : {}),
      sessionDescriptionHandlerOptions: {},
    });
    const call = new Call({
      context: this.#context,
      session: inviter,
      direction: 'outbound',
      number: dialled,
      peerOrCallerId: callerId,
      audio: options,
      preDialWarnings: prediction.warnings,
    });
    this.#adopt(call);
    call.start();
    return call;
  }

  /** One OPTIONS to the termination URI now, through the rate guard (refused inside 15 s of the last one). */
  pingTrunk(): Promise<OptionsStatus> {
    this.#assertRunning();
    const permit = this.#guard.tryAcquire(this.#clock.now());
    if (!permit.allowed) {
      return Promise.reject(
        new UaError(
          'UA_OPTIONS_RATE_LIMITED',
          `An OPTIONS ping went out less than 15 s ago; Zentrunk may block faster pings. Try again in ${Math.ceil(permit.retryInMs / 1000)} s.`,
        ),
      );
    }
    return this.#sendOptions().then((status) => {
      this.#events.emit('options', status);
      return status;
    });
  }

  /** Starts the OPTIONS keep-alive (the profile's interval, never below 15 s). */
  startKeepAlive(): void {
    this.#keepAlive?.stop();
    this.#keepAlive = new OptionsKeepAlive({
      clock: this.#clock,
      guard: this.#guard,
      intervalMs: Math.max(this.profile.optionsKeepAliveIntervalS * 1000, this.#guard.minIntervalMs),
      ping: () => this.#sendOptions(),
      onStatus: (status) => this.#events.emit('options', status),
    });
    this.#keepAlive.start();
  }

  /** Hangs up every call, stops sip.js and closes every socket. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#keepAlive?.stop();
    const calls = [...this.#calls];
    await Promise.all(calls.map((call) => call.hangup().catch(() => undefined)));
    await this.#withGrace(Promise.all(calls.map((call) => call.ended)));
    // A call ends in sip.js's eyes as soon as its BYE is sent: let that BYE (and any CANCEL) reach the trunk and be
    // answered before the sockets close, or the far end keeps a call we think is over.
    await this.#withGrace(this.#bridge.whenSettled(), STOP_SETTLE_GRACE_MS);
    try {
      await this.#ua.stop();
    } catch (error) {
      this.#warn(`sip.js did not stop cleanly: ${describeError(error)}`);
    }
    for (const subscription of this.#subscriptions.splice(0)) subscription.dispose();
    await this.#stack.close();
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────────

  #adopt(call: Call): void {
    this.#calls.add(call);
    this.#events.emit('call', call);
  }

  #onInvite(invitation: Invitation): void {
    const offer = invitation.body;
    if (offer !== undefined && offer.length > 0) {
      // Refuse an offer we cannot answer before ringing, with 488 and the reason (RFC 3261 §13.3.1.1, §21.4.26):
      // sip.js would turn a failed answer into 480.
      try {
        new SdpNegotiator({
          local: { address: '127.0.0.1', rtpPort: 9 },
          srtpPolicy: this.profile.srtp,
        }).processOffer(offer);
      } catch (error) {
        const warning = describeError(error).replace(/"/g, "'");
        void invitation.reject({ statusCode: 488, extraHeaders: [`Warning: 399 trunkline "${warning}"`] });
        this.#warn(`refused an inbound call's SDP offer: ${warning}`);
        return;
      }
    }
    const request = invitation.request;
    const call = new Call({
      context: this.#context,
      session: invitation,
      direction: 'inbound',
      number: request.ruri?.user ?? '',
      peerOrCallerId: invitation.remoteIdentity.uri.user ?? '',
    });
    this.#adopt(call);
    if (this.#events.listenerCount('incoming') === 0) {
      void call.decline(480);
      return;
    }
    void invitation.progress().catch(() => undefined);
    this.#events.emit('incoming', call);
  }

  /** The far end transferred us (REFER, RFC 3515): accept, and call the target in a new call. */
  #followReferral(call: Call, referral: Referral): Call | undefined {
    if (!this.#running) {
      void referral.reject({ statusCode: 603 });
      return undefined;
    }
    const target = referral.referTo.uri;
    void referral.accept();
    const callerId = call.direction === 'outbound' ? call.peerOrCallerId : this.profile.callerIds[0];
    const inviter = referral.makeInviter({
      earlyMedia: true,
      params: { fromUri: new URI('sip', callerId, this.profile.terminationDomain.host) },
      sessionDescriptionHandlerOptions: {},
    });
    const referred = new Call({
      context: this.#context,
      session: inviter,
      direction: 'outbound',
      number: target.user ?? formatHostPort({ host: target.host, port: target.port }),
      peerOrCallerId: callerId,
    });
    this.#adopt(referred);
    referred.start();
    return referred;
  }

  #sendOptions(): Promise<OptionsStatus> {
    const core = this.#ua.userAgentCore;
    const domain = this.profile.terminationDomain;
    const target = new URI('sip', undefined as unknown as string, domain.host, domain.port);
    const message = core.makeOutgoingRequestMessage(
      'OPTIONS',
      target,
      this.#ua.configuration.uri,
      target,
      {},
    );
    const sentMs = this.#clock.now();
    return new Promise((resolve) => {
      const settle = (statusCode: number | undefined, reasonPhrase: string | undefined, local: boolean) =>
        resolve({
          reachable: !local && statusCode !== undefined,
          statusCode,
          reasonPhrase,
          rttMs: local ? undefined : this.#clock.now() - sentMs,
          atMs: this.#clock.wallNow(),
        });
      core.request(message, {
        onAccept: (response) => settle(response.message.statusCode, response.message.reasonPhrase, false),
        onReject: (response) =>
          settle(
            response.message.statusCode,
            response.message.reasonPhrase,
            isLocalResponse(response.message),
          ),
        onRedirect: (response) => settle(response.message.statusCode, response.message.reasonPhrase, false),
      });
    });
  }

  #withGrace(promise: Promise<unknown>, graceMs = STOP_GRACE_MS): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.#clock.setTimeout(() => resolve(), graceMs, { unref: true });
      void promise.finally(() => {
        this.#clock.clearTimeout(timer);
        resolve();
      });
    });
  }

  #warn(message: string): void {
    this.#events.emit('warning', { message });
  }

  #assertRunning(): void {
    if (!this.#running) throw new UaError('UA_NOT_RUNNING', 'The phone is stopped; start a new one.');
  }
}

function isResolvedProfile(input: TrunkProfile | TrunkProfileInput): input is TrunkProfile {
  return typeof (input as TrunkProfile).terminationDomain === 'object';
}

/** Numbers compared as E.164 where they parse, else as written without spaces. */
function normaliseNumber(number: string): string {
  const compact = number.replace(/[\s-]/g, '');
  return toE164(compact) ?? compact;
}

function contactAddressFor(listenAddress: string): string {
  // A wildcard bind cannot go in Contact or SDP; the profile's advertisedAddress is the real answer.
  if (listenAddress === '0.0.0.0') return '127.0.0.1';
  if (listenAddress === '::') return '::1';
  return listenAddress;
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UaError('UA_PROFILE_FILE', `The ${what} file ${path} cannot be read (${reason}).`);
  }
}

async function listenerIdentity(profile: TrunkProfile, clock: Clock): Promise<{ cert: string; key: string }> {
  const { tlsCertificateFile, tlsKeyFile } = profile.listen;
  if (tlsCertificateFile !== undefined && tlsKeyFile !== undefined) {
    return {
      cert: await readPem(tlsCertificateFile, 'TLS certificate'),
      key: await readPem(tlsKeyFile, 'TLS key'),
    };
  }
  const identity = await createSelfSignedIdentity(contactAddressFor(profile.listen.address), clock.wallNow());
  return { cert: identity.certificatePem, key: identity.key.reveal() };
}

/** The addresses of the outbound proxy or the termination host, as the socket will see them. */
async function trunkAddresses(profile: TrunkProfile): Promise<string[]> {
  const host = (profile.outboundProxy ?? profile.terminationDomain).host;
  if (isIP(host) !== 0) return [host];
  try {
    return (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch {
    // Unresolvable now: calls will fail with a clear transport error; nothing to allow.
    return [];
  }
}
