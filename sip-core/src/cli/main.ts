import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerCheckCommand } from './check-command.js';
import { type CommandContext, registerExplainCommand } from './explain-command.js';

/** The package version, read from the repository's package.json (one source of truth). */
export function trunklineVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

/** Writes to the terminal and remembers the status a command asked for. */
function terminalContext(): CommandContext & { readonly exitStatus: number } {
  let exitStatus = 0;
  return {
    get exitStatus() {
      return exitStatus;
    },
    setExitStatus(status) {
      exitStatus = status;
    },
    out: (text) => console.log(text),
    err: (text) => console.error(text),
  };
}

/** Builds the command tree. Subcommands register themselves here as the layers that implement them land. */
export function buildProgram(context: CommandContext = terminalContext()): Command {
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
  registerCheckCommand(program, context, { version: trunklineVersion() });
  return program;
}

/** Runs the CLI and resolves to the process exit status (the launcher sets it; nothing here calls exit). */
export async function main(argv: readonly string[]): Promise<number> {
  const context = terminalContext();
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
    console.error(`trunkline: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
