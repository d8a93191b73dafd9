// `trunkline emulator` — the embedded Zentrunk as a foreground server, and its helpers:
//
//   trunkline emulator [--config FILE] [--data DIR] [--host H] [--udp P] [--tcp P] [--tls P]
//                      [--verify-pbx-tls] [--pbx-ca FILE] [--pcap FILE] [--helper-nice N] [--print-config] [--json]
//   trunkline emulator place-call --from X --to DID [--data DIR] [--hangup-after S] [--json]
//   trunkline emulator export-ca [--config FILE] [--data DIR] [--out FILE]
//
// The server prints where it listens and the account's details, then one line per call (from its CDR), and on
// SIGINT/SIGTERM ends every call (BYE, CDRs written) before it exits. With --json every line is one JSON object,
// the first `{"type":"listening",…}` with the actual ports (port 0 picks free ones), for scripts and tests.
// Lines never wait for the reader (line-output.ts): dropped ones are counted in an `output-dropped` line.
// Once it listens, the server gives its helper threads a lower priority than the SIP event loop
// (helper-thread-priority.ts, docs/adr/0165); `--helper-nice 0` leaves them as they are.
// `place-call` reaches a running emulator through its control channel (emulator/control, token in the data folder).

import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { systemClock } from '../common/clock.js';
import {
  ControlChannel,
  Emulator,
  ensureLocalCertificates,
  exportCaCertificate,
  FarEndTable,
  formatConfigIssues,
  formatEffectiveConfig,
  loadEmulatorConfig,
  requestInboundCall,
  serverCertificateNames,
  type EmulatorConfig,
  type EmulatorConfigOverrides,
} from '../emulator/index.js';
import { describeError } from '../common/errors.js';
import { FilePcapSink, PcapRecorder } from '../diagnostics/pcap/index.js';
import { viewOfAccount } from '../policy/index.js';
import type { CommandContext } from './explain-command.js';
import {
  describeHelperThreadPriority,
  lowerHelperThreadPriority,
  MAX_NICENESS,
  type HelperThreadPriority,
} from './helper-thread-priority.js';
import { directLineOutput } from './line-output.js';
import { describePbxTls, PbxTlsFlagError, pbxTlsClientOptions } from './pbx-tls-flags.js';

interface ServeOptions {
  readonly config?: string;
  readonly data?: string;
  readonly host?: string;
  readonly udp?: string;
  readonly tcp?: string;
  readonly tls?: string;
  readonly verifyPbxTls?: boolean;
  readonly pbxCa?: string;
  readonly pcap?: string;
  readonly helperNice?: string;
  readonly printConfig?: boolean;
  readonly json?: boolean;
}

/**
 * Helper threads' nice value unless `--helper-nice` says otherwise: well below the event loop (10 is what `nice`
 * gives by default), not the lowest, so that a CDR writer on a busy machine still gets its turns (docs/adr/0165).
 */
const DEFAULT_HELPER_NICENESS = 10;

/** A command-line mistake: printed as one line, exit status 1. */
export class CliUsageError extends Error {}

