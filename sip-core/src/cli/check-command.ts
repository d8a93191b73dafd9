// `trunkline check`: the network checks against a trunk given by flags, with live progress, reports (JSON,
// JUnit, HTML) and the run stored when asked. Exit status: 0 when no check failed (warnings and skips allowed),
// 1 when a check failed or the run was interrupted, 2 for usage errors (README). The target is one of: flags
// (`--domain …`, network checks only), a trunk profile (`--profile FILE`, the network and call checks), or the
// embedded emulator (`--emulator`, every check including the emulator-only ones; checks/calls/check-emulator.ts).

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  CheckRunnerError,
  CheckTargetError,
  createCheckReport,
  createCheckTarget,
  createDefaultCheckRunner,
  emulatorAccountFacts,
  renderHtmlReport,
  renderJsonReport,
  renderJunitReport,
  storeCheckReport,
  type CheckReport,
  type CheckTarget,
} from '../checks/index.js';
import {
  createCallCheckEnvironment,
  startCheckEmulator,
  targetFromProfile,
  type CallCheckEnvironment,
  type CheckEmulator,
} from '../checks/calls/index.js';
import { systemClock } from '../common/clock.js';
import { readTrunkProfileFile, TrunkProfileError } from '../ua/index.js';
import { describeError } from '../common/errors.js';
import { SecretString } from '../policy/index.js';
import { defaultDatabasePath, TrunklineStore } from '../store/index.js';
import type { CommandContext } from './explain-command.js';
import { progressListeners, summaryLines, type ProgressOutput } from './check-progress.js';
import { closeCheckCapture, markChecks, openCheckCapture } from './check-capture-option.js';

/** Exit statuses of `trunkline check`. */
export const CHECK_EXIT = { passed: 0, failed: 1, usage: 2 } as const;

const REPORT_FILES = {
  json: 'trunkline-check.json',
  junit: 'trunkline-check.junit.xml',
  html: 'trunkline-check.html',
} as const;
type ReportKind = keyof typeof REPORT_FILES;

interface CheckFlags {
  domain?: string;
  profile?: string;
  emulator: boolean;
  transferNumber?: string;
  port?: string;
  transport?: string;
  proxy?: string;
  ca: string[];
  username?: string;
  passwordEnv?: string;
  callerId?: string;
  testNumber?: string;
  region?: string;
  only: string[];
  skip: string[];
  report: ReportKind[];
  out: string;
  data?: string;
  dnsServer: string[];
  pcap?: string;
  keylog?: string;
}

class UsageError extends Error {}

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v.length > 0),
];

export interface CheckCommandOptions {
  /** The Trunkline version written into reports. */
  readonly version: string;
  /** Live progress on a terminal (default: whether stdout is a TTY). */
  readonly interactive?: boolean;
}

export function registerCheckCommand(
  program: Command,
  context: CommandContext,
  options: CheckCommandOptions,
): void {
  const command = program
    .command('check')
    .description(
      'Run the pre-deployment checks against a trunk: DNS (Zentrunk ranges), TLS, OPTIONS (at most one per 15 s), ' +
        'authentication, and with --profile or --emulator a few short test calls (audio both ways, DTMF, hold, ' +
        'transfer, CDR, inbound). Exit status 0 when no check failed, 1 when one did, 2 for usage errors.',
    )
    .option(
      '--domain <domain>',
      'termination SIP domain, e.g. 21784177241578.zt.plivo.com (network checks only)',
    )
    .option('--profile <file>', 'trunk profile (JSON, as `trunkline call` reads it): network and call checks')
    .option(
      '--emulator',
      'start the embedded emulator on free loopback ports (demo account) and run every check against it',
      false,
    )
    .option('--transfer-number <number>', 'the second number blind-transfer hands the call to')
    .option('--port <port>', 'signalling port (default 5061 for TLS, 5060 otherwise)')
    .addOption(
      new Option(
        '--transport <transport>',
        'signalling transport (default tls; udp with --emulator; a profile names its own)',
      ).choices(['udp', 'tcp', 'tls']),
    )
    .option('--proxy <host:port>', 'send SIP here instead of the domain (an SBC, or an emulator)')
    .option(
      '--ca <file>',
      'extra trusted CA certificate, PEM (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--username <name>', 'digest username of the trunk’s credential list')
    .option(
      '--password-env <var>',
      'name of the environment variable holding the password (never a flag value)',
    )
    .option('--caller-id <number>', 'caller ID: one of your Plivo numbers (E.164)')
    .option('--test-number <number>', 'the number call checks dial')
    .option('--region <region>', 'expected Zentrunk region, e.g. us-east-1')
    .option(
      '--only <ids>',
      'run only these checks (comma-separated; dependencies are pulled in)',
      collect,
      [],
    )
    .option('--skip <ids>', 'skip these checks (comma-separated; dependants are skipped too)', collect, [])
    .addOption(
      new Option('--report <kind>', 'write a report: json, junit or html (repeatable)')
        .argParser((value: string, previous: ReportKind[] | undefined) => {
          if (!(value in REPORT_FILES)) {
            throw new InvalidArgumentError(`Allowed choices are ${Object.keys(REPORT_FILES).join(', ')}.`);
          }
          return [...(previous ?? []), value as ReportKind];
        })
        .default([]),
    )
    .option('--out <dir>', 'folder for the reports', '.')
    .option('--data <dir>', 'store the run in this data folder (SQLite)')
    .option(
      '--dns-server <host[:port]>',
      'ask this DNS server instead of the system’s (repeatable)',
      (v: string, p: string[]) => [...p, v],
      [],
    )
    .option('--pcap <file>', 'write the SIP of every check into one pcapng, each check marked by a comment')
    .option(
      '--keylog <file>',
      'with --pcap: write the TLS secrets of the checks’ connections (SSLKEYLOGFILE)',
    )
    .action(async (flags: CheckFlags) => {
      context.setExitStatus(await runCheckCommand(flags, context, options));
    });
  // Usage errors end with 2, not commander's 1, so CI can tell "wrong flags" from "the trunk failed".
  command.exitOverride((error) => {
    throw new CommanderError(error.exitCode === 0 ? 0 : CHECK_EXIT.usage, error.code, error.message);
  });
}

