// `blind-transfer`: REFER the answered call to a second test number (RFC 3515, BEHAVIOUR.md §7): the trunk accepts
// it (202), reports progress by NOTIFY sipfrag up to 200, and ends our leg with its own BYE. A transfer our side
// had to end by timeout counts as a failure: the trunk left a leg up that it should have closed.

import type { TransferProgress } from '../../ua/index.js';
import type { CheckOutcome, MeasuredValue } from '../runner/check-definition.js';
import { callCheck, ProbeCall } from './probe-call.js';

/** How long after NOTIFY 200 the trunk's BYE may take (the softphone's own wait is 5 s). */
const LEG_END_TIMEOUT_MS = 10_000;

export interface BlindTransferFacts {
  readonly transferNumber: string;
  /** Every transfer event of the call, in order. */
  readonly progress: readonly TransferProgress[];
}

export function blindTransferVerdict(facts: BlindTransferFacts): CheckOutcome {
  const kinds = facts.progress;
  const accepted = kinds.find((p) => p.kind === 'accepted');
  const rejected = kinds.find((p) => p.kind === 'rejected');
  const notifies = kinds
    .filter((p) => p.kind === 'progress' || p.kind === 'succeeded' || p.kind === 'failed')
    .map((p) => ('statusCode' in p && p.statusCode !== undefined ? p.statusCode : 0));
  const legEnded = kinds.find((p) => p.kind === 'leg-ended');
  const measurements: MeasuredValue[] = [
    { name: 'referStatus', value: accepted?.statusCode ?? rejected?.statusCode ?? 0 },
    { name: 'notifyStatuses', value: notifies.join(' ') },
    { name: 'legEndedBy', value: legEnded?.kind === 'leg-ended' ? legEnded.by : 'not ended' },
  ];
  const remedy =
    'Zentrunk accepts REFER to numbers in the trunk domain (§7); check the transfer number is one your account may call, and that nothing between you and the trunk drops REFER or NOTIFY.';
  if (rejected?.kind === 'rejected') {
    return {
      status: 'fail',
      summary: `The REFER to ${facts.transferNumber} was refused: ${rejected.statusCode} ${rejected.reasonPhrase}.`,
      measurements,
      cause: {
        summary: `The trunk refused the REFER (${rejected.statusCode}).`,
        sipStatus: rejected.statusCode,
      },
      remedy,
    };
  }
  const failed = kinds.find((p) => p.kind === 'failed');
  if (failed?.kind === 'failed' || !notifies.includes(200)) {
    return {
      status: 'fail',
      summary: `The transfer to ${facts.transferNumber} did not succeed (NOTIFY ${notifies.join(', ') || 'none'}).`,
      measurements,
      cause: {
        summary: `The transfer target did not answer: ${failed?.kind === 'failed' ? `${failed.statusCode ?? 'no status'} ${failed.reasonPhrase}` : 'no NOTIFY 200'}.`,
        ...(failed?.kind === 'failed' && failed.statusCode !== undefined
          ? { sipStatus: failed.statusCode }
          : {}),
      },
      remedy,
    };
  }
  if (!notifies.includes(100)) {
    return {
      status: 'warning',
      summary: `Transferred, but no NOTIFY 100 Trying came first (NOTIFY ${notifies.join(', ')}).`,
      measurements,
      cause: { summary: 'The trunk skipped the 100 Trying NOTIFY that RFC 3515 §2.4.5 expects.' },
    };
  }
  if (legEnded?.kind !== 'leg-ended' || legEnded.by !== 'trunk') {
    return {
      status: 'fail',
      summary: 'Transferred (NOTIFY 200), but the trunk did not end our leg with a BYE; we had to.',
      measurements,
      cause: {
        summary: 'After a successful blind transfer the trunk must BYE the transferor (§7); it did not.',
      },
      remedy,
    };
  }
  return {
    status: 'pass',
    summary: `Transferred to ${facts.transferNumber}: 202, NOTIFY ${notifies.join(', ')}, our leg ended by the trunk’s BYE.`,
    measurements,
  };
}

export const blindTransferCheck = callCheck({
  id: 'blind-transfer',
  title: 'Blind transfer',
  description:
    'REFER to a second test number: 202, NOTIFY 100 then 200, and our leg ended by the trunk’s BYE.',
  async body(context, env, number) {
    const transferNumber = env.transferNumber;
    if (transferNumber === undefined) {
      return {
        status: 'skipped',
        summary: 'No transfer was tried: give a second test number with --transfer-number.',
      };
    }
    const probe = await ProbeCall.dial(context, env, { number, label: `Transfer call to ${number}` });
    const progress: TransferProgress[] = [];
    probe.call.on('transfer', (p) => progress.push(p));
    await probe.requireAnswer();
    await probe.pause(300);
    context.progress(0.3, `REFER to ${transferNumber}`);
    await probe.call.transfer({ kind: 'blind', to: transferNumber });
    await probe.waitFor(
      () => progress.some((p) => p.kind === 'leg-ended' || p.kind === 'failed' || p.kind === 'rejected'),
      LEG_END_TIMEOUT_MS,
    );
    await probe.finish();
    return blindTransferVerdict({ transferNumber, progress });
  },
});
