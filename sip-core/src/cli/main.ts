import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { TrunklineError } from '../common/errors.js';
import { type CallCommandContext, registerCallCommand } from './call-command.js';
import { registerCdrCommand } from './cdr-command.js';
import { CliUsageError, registerEmulatorCommand } from './emulator-command.js';
import { registerExplainCommand } from './explain-command.js';
import { registerCheckCommand } from './check-command.js';
import { FdLineOutput } from './line-output.js';

/** The package version, read from the repository's package.json (one source of truth). */
export function trunklineVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** What the commands write to and read from: the terminal, or what a test captures. */
export type CliIo = Omit<CallCommandContext, 'setExitStatus'>;

/** The terminal: stdout, stderr, the environment, Ctrl-C and SIGTERM. */
export const terminalIo: CliIo = {
  out: (text) => console.log(text),
  err: (text) => console.error(text),
  openLineOutput: (stream, droppedNotice) => new FdLineOutput(stream === 'out' ? 1 : 2, { droppedNotice }),
  env: process.env,
  onInterrupt: (handler) => {
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  },
};

/** Writes through `io` and remembers the status a command asked for. */
function commandContext(io: CliIo): CallCommandContext & { readonly exitStatus: number } {
  let exitStatus = 0;
  return {
    ...io,
    get exitStatus() {
      return exitStatus;
    },
    setExitStatus(status) {
      exitStatus = status;
    },
  };
}

/** Builds the command tree. Subcommands register themselves here as the layers that implement them land. */
export function buildProgram(context: CallCommandContext = commandContext(terminalIo)): Command {
  const program = new Command('trunkline');
  program
    .description(
      'Softphone, trunk tester and embedded trunk emulator for Plivo Zentrunk.\n' +
        'Headless commands for CI and the terminal; the desktop app is started with `npm start`.',
    )
    .version(trunklineVersion(), '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerExplainCommand(program, context);
  registerCallCommand(program, context, { version: trunklineVersion() });
  registerEmulatorCommand(program, context);
  registerCdrCommand(program, context);
  registerCheckCommand(program, context, { version: trunklineVersion() });
  return program;
}

/** Runs the CLI and resolves to the process exit status (the launcher sets it; nothing here calls exit). */
export async function main(argv: readonly string[], io: CliIo = terminalIo): Promise<number> {
  const context = commandContext(io);
  const program = buildProgram(context);
  try {
    if (argv.length <= 2) {
      program.outputHelp();
      return 0;
    }
    await program.parseAsync([...argv]);
    return context.exitStatus;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0; usage errors carry 1.
      return error.exitCode;
    }
    // Our own errors carry messages a user can act on; anything else is a bug, shown as it is.
    const known = error instanceof TrunklineError || error instanceof CliUsageError;
    io.err(`trunkline: ${error instanceof Error ? error.message : String(error)}${known ? '' : ' (a bug)'}`);
    return 1;
  }
}