async function runCheckCommand(
  flags: CheckFlags,
  context: CommandContext,
  options: CheckCommandOptions,
): Promise<number> {
  let setup: RunSetup;
  try {
    setup = await runSetup(flags);
  } catch (error) {
    if (error instanceof UsageError || error instanceof CheckTargetError) {
      context.err(`trunkline: ${error.message}`);
      return CHECK_EXIT.usage;
    }
    if (error instanceof TrunkProfileError) {
      context.err('trunkline: the trunk profile is invalid:');
      for (const issue of error.issues) context.err(`  ${issue.path || '(profile)'}: ${issue.message}`);
      return CHECK_EXIT.usage;
    }
    throw error;
  }
  try {
    return await runChecks(setup, flags, context, options);
  } finally {
    await setup.calls?.close();
    await setup.emulator?.close();
  }
}

interface RunSetup {
  readonly target: CheckTarget;
  readonly calls: CallCheckEnvironment | undefined;
  readonly emulator: CheckEmulator | undefined;
}

/** The target and, for a profile or the emulator, the call environment (exactly one way must be chosen). */
async function runSetup(flags: CheckFlags): Promise<RunSetup> {
  const chosen = [flags.domain !== undefined, flags.profile !== undefined, flags.emulator].filter(Boolean);
  if (chosen.length !== 1) {
    throw new UsageError('Give exactly one target: --domain DOMAIN, --profile FILE or --emulator.');
  }
  if (flags.emulator) {
    const transport = (flags.transport ?? 'udp') as CheckTarget['transport'];
    const emulator = await startCheckEmulator({
      clock: systemClock,
      transport,
      ...(flags.testNumber !== undefined ? { testNumber: flags.testNumber } : {}),
      ...(flags.transferNumber !== undefined ? { transferNumber: flags.transferNumber } : {}),
    });
    return { target: emulator.target, calls: emulator.environment, emulator };
  }
  if (flags.profile !== undefined) {
    const profile = await readTrunkProfileFile(flags.profile);
    const target = await targetFromProfile(profile, {
      ...(flags.testNumber !== undefined ? { testNumber: flags.testNumber } : {}),
      ...(flags.region !== undefined ? { region: flags.region } : {}),
    });
    const calls = createCallCheckEnvironment({
      clock: systemClock,
      profile,
      ...(flags.transferNumber !== undefined ? { transferNumber: flags.transferNumber } : {}),
    });
    return { target, calls, emulator: undefined };
  }
  return { target: await targetFromFlags(flags), calls: undefined, emulator: undefined };
}