export function registerEmulatorCommand(program: Command, io: CommandContext): void {
  const emulator = program
    .command('emulator')
    .description('run the embedded Zentrunk emulator (SIP on UDP, TCP and TLS; CDRs into the data folder)')
    .option('--config <file>', 'the emulator config (JSON); default: the built-in demo account')
    .option('--data <dir>', 'the data folder (database, TLS material, control file)')
    .option('--host <address>', 'the address to listen on (default 127.0.0.1)')
    .option('--udp <port>', 'UDP port; 0 picks a free one, "off" turns it off')
    .option('--tcp <port>', 'TCP port; 0 picks a free one, "off" turns it off')
    .option('--tls <port>', 'TLS port; 0 picks a free one, "off" turns it off')
    .option('--verify-pbx-tls', "inbound calls over TLS verify the PBX's certificate (default: not verified)")
    .option(
      '--pbx-ca <file>',
      "PEM CA certificates to trust for the PBX's certificate (implies --verify-pbx-tls)",
    )
    .option(
      '--pcap <file>',
      "write the session's SIP and the far ends' RTP into this pcapng (TLS and SRTP shown decrypted)",
    )
    .option(
      '--helper-nice <n>',
      `nice value (0–${MAX_NICENESS}) for the process's helper threads, so that SIP goes first; 0 leaves them ` +
        `(default ${DEFAULT_HELPER_NICENESS})`,
    )
    .option('--print-config', 'print the effective configuration (every default filled in) and exit')
    .option('--json', 'print JSON lines (the first names the actual ports)')
    .action(async (options: ServeOptions) => serve(options, io));
  // `--data` after `place-call` belongs to place-call, not to the server command.
  program.enablePositionalOptions();
  emulator.enablePositionalOptions();

  emulator
    .command('place-call')
    .description('have the running emulator place an inbound call (PSTN → DID → your PBX)')
    .requiredOption('--from <number>', 'the PSTN caller, e.g. +14155550101')
    .requiredOption('--to <did>', 'a DID of the account routed to an inbound trunk, e.g. +14155550100')
    .option('--data <dir>', 'the data folder of the running emulator')
    .option('--hangup-after <seconds>', 'the caller hangs up this long after the answer')
    .option('--json', 'print the result as JSON')
    .action(
      async (options: { from: string; to: string; data?: string; hangupAfter?: string; json?: boolean }) => {
        const dataDir = dataDirOf({ ...(options.data !== undefined ? { data: options.data } : {}) });
        const hangupAfterS = options.hangupAfter === undefined ? undefined : Number(options.hangupAfter);
        if (hangupAfterS !== undefined && !(hangupAfterS > 0)) {
          throw new CliUsageError('--hangup-after must be a number of seconds above 0');
        }
        const result = await requestInboundCall(dataDir, {
          from: options.from,
          to: options.to,
          ...(hangupAfterS !== undefined ? { hangupAfterMs: Math.round(hangupAfterS * 1000) } : {}),
        });
        if (options.json) io.out(JSON.stringify(result));
        else if (result.outcome === 'answered')
          io.out(`answered by the ${result.leg} URI (call ${result.callUuid})`);
        else {
          const cause = result.cause ? `${result.cause.code} ${result.cause.causeName}` : 'no cause';
          io.out(
            `failed${result.sipStatus ? ` with ${result.sipStatus}` : ''}: ${cause} (call ${result.callUuid})`,
          );
        }
      },
    );

  emulator
    .command('export-ca')
    .description('write the local CA certificate a PBX must trust for the emulator’s TLS listener')
    .option('--config <file>', 'the emulator config (JSON)')
    .option('--data <dir>', 'the data folder holding the TLS material')
    .option('--out <file>', 'where to write the PEM (default: print it)')
    .action(async (options: { config?: string; data?: string; out?: string }) => {
      const config = configOf(options);
      if (config.tls.mode !== 'generate') {
        throw new CliUsageError(
          'the config uses your own certificate files; give your PBX your own CA instead',
        );
      }
      const material = await ensureLocalCertificates({
        dataDir: config.dataDir,
        names: serverCertificateNames(config),
        clock: systemClock,
        keyAlgorithm: config.tls.keyAlgorithm,
        serverValidityDays: config.tls.serverValidityDays,
        renewBeforeDays: config.tls.renewBeforeDays,
      });
      if (options.out === undefined) io.out(material.caCertificatePem.trimEnd());
      else {
        await exportCaCertificate(material, options.out);
        io.out(`wrote the CA certificate to ${options.out}`);
      }
    });
}

function helperNicenessOf(value: string | undefined): number {
  if (value === undefined) return DEFAULT_HELPER_NICENESS;
  const niceness = Number(value);
  if (!/^\d+$/.test(value) || niceness > MAX_NICENESS) {
    throw new CliUsageError(`--helper-nice must be a whole number 0–${MAX_NICENESS}`);
  }
  return niceness;
}

function dataDirOf(options: { data?: string }): string {
  return configOf(options).dataDir;
}

function portOf(flag: string, value: string | undefined): number | null | undefined {
  if (value === undefined) return undefined;
  if (value === 'off') return null;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CliUsageError(`--${flag} must be a port 0–65535 or "off"`);
  }
  return port;
}

