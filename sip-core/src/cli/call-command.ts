// `trunkline call <number>` and `trunkline call --listen`: the softphone headless, for a terminal or a CI job. One
// SoftphoneUserAgent per process (the OPTIONS guard and the inbound listener are per user agent, ADR 0092). The
// profile comes from `--profile FILE` (JSON, the trunk profile schema of ua/) with flags overriding its fields.
// The password is best given in the file or in TRUNKLINE_PASSWORD: a `--password` flag is visible in `ps`.
//
// Exit status: 0 when every call met `--expect` (default `answered`), 1 when one did not, 2 when the command
// could not run (bad profile, unreadable file, a socket that cannot be opened).

import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { CommandContext } from './explain-command.js';
import { systemClock, type Clock, type TimerHandle } from '../common/clock.js';
import { describeError } from '../common/errors.js';
import {
  ToneSource,
  WavRecorderSink,
  WavSource,
  type AudioSink,
  type AudioSource,
} from '../media/session/index.js';
import {
  parseTrunkProfile,
  SoftphoneUserAgent,
  type Call,
  type TransferOutcome,
  type TrunkProfile,
  type TrunkProfileInput,
} from '../ua/index.js';
import {
  CliUsageError,
  parseDurationMs,
  parseExpectation,
  parsePlaySpec,
  type Expectation,
} from './call-flags.js';
import { CallCaptureFiles } from './call-capture-files.js';
import { buildCallResult, formatCallResult, type CallResult } from './call-result.js';

/**
 * What `call` needs besides the common command context: the environment (TRUNKLINE_PASSWORD) and Ctrl-C.
 * Results go to `out` (stdout), progress to `err` (stderr).
 */
export interface CallCommandContext extends CommandContext {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Calls `handler` on Ctrl-C or SIGTERM until the returned function is called. */
  onInterrupt?(handler: () => void): () => void;
}

/** The exit status after Ctrl-C, as shells report a SIGINT (128 + 2). */
const INTERRUPTED_STATUS = 130;

interface CallFlags {
  profile?: string;
  domain?: string;
  proxy?: string;
  transport?: string;
  username?: string;
  password?: string;
  callerId?: string;
  srtp?: string;
  ca: string[];
  systemCas: boolean;
  listenAddress?: string;
  listenPort?: string;
  did: string[];
  allowSource: string[];
  play?: string;
  record?: string;
  pcap?: string;
  keylog?: string;
  dtmf?: string;
  dtmfAt: string;
  holdAfter?: string;
  holdFor: string;
  transferTo?: string;
  transferAfter: string;
  hangupAfter?: string;
  ringTimeout: string;
  expect: string;
  json: boolean;
  listen: boolean;
  calls: string;
  answerAfter: string;
}

/** What one call does after it is answered, in ms from the answer. */
interface CallPlan {
  readonly dtmf: { readonly digits: string; readonly atMs: number } | undefined;
  readonly hold: { readonly atMs: number; readonly forMs: number } | undefined;
  readonly transfer: { readonly to: string; readonly atMs: number } | undefined;
  readonly hangupAtMs: number | undefined;
}