async function runChecks(
  setup: RunSetup,
  flags: CheckFlags,
  context: CommandContext,
  options: CheckCommandOptions,
): Promise<number> {
  const { target } = setup;
  const { capture, problem } = openCheckCapture(flags, options.version);
  if (problem !== undefined) {
    context.err(`trunkline: ${problem}`);
    return CHECK_EXIT.usage;
  }
  const runner = createDefaultCheckRunner({
    clock: systemClock,
    dnsServers: flags.dnsServer,
    ...(setup.emulator !== undefined
      ? { localAddress: '127.0.0.1', emulatorAccount: emulatorAccountFacts(setup.emulator.emulator) }
      : {}),
    ...(capture !== undefined ? { capture } : {}),
    ...(setup.calls !== undefined ? { calls: setup.calls } : {}),
  });
  if (capture !== undefined) markChecks(runner, capture);
  const selection = { only: flags.only, skip: flags.skip };
  try {
    runner.plan(selection);
  } catch (error) {
    await capture?.close().catch(() => undefined);
    if (!(error instanceof CheckRunnerError)) throw error;
    context.err(`trunkline: ${error.message}`);
    return CHECK_EXIT.usage;
  }

  const interactive = options.interactive ?? process.stdout.isTTY === true;
  const output = progressOutput(context, interactive);
  const listeners = progressListeners(output);
  for (const [event, listener] of Object.entries(listeners)) {
    runner.on(event as keyof typeof listeners, listener);
  }
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let report: CheckReport;
  try {
    const run = await runner.run(target, { selection, signal: controller.signal });
    report = createCheckReport(run, options.version);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const captured = capture === undefined || (await closeCheckCapture(capture, flags, context));
  for (const line of summaryLines(report.run.results, report.run.verdict)) context.out(line);

  try {
    await writeReports(report, flags, context);
    if (flags.data !== undefined) {
      const store = TrunklineStore.open({ path: defaultDatabasePath(flags.data) });
      try {
        storeCheckReport(store, report);
      } finally {
        store.close();
      }
      context.out(`Run ${report.run.runId} stored in ${flags.data}.`);
    }
  } catch (error) {
    context.err(`trunkline: the reports could not be written: ${describeError(error)}`);
    return CHECK_EXIT.failed;
  }
  return report.run.verdict === 'passed' && captured ? CHECK_EXIT.passed : CHECK_EXIT.failed;
}

async function targetFromFlags(flags: CheckFlags & { domain?: string }): Promise<CheckTarget> {
  const port = flags.port === undefined ? undefined : parsePort(flags.port, '--port');
  const proxy = flags.proxy === undefined ? undefined : parseHostPort(flags.proxy);
  if ((flags.username === undefined) !== (flags.passwordEnv === undefined)) {
    throw new UsageError(
      '--username and --password-env go together (the password is read from that variable).',
    );
  }
  let credentials: { username: string; password: SecretString } | undefined;
  if (flags.username !== undefined && flags.passwordEnv !== undefined) {
    const password = process.env[flags.passwordEnv];
    if (password === undefined || password.length === 0) {
      throw new UsageError(
        `The environment variable ${flags.passwordEnv} (--password-env) is not set or empty.`,
      );
    }
    credentials = { username: flags.username, password: new SecretString(password) };
  }
  const caCertificates: string[] = [];
  for (const file of flags.ca) {
    let pem: string;
    try {
      pem = await readFile(file, 'utf8');
    } catch (error) {
      throw new UsageError(
        `Cannot read the CA file ${file} (--ca): ${(error as { code?: string }).code ?? describeError(error)}.`,
      );
    }
    caCertificates.push(pem);
  }
  return createCheckTarget({
    terminationDomain: flags.domain ?? '',
    ...(port !== undefined ? { port } : {}),
    transport: (flags.transport ?? 'tls') as CheckTarget['transport'],
    ...(proxy !== undefined ? { outboundProxy: proxy } : {}),
    caCertificates,
    ...(credentials !== undefined ? { credentials } : {}),
    ...(flags.callerId !== undefined ? { callerId: flags.callerId } : {}),
    ...(flags.testNumber !== undefined ? { testNumber: flags.testNumber } : {}),
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    isEmulator: false,
  });
}

function parsePort(text: string, flag: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65_535) {
    throw new UsageError(`${flag} must be a port number from 1 to 65535, not '${text}'.`);
  }
  return Number(text);
}

function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text.trim());
  if (!match) throw new UsageError(`--proxy must be host:port (IPv6 as [addr]:port), not '${text}'.`);
  return { host: match[1] ?? match[2], port: parsePort(match[3], '--proxy') };
}

async function writeReports(report: CheckReport, flags: CheckFlags, context: CommandContext): Promise<void> {
  const kinds = [...new Set(flags.report)];
  if (kinds.length === 0) return;
  await mkdir(flags.out, { recursive: true });
  for (const kind of kinds) {
    const path = join(flags.out, REPORT_FILES[kind]);
    const text =
      kind === 'json'
        ? renderJsonReport(report)
        : kind === 'junit'
          ? renderJunitReport(report)
          : renderHtmlReport(report);
    await writeFile(path, text, 'utf8');
    context.out(`Wrote ${kind} report: ${path}`);
  }
}

function progressOutput(context: CommandContext, interactive: boolean): ProgressOutput {
  if (!interactive) return { line: (text) => context.out(text) };
  let liveShown = false;
  return {
    line: (text) => {
      if (liveShown) process.stdout.write('\r\x1b[2K');
      liveShown = false;
      context.out(text);
    },
    live: (text) => {
      const width = Math.max(20, (process.stdout.columns ?? 100) - 1);
      process.stdout.write(`\r\x1b[2K${text.slice(0, width)}`);
      liveShown = true;
    },
  };
}
