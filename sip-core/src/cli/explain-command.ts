// `trunkline explain <code|cause-name|SIP status|file.pcap>`: why a call ended, from a code, a name, a status or
// a capture (ours, tshark's, a PBX's or a Zentrunk debug-log download). Exit status 0 when something was
// explained, 1 when the input was not understood or held no call.

import { stat } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  analyzeCaptureFile,
  explainCapture,
  explainHangup,
  parseExplainQuery,
  PcapError,
  renderCaptureExplanation,
  renderHangupExplanation,
} from '../diagnostics/index.js';
import type { LineOutput } from './line-output.js';

export interface CommandContext {
  /** Sets the process exit status the CLI resolves to. */
  setExitStatus(status: number): void;
  /** Standard output and error (the terminal; captured in tests). */
  out(text: string): void;
  err(text: string): void;
  /**
   * Where a serving command (the emulator) prints its lines to standard output or error without ever waiting
   * for, or piling up behind, a reader that stopped reading; `droppedNotice` stands in for lines dropped
   * meanwhile. Absent (tests): lines go through `out` and `err`.
   */
  openLineOutput?(stream: 'out' | 'err', droppedNotice: (count: number) => string): LineOutput;
}

const CAPTURE_EXTENSION = /\.(pcap|pcapng|cap)$/i;

export function registerExplainCommand(program: Command, context: CommandContext): void {
  program
    .command('explain')
    .description(
      'Explain a Zentrunk hangup code (4190), a cause name (unknown_caller_id), a SIP status (403) or every\n' +
        'call in a capture file (.pcap or .pcapng): meaning, source, SIP status, what to check, remedy.',
    )
    .argument('<input>', 'hangup code, cause name, SIP status, or capture file')
    .option('--json', 'print the explanation as JSON')
    .action(async (input: string, options: { json?: boolean }) => {
      context.setExitStatus(await explain(input, options.json === true, context));
    });
}

async function explain(input: string, json: boolean, context: CommandContext): Promise<number> {
  if (await isCaptureInput(input)) return explainCaptureFile(input, json, context);
  const query = parseExplainQuery(input);
  if (query === undefined) {
    context.err(
      `trunkline: cannot explain '${input}': give a hangup code (4190), a cause name (unknown_caller_id), ` +
        'a SIP status (403) or a capture file (.pcap, .pcapng).',
    );
    return 1;
  }
  const explanation = explainHangup(query);
  if (json) context.out(JSON.stringify({ kind: 'hangup', ...explanation }, null, 2));
  else context.out(renderHangupExplanation(explanation));
  if (!explanation.found && !json) {
    context.err(`trunkline: nothing known about '${input}' (see the catalogue with --help).`);
  }
  return explanation.found ? 0 : 1;
}

async function isCaptureInput(input: string): Promise<boolean> {
  if (CAPTURE_EXTENSION.test(input)) return true;
  try {
    return (await stat(input)).isFile();
  } catch {
    return false;
  }
}

async function explainCaptureFile(path: string, json: boolean, context: CommandContext): Promise<number> {
  let analysis;
  try {
    analysis = await analyzeCaptureFile(path);
  } catch (error) {
    if (!(error instanceof PcapError)) throw error;
    context.err(`trunkline: ${error.message}`);
    return 1;
  }
  const explanation = explainCapture(analysis);
  if (json) context.out(JSON.stringify({ kind: 'capture', file: path, ...explanation }, null, 2));
  else context.out(renderCaptureExplanation(explanation, path));
  if (explanation.calls.length === 0) {
    if (!json) {
      context.err(
        `trunkline: no SIP call found in ${path} (${analysis.packets} packets). SIP is found on any port over ` +
          'UDP and TCP; TLS cannot be read without its keys — export the capture from Trunkline instead.',
      );
    }
    return 1;
  }
  return 0;
}