const DEFAULT_HANGUP_AFTER_MS = 10_000;

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerCallCommand(
  program: Command,
  context: CallCommandContext,
  about: { readonly version?: string } = {},
): void {
  const application = `Trunkline${about.version === undefined ? '' : ` ${about.version}`}`;
  program
    .command('call')
    .description(
      'Place a call through the trunk (or, with --listen, answer inbound calls) and report how it went.\n' +
        'Exit status 0 when the outcome matches --expect, 1 when it does not, 2 when the call could not be made.',
    )
    .argument('[number]', 'the number to dial (E.164, e.g. +14155550123)')
    .option('--profile <file>', 'trunk profile (JSON); flags override its fields')
    .option('--domain <host[:port]>', 'termination SIP domain, e.g. 21784177241578.zt.plivo.com')
    .option('--proxy <host:port>', 'outbound proxy (how the embedded emulator is reached)')
    .option('--transport <tls|tcp|udp>', 'signalling transport (default tls)')
    .option('--username <name>', 'credential list username')
    .option('--password <password>', 'credential password (prefer the profile file or TRUNKLINE_PASSWORD)')
    .option('--caller-id <number>', 'the caller ID: one of your Plivo numbers')
    .option('--srtp <mandatory|optional|off>', 'SRTP policy (default mandatory on TLS, off otherwise)')
    .option(
      '--ca <file>',
      'extra CA certificate (PEM) to trust, e.g. the emulator CA (repeatable)',
      collect,
      [],
    )
    .option('--no-system-cas', 'trust only the --ca certificates')
    .option('--listen-address <ip>', 'local address for signalling and media (default 127.0.0.1)')
    .option('--listen-port <port>', 'local signalling port (default: any free port)')
    .option('--did <number>', 'a DID inbound calls are addressed to (repeatable)', collect, [])
    .option('--allow-source <cidr>', 'allow inbound requests from this network (repeatable)', collect, [])
    .option('--play <tone:Hz|file.wav>', 'what to send: tone:440, tone:350+440@-6 or a WAV file')
    .option('--record <file.wav>', 'record what we hear to a WAV file')
    .option(
      '--pcap <file.pcapng>',
      "write the call's SIP (TLS shown decrypted) and RTP (SRTP decrypted) to a pcapng file, even when it fails",
    )
    .option('--keylog <file>', 'append the TLS secrets in SSLKEYLOGFILE format (created 0600)')
    .option('--dtmf <digits>', 'send these digits by RFC 4733 after the answer')
    .option('--dtmf-at <duration>', 'when to send --dtmf, after the answer', '2s')
    .option('--hold-after <duration>', 'put the call on hold this long after the answer')
    .option('--hold-for <duration>', 'how long to hold before resuming', '2s')
    .option('--transfer-to <number>', 'blind-transfer the far end to this number (REFER)')
    .option('--transfer-after <duration>', 'when to transfer, after the answer', '2s')
    .option('--hangup-after <duration>', 'hang up this long after the answer (default 10s)')
    .option('--ring-timeout <duration>', 'cancel when not answered within this time', '60s')
    .option(
      '--expect <outcome>',
      'answered, a SIP status (486), a hangup code (4180) or a cause name',
      'answered',
    )
    .option('--json', 'print the result as JSON (one object per call)', false)
    .option('--listen', 'wait for inbound calls to the --did numbers and answer them', false)
    .option('--calls <n>', 'with --listen: how many calls to answer before exiting', '1')
    .option('--answer-after <duration>', 'with --listen: ring this long before answering', '0s')
    .action(async (number: string | undefined, flags: CallFlags) => {
      context.setExitStatus(await runCallCommand(number, flags, context, application));
    });
}

