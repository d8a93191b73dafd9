// The diagnosis view's evidence commands over the CallEvidenceStore: `diagnosis.getCapture` (the local capture with
// its audio, or an honest empty state), `diagnosis.deleteCapture`, and `diagnosis.exportPcap` — the softphone's
// own capture of the call when there is one, else a PCAP built from the SIP trace the history kept (an
// emulator-side call has no local media: its PCAP is its SIP), handed to the shell's delivery (a one-time
// download link in browser mode, a save dialog in Electron).

import { MemoryPcapSink, PcapRecorder, type StoredSipMessage } from '../../sip-core/src/index.js';
import type { CallCaptureView, CsvExport } from '../common/index.js';
import type { CallEvidenceStore } from './call-evidence-store.js';

/** What the commands need from the host. */
export interface EvidenceCommandContext {
  readonly evidence: CallEvidenceStore;
  /** The stored SIP trace of a call in the history; undefined when the history has no such call. */
  sipTraceOf(callUuid: string): readonly StoredSipMessage[] | undefined;
  /** The shell's delivery; undefined when this shell cannot save files. */
  deliver(fileName: string, contentType: string, chunks: () => Iterable<Uint8Array>): Promise<CsvExport>;
  /** A contract error: `not_found` for an unknown call. */
  notFound(message: string): Error;
  application: string;
}

export const PCAPNG_CONTENT_TYPE = 'application/x-pcapng';

export function evidenceHandlers(context: EvidenceCommandContext) {
  return {
    'diagnosis.getCapture': ({ callUuid }: { readonly callUuid: string }): CallCaptureView =>
      context.evidence.getCapture(callUuid),
    'diagnosis.deleteCapture': ({ callUuid }: { readonly callUuid: string }): Promise<CallCaptureView> =>
      context.evidence.deleteCapture(callUuid),
    'diagnosis.exportPcap': ({ callUuid }: { readonly callUuid: string }): Promise<CsvExport> => {
      const fileName = `trunkline-${callUuid.replace(/[^\w.-]/g, '_')}.pcapng`;
      const local = context.evidence.pcapChunks(callUuid);
      if (local !== undefined) return context.deliver(fileName, PCAPNG_CONTENT_TYPE, local);
      const trace = context.sipTraceOf(callUuid);
      if (trace === undefined || trace.length === 0) {
        throw context.notFound(`The call ${callUuid} has no SIP trace or local capture to export.`);
      }
      const bytes = pcapOfTrace(trace, context.application);
      return context.deliver(fileName, PCAPNG_CONTENT_TYPE, () => [bytes]);
    },
  };
}

/** A pcapng of stored SIP messages (SIP only; TLS/TCP carried as UDP with their ports, SDES keys masked). */
export function pcapOfTrace(trace: readonly StoredSipMessage[], application: string): Uint8Array {
  const sink = new MemoryPcapSink();
  const recorder = new PcapRecorder(sink, { application });
  for (const message of trace) recorder.writeSip(message);
  void recorder.close();
  return sink.bytes();
}
