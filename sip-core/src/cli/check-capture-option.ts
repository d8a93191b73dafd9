// `trunkline check --pcap FILE [--keylog FILE]`: one pcapng of the SIP of every check in the run, each check's
// first packet commented "Trunkline check <id> starts", and optionally the TLS secrets in an SSLKEYLOGFILE. The
// capture reaches the checks through their services (`services.capture`), the check markers through the
// runner's `checkStarted` event.

import type { CheckRunner } from '../checks/index.js';
import { PcapCheckCapture } from '../checks/index.js';
import { describeError } from '../common/errors.js';
import type { CommandContext } from './explain-command.js';

export interface CaptureFlags {
  readonly pcap?: string;
  readonly keylog?: string;
}

/** The capture the flags ask for, or undefined; a usage problem or an unwritable key log as a message. */
export function openCheckCapture(
  flags: CaptureFlags,
  version: string,
): { capture?: PcapCheckCapture; problem?: string } {
  if (flags.pcap === undefined) {
    return flags.keylog === undefined
      ? {}
      : { problem: '--keylog goes with --pcap (the keys decrypt that capture).' };
  }
  try {
    return {
      capture: PcapCheckCapture.open({
        pcap: flags.pcap,
        ...(flags.keylog !== undefined ? { keylogPath: flags.keylog } : {}),
        application: `Trunkline ${version}`,
      }),
    };
  } catch (error) {
    return { problem: describeError(error) };
  }
}

/** Marks each check's start in the capture. */
export function markChecks(runner: Pick<CheckRunner<unknown>, 'on'>, capture: PcapCheckCapture): void {
  runner.on('checkStarted', (check) => capture.checkStarted(check.id, check.title));
}

/** Finishes the files and says where they are; false when the capture could not be written. */
export async function closeCheckCapture(
  capture: PcapCheckCapture,
  flags: CaptureFlags,
  context: CommandContext,
): Promise<boolean> {
  try {
    await capture.close();
  } catch (error) {
    context.err(`trunkline: the capture could not be written: ${describeError(error)}`);
    return false;
  }
  context.out(`Wrote capture: ${flags.pcap} (${capture.packets} packets)`);
  if (flags.keylog !== undefined)
    context.out(`Wrote TLS key log: ${flags.keylog} (${capture.keyLogLines} secrets)`);
  return true;
}