async function runCallCommand(
  number: string | undefined,
  flags: CallFlags,
  io: CallCommandContext,
  application: string,
): Promise<number> {
  let phone: SoftphoneUserAgent | undefined;
  let capture: CallCaptureFiles | undefined;
  let interrupted = false;
  let stopWaiting: (() => void) | undefined;
  let removeInterrupt: (() => void) | undefined;
  try {
    const expectation = parseExpectation(flags.expect);
    if (!flags.listen && number === undefined) {
      throw new CliUsageError(
        'Give the number to dial (trunkline call +14155550123), or --listen for inbound calls.',
      );
    }
    const plan = callPlan(flags);
    // A bad --play (a missing WAV, a malformed tone) is reported before any socket opens.
    await audioSource(flags);
    const profile = await profileFrom(flags, io.env);
    // Opened before the phone starts (the key log must see the first TLS handshake) and attached before any call
    // (the capture must see the first INVITE).
    capture = CallCaptureFiles.open({
      ...(flags.pcap !== undefined ? { pcapPath: flags.pcap } : {}),
      ...(flags.keylog !== undefined ? { keyLogPath: flags.keylog } : {}),
      application,
    });
    phone = await SoftphoneUserAgent.start(profile, capture?.phoneOptions() ?? {});
    capture?.attach(phone);
    // Ctrl-C hangs every call up properly (BYE, CANCEL or 486) so the far end is not left with a dead call; each
    // call's result is still printed.
    removeInterrupt = io.onInterrupt?.(() => {
      if (interrupted) return;
      interrupted = true;
      io.err('interrupted: hanging up');
      for (const call of phone?.calls ?? []) void call.hangup().catch(() => undefined);
      stopWaiting?.();
    });
    // Progress always goes to stderr, so stdout stays the result alone (one JSON object per call with --json).
    const progress = (text: string) => io.err(text);
    phone.on('warning', (warning) => progress(`warning: ${warning.message}`));
    phone.on('inbound-rejected', (r) =>
      progress(`refused ${r.method} from ${r.source.address}:${r.source.port} (403: not an allowed network)`),
    );
    const results: CallResult[] = [];
    let failures = 0;
    if (flags.listen) {
      const wanted = Math.max(1, Number.parseInt(flags.calls, 10) || 1);
      progress(
        `listening on ${phone.listener.local.address}:${phone.listener.local.port} (${profile.transport}) for ${profile.dids.join(', ') || 'no DIDs'}`,
      );
      await new Promise<void>((resolve) => {
        stopWaiting = () => {
          // Answered calls are being hung up: their results follow; with none in progress, stop now.
          if (phone!.calls.length === 0) resolve();
        };
        let started = 0;
        let finished = 0;
        phone!.on('incoming', (call) => {
          if (started >= wanted) {
            void call.decline(486);
            return;
          }
          started += 1;
          const index = started;
          progress(`incoming call from ${call.peerOrCallerId} to ${call.number}`);
          void driveCall(call, { flags, plan, expectation, index, inbound: true, progress })
            .then((result) => {
              results.push(result);
              emit(result, flags, io);
            })
            .catch((error: unknown) => {
              // The call could not be set up (the recording file, say): refuse it and fail the run.
              failures += 1;
              io.err(`trunkline: call ${index} failed: ${describeError(error)}`);
              void call.decline(500).catch(() => undefined);
            })
            .finally(() => {
              finished += 1;
              if (finished >= wanted || (interrupted && finished >= started)) resolve();
            });
        });
      });
    } else {
      const dialled = number!;
      const prediction = phone.preDialCheck(dialled, flags.callerId ?? profile.callerIds[0]);
      for (const warning of prediction.warnings) progress(`pre-dial warning: ${warning.message}`);
      progress(`calling ${dialled} via ${profile.terminationDomain.host} (${profile.transport})`);
      const result = await driveCall(undefined, {
        flags,
        plan,
        expectation,
        index: 1,
        inbound: false,
        progress,
        place: (audio) =>
          phone!.call(dialled, { ...audio, ...(flags.callerId ? { callerId: flags.callerId } : {}) }),
      });
      results.push(result);
      emit(result, flags, io);
    }
    if (failures > 0) return 2;
    if (interrupted) return INTERRUPTED_STATUS;
    return results.every((result) => result.matched) ? 0 : 1;
  } catch (error) {
    const issues = (error as { issues?: readonly { path: string; message: string }[] }).issues;
    if (issues !== undefined && issues.length > 0) {
      io.err('trunkline: the trunk profile is invalid:');
      for (const issue of issues) io.err(`  ${issue.path || '(profile)'}: ${issue.message}`);
    } else {
      io.err(`trunkline: ${describeError(error)}`);
    }
    return 2;
  } finally {
    removeInterrupt?.();
    await phone?.stop();
    // Closed after the phone stopped, so that the BYE (or CANCEL) of a call hung up on the way out is in the file.
    for (const line of (await capture?.close()) ?? []) io.err(line);
  }
}

function emit(result: CallResult, flags: CallFlags, io: CallCommandContext): void {
  io.out(flags.json ? JSON.stringify(result) : formatCallResult(result));
}