function configOf(options: ServeOptions): EmulatorConfig {
  const listen: Record<string, unknown> = {};
  for (const flag of ['udp', 'tcp', 'tls'] as const) {
    const port = portOf(flag, options[flag]);
    if (port !== undefined) listen[flag] = port;
  }
  if (options.host !== undefined) listen['host'] = options.host;
  const overrides: EmulatorConfigOverrides = {
    ...(options.data !== undefined ? { dataDir: options.data } : {}),
    ...(Object.keys(listen).length > 0 ? { listen: listen } : {}),
  };
  const result = loadEmulatorConfig({
    ...(options.config !== undefined ? { path: options.config } : {}),
    overrides,
  });
  if (!result.ok) {
    throw new CliUsageError(
      `the configuration has ${result.issues.length} problem(s); fix them and start again:\n${formatConfigIssues(result.issues)}`,
    );
  }
  return result.value;
}

async function serve(options: ServeOptions, io: CommandContext): Promise<void> {
  const config = configOf(options);
  const helperNiceness = helperNicenessOf(options.helperNice);
  if (options.printConfig) {
    io.out(formatEffectiveConfig(config));
    return;
  }
  let tlsClient;
  try {
    tlsClient = pbxTlsClientOptions(options, (path) => readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof PbxTlsFlagError) throw new CliUsageError(error.message);
    throw error;
  }
  const emulator = await Emulator.start(config, tlsClient === undefined ? {} : { tlsClient });
  // The session's capture starts before the first call can arrive: every SIP message, and each far end's media
  // from the moment it goes live (ADR 0081), written as it happens so a kill -9 keeps what came before.
  const capture =
    options.pcap === undefined
      ? undefined
      : new PcapRecorder(new FilePcapSink(options.pcap), { application: 'Trunkline emulator' });
  capture?.recordSipTrace(emulator.sipTrace);
  capture?.recordMedia(emulator);
  let control: ControlChannel | undefined;
  try {
    control = await ControlChannel.open(
      {
        placeInboundCall: (request) => emulator.placeInboundCall(request),
        status: () => ({ addresses: emulator.addresses(), activeCalls: emulator.activeCalls }),
      },
      config.dataDir,
    );
  } catch (error) {
    await emulator.stop();
    await capture?.close().catch(() => undefined);
    throw error;
  }
  // Every line from here on goes through a bounded queue written asynchronously (line-output.ts): a reader that
  // stops reading costs lines, counted, never the event loop that serves SIP. The lines of one turn leave in one
  // write (the emulator commits every CDR of a batch at once, docs/adr/0085; a write per call was ~8 % of its CPU).
  // Error lines (a full disk fails every CDR; a peer's bad SDP is one per call) get the same on stderr.
  const droppedNotice = (count: number): string =>
    options.json
      ? JSON.stringify({ type: 'output-dropped', lines: count })
      : `(${count} line(s) dropped: the output was not being read)`;
  const output = io.openLineOutput?.('out', droppedNotice) ?? directLineOutput((text) => io.out(text));
  const errors = io.openLineOutput?.('err', droppedNotice) ?? directLineOutput((text) => io.err(text));
  const outLine = (line: string): void => output.line(line);
  emulator.events.on('cdrWritten', (cdr) => {
    if (options.json) outLine(JSON.stringify({ type: 'call', ...cdr }));
    else {
      outLine(
        `call ${cdr.callUuid.slice(0, 8)} ${cdr.direction}: ${cdr.hangupCauseCode} ${cdr.hangupCauseName} ` +
          `(${cdr.hangupSource}), ${cdr.billDurationS} s`,
      );
    }
  });
  // Digits the emulator detected from the customer's side (RFC 4733): how a user sees that their phone's DTMF
  // arrived, and how an acceptance run checks it from outside the process.
  emulator.events.on('dtmf', (event) => {
    if (options.json) {
      outLine(
        JSON.stringify({
          type: 'dtmf',
          callUuid: event.callUuid,
          digit: event.digit,
          durationMs: event.durationMs,
        }),
      );
    } else outLine(`dtmf ${event.callUuid.slice(0, 8)}: ${event.digit} (${event.durationMs} ms)`);
  });
  emulator.events.on('error', (event) => {
    if (options.json) errors.line(JSON.stringify({ type: 'error', ...event }));
    else errors.line(`error (${event.kind}): ${event.message}`);
  });
  // The helpers exist by now: the CDR writer thread, V8's platform threads, libuv's pool (the config and the TLS
  // material were read through it). The writer stays with the event loop: BYEs wait for its commits.
  const helperThreads: HelperThreadPriority = lowerHelperThreadPriority(helperNiceness, {
    except: emulator.responsePathThreadIds,
  });
  const addresses = emulator.addresses();
  if (options.json) {
    outLine(
      JSON.stringify({
        type: 'listening',
        ...addresses,
        dataDir: config.dataDir,
        control: control.url,
        verifiesPbxCertificates: tlsClient !== undefined,
        helperThreads,
      }),
    );
  } else {
    for (const line of describeServer(config, addresses, control.url)) outLine(line);
    outLine(`  PBX TLS   ${describePbxTls(tlsClient)}`);
    outLine(`  Threads   ${describeHelperThreadPriority(helperThreads)}`);
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (name: NodeJS.Signals) => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(name);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  const calls = emulator.activeCalls;
  if (!options.json) outLine(`${signal}: ending ${calls} call(s) and writing their CDRs…`);
  await control.close();
  await emulator.stop();
  if (capture !== undefined) {
    try {
      await capture.close();
      if (!options.json) outLine(`capture written to ${options.pcap} (${capture.packets} packets)`);
    } catch (error) {
      errors.line(`trunkline: the capture ${options.pcap} could not be written: ${describeError(error)}`);
    }
  }
  if (options.json) outLine(JSON.stringify({ type: 'stopped', signal, endedCalls: calls }));
  else outLine('stopped');
  await Promise.all([output.close(), errors.close()]);
}

/** The banner: listeners, data folder, the account's trunks, credentials (demo only), numbers, far-end numbers. */
function describeServer(
  config: EmulatorConfig,
  addresses: Emulator['addresses'] extends () => infer A ? A : never,
  controlUrl: string,
): string[] {
  const lines = ['Trunkline emulator — a local Zentrunk'];
  const listening = (['udp', 'tcp', 'tls'] as const)
    .map((t) =>
      addresses[t] ? `${t.toUpperCase()} ${addresses[t].address}:${addresses[t].port}` : undefined,
    )
    .filter((s) => s !== undefined);
  lines.push(`  SIP       ${listening.join('  ')}`);
  lines.push(`  Data      ${config.dataDir}   (CDRs: trunkline cdr --data ${config.dataDir})`);
  lines.push(
    `  Control   ${controlUrl}   (trunkline emulator place-call --from … --to … --data ${config.dataDir})`,
  );
  const account = config.account;
  const view = viewOfAccount(account, config.settings);
  lines.push(
    `Account ${account.name ?? ''} (${config.accountSource === 'demo' ? 'the built-in demo account' : 'from the config file'}):`,
  );
  for (const trunk of account.trunks) {
    if (trunk.trunk_direction === 'outbound') {
      const credential = account.credentials.find((c) => c.credential_uuid === trunk.credential_uuid);
      // Only the demo account's password is printed: it is published in the README; a user's never is.
      const auth = credential
        ? `digest ${credential.username}${config.accountSource === 'demo' ? ` / ${credential.password.reveal()}` : ''}`
        : '';
      const acl = trunk.ipacl_uuid !== null ? 'IP ACL' : '';
      const how = [acl, auth].filter((s) => s !== '').join(' or ');
      lines.push(
        `  outbound  ${view.trunkDomainOf(trunk)}${trunk.secure ? ' (secure: TLS + SRTP)' : ''} — ${how}`,
      );
    } else {
      const uris = account.origination_uris.filter(
        (u) => u.uri_uuid === trunk.primary_uri_uuid || u.uri_uuid === trunk.fallback_uri_uuid,
      );
      lines.push(`  inbound   ${trunk.trunk_id} → ${uris.map((u) => u.uri).join(', then ')}`);
    }
  }
  const numbers = account.numbers.map((n) => `${n.number}${n.app_id ? ` (DID → ${n.app_id})` : ''}`);
  lines.push(`  numbers   ${numbers.join(', ')}`);
  const farEnd = new FarEndTable(config.farEnd);
  lines.push('Far-end numbers (call these through an outbound trunk):');
  for (const entry of farEnd.entries) lines.push(`  ${entry.number ?? `${entry.prefix}…`}  ${entry.name}`);
  lines.push('  anything else: answered at once, echoes your audio');
  lines.push('Ready. Ctrl-C ends every call (BYE, CDRs written) and stops.');
  return lines;
}