function callPlan(flags: CallFlags): CallPlan {
  const transfer =
    flags.transferTo === undefined
      ? undefined
      : { to: flags.transferTo, atMs: parseDurationMs(flags.transferAfter, '--transfer-after') };
  return {
    dtmf:
      flags.dtmf === undefined
        ? undefined
        : { digits: flags.dtmf, atMs: parseDurationMs(flags.dtmfAt, '--dtmf-at') },
    hold:
      flags.holdAfter === undefined
        ? undefined
        : {
            atMs: parseDurationMs(flags.holdAfter, '--hold-after'),
            forMs: parseDurationMs(flags.holdFor, '--hold-for'),
          },
    transfer,
    // A transfer ends the call by itself (the trunk's BYE); the default hangup only applies without one.
    hangupAtMs:
      flags.hangupAfter !== undefined
        ? parseDurationMs(flags.hangupAfter, '--hangup-after')
        : transfer === undefined
          ? DEFAULT_HANGUP_AFTER_MS
          : undefined,
  };
}

/** The profile file (if any) with the flags laid over it, validated by ua's schema. */
async function profileFrom(
  flags: CallFlags,
  env: Readonly<Record<string, string | undefined>>,
): Promise<TrunkProfile> {
  const base = flags.profile === undefined ? {} : await readProfileJson(flags.profile);
  const input: Record<string, unknown> = { ...base };
  const set = (key: keyof TrunkProfileInput, value: unknown) => {
    if (value !== undefined) input[key] = value;
  };
  set('terminationDomain', flags.domain);
  set('outboundProxy', flags.proxy);
  set('transport', flags.transport);
  set('username', flags.username);
  set('password', flags.password ?? (base.password === undefined ? env.TRUNKLINE_PASSWORD : undefined));
  if (flags.callerId !== undefined) {
    const existing = Array.isArray(base.callerIds) ? (base.callerIds as unknown[]) : [];
    input.callerIds = [flags.callerId, ...existing.filter((id) => id !== flags.callerId)];
  }
  set('srtp', flags.srtp);
  const tls = { ...((base.tls as Record<string, unknown> | undefined) ?? {}) };
  if (flags.ca.length > 0) tls.caFiles = [...((tls.caFiles as string[] | undefined) ?? []), ...flags.ca];
  if (!flags.systemCas) tls.useSystemCas = false;
  if (Object.keys(tls).length > 0) input.tls = tls;
  const listen = { ...((base.listen as Record<string, unknown> | undefined) ?? {}) };
  if (flags.listenAddress !== undefined) listen.address = flags.listenAddress;
  if (flags.listenPort !== undefined) listen.port = Number(flags.listenPort);
  if (Object.keys(listen).length > 0) input.listen = listen;
  if (flags.did.length > 0) input.dids = flags.did;
  if (flags.allowSource.length > 0) {
    input.allowedInboundSources = [
      ...((base.allowedInboundSources as string[] | undefined) ?? []),
      ...flags.allowSource,
    ];
  }
  const parsed = parseTrunkProfile(input);
  if (!parsed.ok)
    throw Object.assign(new CliUsageError('the trunk profile is invalid'), { issues: parsed.issues });
  return parsed.profile;
}

async function readProfileJson(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new CliUsageError(`The profile file ${path} cannot be read (${reason}).`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliUsageError(`The profile file ${path} is not valid JSON.`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CliUsageError(`The profile file ${path} must hold one JSON object (the trunk profile).`);
  }
  return json as Record<string, unknown>;
}

async function audioSource(flags: CallFlags): Promise<AudioSource | undefined> {
  if (flags.play === undefined) return undefined;
  const play = parsePlaySpec(flags.play);
  return play.kind === 'tone' ? ToneSource.parse(play.spec) : WavSource.open(play.path, { loop: true });
}

function recordPath(path: string, index: number): string {
  if (index === 1) return path;
  return path.replace(/(\.wav)?$/i, `-${index}$1`);
}

interface DriveOptions {
  readonly flags: CallFlags;
  readonly plan: CallPlan;
  readonly expectation: Expectation;
  readonly index: number;
  readonly inbound: boolean;
  readonly progress: (text: string) => void;
  readonly place?: (audio: { source?: AudioSource; sinks?: AudioSink[] }) => Call;
  readonly clock?: Clock;
}

/** Runs one call to its end: media, the timed actions of the plan, and the result. */
async function driveCall(incoming: Call | undefined, options: DriveOptions): Promise<CallResult> {
  const { flags, plan, progress } = options;
  const clock = options.clock ?? systemClock;
  const source = await audioSource(flags);
  const recorder =
    flags.record === undefined
      ? undefined
      : await WavRecorderSink.create(recordPath(flags.record, options.index));
  const audio = {
    ...(source !== undefined ? { source } : {}),
    ...(recorder !== undefined ? { sinks: [recorder] } : {}),
  };
  const call = incoming ?? options.place!(audio);
  const warnings: string[] = call.preDialWarnings.map((w) => w.message);
  const timers: TimerHandle[] = [];
  const at = (delayMs: number, action: () => Promise<void> | void, what: string) => {
    timers.push(
      clock.setTimeout(() => {
        Promise.resolve()
          .then(action)
          .catch((error: unknown) => {
            warnings.push(`${what} failed: ${describeError(error)}`);
            progress(`${what} failed: ${describeError(error)}`);
          });
      }, delayMs),
    );
  };
  let dtmfReceived = '';
  let transfer: TransferOutcome | undefined;
  call.on('dtmf', (dtmf) => {
    dtmfReceived += dtmf.digit;
    progress(`DTMF received ${dtmf.digit} (${dtmf.durationMs} ms)`);
  });
  call.on('progress', (p) =>
    progress(`${p.statusCode} ${p.reasonPhrase}${p.earlyMedia ? ' (early media)' : ''}`),
  );
  call.on('media', (m) =>
    progress(
      `media ${m.codec} ${m.direction}, ${m.srtpSuite ?? 'plain RTP'} to ${m.remote.address}:${m.remote.port}`,
    ),
  );
  call.on('warning', (w) => {
    const text = w.kind === 'pre-dial' ? w.prediction.message : w.message;
    if (w.kind !== 'pre-dial') warnings.push(text);
    progress(`warning: ${text}`);
  });
  call.on('transfer', (t) => progress(`transfer: ${JSON.stringify(t)}`));
  call.on('state', (state) => {
    if (state !== 'answered') return;
    progress('answered');
    if (plan.dtmf !== undefined) {
      const { digits } = plan.dtmf;
      at(plan.dtmf.atMs, () => call.sendDtmf(digits), 'sending DTMF');
    }
    if (plan.hold !== undefined) {
      at(plan.hold.atMs, () => call.hold(), 'hold');
      at(plan.hold.atMs + plan.hold.forMs, () => call.resume(), 'resume');
    }
    if (plan.transfer !== undefined) {
      const to = plan.transfer.to;
      at(
        plan.transfer.atMs,
        async () => {
          transfer = await call.transfer({ kind: 'blind', to });
        },
        'transfer',
      );
    }
    if (plan.hangupAtMs !== undefined) at(plan.hangupAtMs, () => call.hangup(), 'hangup');
  });
  if (incoming === undefined) {
    at(
      parseDurationMs(flags.ringTimeout, '--ring-timeout'),
      () => (call.state === 'answered' || call.state === 'ended' ? undefined : call.cancel()),
      'cancel after the ring timeout',
    );
  }
  if (incoming !== undefined) {
    at(parseDurationMs(flags.answerAfter, '--answer-after'), () => call.accept(audio), 'answer');
  }
  const end = await call.ended;
  for (const timer of timers) clock.clearTimeout(timer);
  if (recorder !== undefined) {
    try {
      await recorder.close();
    } catch (error) {
      warnings.push(`the recording is incomplete: ${describeError(error)}`);
    }
  }
  return buildCallResult({
    direction: incoming === undefined ? 'outbound' : 'inbound',
    number: call.number,
    callerId: call.peerOrCallerId,
    end,
    dtmfReceived,
    transfer,
    warnings,
    expectText: flags.expect,
    expectation: options.expectation,
  });
}
