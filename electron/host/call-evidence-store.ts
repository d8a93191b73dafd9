// The softphone's evidence of each call, kept in the data folder for the diagnosis view: a PCAP (the call's SIP and
// media), the local audio capture (received and sent, 8 kHz 16-bit mono WAVs) and a small JSON sidecar with the
// DTMF markers and what happened to the capture (docs/adr/0104). One folder per call:
//
//   <dataDir>/captures/<callUuid>/evidence.json   sidecar: state, start, duration, DTMF, truncation, repair note
//                                 call.pcapng     SIP (TLS as UDP with its ports) + RTP/RTCP (SRTP decrypted)
//                                 received.wav    what we heard
//                                 sent.wav        what we sent
//
// Bounded: each call records at most `maxCallDurationMs` of audio and RTP (then says so in the sidecar), and the
// folder holds at most `maxTotalBytes` (oldest finished captures deleted first, leaving a tombstone sidecar so the
// view can say "deleted"). Crash-safe: a sidecar still saying `recording` at open belongs to a process that died;
// its WAVs get their header sizes written and its PCAP is cut to the last whole block, or the capture is dropped
// with a note — never a crash, never a half-written file served.
//
//   sidecar state:  recording ──(finish)──► complete ──(delete / size cap)──► deleted
//                       └──(found at open: a crash)──► complete + recovered note, or deleted (unrecoverable)

import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  atomicWriteJson,
  readJsonFile,
  systemClock,
  type Call,
  type Clock,
  type Disposable,
  type SipRecordInput,
  type SoftphoneUserAgent,
} from '../../sip-core/src/index.js';
import type { CallCaptureView, CaptureDtmfMarker } from '../common/index.js';
import { CallEvidenceRecording, CAPTURE_FILES, type RecordingSummary } from './call-evidence-recording.js';
import { completePcapngLength, planWavRepair, wavSizeFields } from './capture-repair.js';

export const DEFAULT_MAX_CALL_DURATION_MS = 10 * 60_000;
/** 200 MiB: about 45 ten-minute calls (a 10 min call is ~19 MB of audio plus its RTP in the PCAP). */
export const DEFAULT_MAX_TOTAL_BYTES = 200 * 1024 * 1024;
const DEFAULT_SIP_GRACE_MS = 1_500;
/** SIP kept from before any attach, for an inbound call's INVITE (traced before the call object exists). */
const RECENT_SIP_RECORDS = 64;
const SAMPLE_RATE_HZ = 8000;
const BYTES_PER_MS = (SAMPLE_RATE_HZ * 2) / 1000;
const SIDECAR_VERSION = 1;

export interface CallEvidenceStoreOptions {
  /** The app's data folder; captures go to `<dataDir>/captures`. */
  readonly dataDir: string;
  readonly clock?: Clock;
  readonly maxCallDurationMs?: number;
  /** Read at each prune, so a settings change applies to the next call. */
  readonly maxTotalBytes?: () => number;
  readonly sipGraceMs?: number;
  readonly application?: string;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

interface Sidecar {
  readonly version: number;
  readonly callUuid: string;
  readonly state: 'recording' | 'complete' | 'deleted';
  readonly startedAtMs: number;
  readonly durationMs?: number;
  readonly dtmf: readonly CaptureDtmfMarker[];
  readonly truncated?: { readonly atMs: number; readonly reason: string };
  readonly recovered?: string;
  readonly sipCallIds?: readonly string[];
  readonly deleted?: { readonly atMs: number; readonly reason: 'user' | 'size-cap' | 'unrecoverable' };
}

export class CallEvidenceStore implements Disposable {
  readonly directory: string;
  /** What the start-up repair did, one sentence each (also logged). */
  readonly recoveryNotes: readonly string[];
  readonly #options: CallEvidenceStoreOptions;
  readonly #clock: Clock;
  readonly #active = new Map<string, { recording: CallEvidenceRecording; done: Promise<void> }>();
  readonly #recentSip = new WeakMap<SoftphoneUserAgent, { records: SipRecordInput[]; watch: Disposable }>();
  readonly #watched = new Set<Disposable>();

  private constructor(options: CallEvidenceStoreOptions, directory: string, notes: string[]) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.directory = directory;
    this.recoveryNotes = notes;
  }

  /** Opens (creating, 0700) the captures folder and repairs what a crashed process left. Never throws for bad files. */
  static open(options: CallEvidenceStoreOptions): CallEvidenceStore {
    const directory = join(options.dataDir, 'captures');
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const notes = recoverCaptures(directory, (options.clock ?? systemClock).wallNow());
    for (const note of notes) options.log?.('warn', note);
    return new CallEvidenceStore(options, directory, notes);
  }

  /**
   * Keeps `ua`'s last SIP messages so that an inbound call's INVITE, traced before its `Call` exists, is in its
   * PCAP. `attach` starts this on its own; calling it when the user agent starts covers the very first call too.
   */
  watch(ua: SoftphoneUserAgent): Disposable {
    const existing = this.#recentSip.get(ua);
    if (existing !== undefined) return existing.watch;
    const records: SipRecordInput[] = [];
    const subscription = ua.trace.subscribe((record) => {
      if (record.kind !== 'message') return;
      records.push(record);
      if (records.length > RECENT_SIP_RECORDS) records.shift();
    });
    const watch: Disposable = {
      dispose: () => {
        subscription.dispose();
        this.#watched.delete(watch);
        this.#recentSip.delete(ua);
      },
    };
    this.#recentSip.set(ua, { records, watch });
    this.#watched.add(watch);
    return watch;
  }

  /**
   * Records `call` under `callId` (the id its history record and diagnosis use) until it ends; disposing stops it
   * early. The one line the host calls for every softphone call.
   */
  attach(callId: string, call: Call, ua: SoftphoneUserAgent): Disposable {
    const existing = this.#active.get(callId);
    if (existing !== undefined) return existing.recording;
    const earlierSip = [...(this.#recentSip.get(ua)?.records ?? [])];
    this.watch(ua);
    const folder = this.#folderOf(callId);
    rmSync(folder, { recursive: true, force: true });
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const startedAtMs = this.#clock.wallNow();
    const dtmf: CaptureDtmfMarker[] = [];
    const base = { version: SIDECAR_VERSION, callUuid: callId, startedAtMs } as const;
    this.#writeSidecar(folder, { ...base, state: 'recording', dtmf });
    let resolveDone!: () => void;
    const done = new Promise<void>((resolve) => (resolveDone = resolve));
    const recording = new CallEvidenceRecording({
      folder,
      call,
      ua,
      clock: this.#clock,
      maxDurationMs: this.#options.maxCallDurationMs ?? DEFAULT_MAX_CALL_DURATION_MS,
      sipGraceMs: this.#options.sipGraceMs ?? DEFAULT_SIP_GRACE_MS,
      earlierSip,
      application: this.#options.application ?? 'Trunkline',
      onDtmf: (marker) => {
        dtmf.push(marker);
        this.#writeSidecar(folder, { ...base, state: 'recording', dtmf });
      },
      onFinished: (summary: RecordingSummary) => {
        for (const problem of summary.problems) this.#log('warn', `capture of ${callId}: ${problem}`);
        this.#writeSidecar(folder, {
          ...base,
          state: 'complete',
          durationMs: summary.durationMs,
          dtmf: summary.dtmf,
          sipCallIds: summary.sipCallIds,
          ...(summary.truncated !== undefined ? { truncated: summary.truncated } : {}),
        });
        this.#active.delete(callId);
        this.prune();
        resolveDone();
      },
    });
    this.#active.set(callId, { recording, done });
    this.prune();
    return recording;
  }

  /** Resolves once the recording of `callId` (if any) has finished its files. */
  async settled(callId: string): Promise<void> {
    await this.#active.get(callId)?.done;
  }

  /** The state of `callUuid`'s capture from its sidecar alone (no audio read): for `hasCapture`. */
  captureState(callUuid: string): CallCaptureView['state'] {
    if (this.#active.has(callUuid)) return 'recording';
    const sidecar = readSidecar(this.#folderOf(callUuid));
    if (sidecar === undefined) return 'none';
    return sidecar.state === 'complete' ? 'available' : 'deleted';
  }

  /** What the diagnosis view shows for `callId`: the capture with its audio, or an honest empty state. */
  getCapture(callUuid: string): CallCaptureView {
    if (this.#active.has(callUuid)) return { state: 'recording', callUuid };
    const folder = this.#folderOf(callUuid);
    const sidecar = readSidecar(folder);
    if (sidecar === undefined) return { state: 'none', callUuid };
    const gone = (reason: 'user' | 'size-cap' | 'unrecoverable'): CallCaptureView => ({
      state: 'deleted',
      callUuid,
      deletedAtMs: sidecar.deleted?.atMs ?? sidecar.startedAtMs,
      reason,
    });
    if (sidecar.state !== 'complete') return gone(sidecar.deleted?.reason ?? 'unrecoverable');
    let received: Buffer;
    let sent: Buffer;
    try {
      received = readFileSync(join(folder, CAPTURE_FILES.received));
      sent = readFileSync(join(folder, CAPTURE_FILES.sent));
    } catch (error) {
      // Removed or unreadable behind our back: say it is gone rather than fail the diagnosis view.
      this.#log('warn', `the capture of ${callUuid} cannot be read: ${String(error)}`);
      return gone('unrecoverable');
    }
    return {
      state: 'available',
      callUuid,
      startedAtMs: sidecar.startedAtMs,
      durationMs: sidecar.durationMs ?? 0,
      sampleRateHz: SAMPLE_RATE_HZ,
      sizeBytes: folderBytes(folder),
      ...(sidecar.truncated !== undefined ? { truncated: sidecar.truncated } : {}),
      ...(sidecar.recovered !== undefined ? { recovered: sidecar.recovered } : {}),
      dtmf: sidecar.dtmf,
      hasPcap: existsSync(join(folder, CAPTURE_FILES.pcap)),
      received: { wavBase64: received.toString('base64'), sizeBytes: received.length },
      sent: { wavBase64: sent.toString('base64'), sizeBytes: sent.length },
    };
  }

  /** The finished PCAP of `callUuid`, read in chunks when iterated; undefined when there is none. */
  pcapChunks(callUuid: string): (() => Iterable<Uint8Array>) | undefined {
    if (this.#active.has(callUuid)) return undefined;
    const folder = this.#folderOf(callUuid);
    if (readSidecar(folder)?.state !== 'complete') return undefined;
    const path = join(folder, CAPTURE_FILES.pcap);
    if (!existsSync(path)) return undefined;
    return () => readChunks(path);
  }

  /** Deletes the capture of `callUuid` (stopping it first when it is being recorded); a tombstone stays. */
  async deleteCapture(callUuid: string): Promise<CallCaptureView> {
    const active = this.#active.get(callUuid);
    if (active !== undefined) {
      void active.recording.finish();
      await active.done;
    }
    const folder = this.#folderOf(callUuid);
    const sidecar = readSidecar(folder);
    if (sidecar === undefined) return { state: 'none', callUuid };
    if (sidecar.state !== 'deleted') this.#tombstone(folder, sidecar, 'user');
    return this.getCapture(callUuid);
  }

  /** Deletes the oldest finished captures until the folder is within the size cap. */
  prune(): void {
    const maxBytes = this.#options.maxTotalBytes?.() ?? DEFAULT_MAX_TOTAL_BYTES;
    const finished: Array<{ folder: string; sidecar: Sidecar; bytes: number }> = [];
    let total = 0;
    for (const name of safeReaddir(this.directory)) {
      const folder = join(this.directory, name);
      const bytes = folderBytes(folder);
      total += bytes;
      const sidecar = readSidecar(folder);
      if (sidecar?.state === 'complete' && !this.#active.has(sidecar.callUuid)) {
        finished.push({ folder, sidecar, bytes });
      }
    }
    finished.sort((a, b) => a.sidecar.startedAtMs - b.sidecar.startedAtMs);
    for (const capture of finished) {
      if (total <= maxBytes) break;
      this.#tombstone(capture.folder, capture.sidecar, 'size-cap');
      total -= capture.bytes - folderBytes(capture.folder);
      this.#log(
        'info',
        `capture of ${capture.sidecar.callUuid} deleted: the captures folder was over its size limit`,
      );
    }
  }

  /** Finishes every recording in progress (the host is closing). */
  async close(): Promise<void> {
    const pending = [...this.#active.values()];
    for (const { recording } of pending) void recording.finish();
    await Promise.all(pending.map(({ done }) => done));
    for (const watch of [...this.#watched]) watch.dispose();
  }

  dispose(): void {
    void this.close();
  }

  #tombstone(folder: string, sidecar: Sidecar, reason: 'user' | 'size-cap' | 'unrecoverable'): void {
    for (const file of [CAPTURE_FILES.pcap, CAPTURE_FILES.received, CAPTURE_FILES.sent]) {
      rmSync(join(folder, file), { force: true });
    }
    this.#writeSidecar(folder, {
      version: SIDECAR_VERSION,
      callUuid: sidecar.callUuid,
      startedAtMs: sidecar.startedAtMs,
      state: 'deleted',
      dtmf: [],
      deleted: { atMs: this.#clock.wallNow(), reason },
    });
  }

  #folderOf(callUuid: string): string {
    // Ids are ours (UUIDs, `call-7`), but a folder name must never be a path: anything else is hashed.
    const name = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/.test(callUuid)
      ? callUuid
      : `h-${createHash('sha256').update(callUuid).digest('hex').slice(0, 32)}`;
    return join(this.directory, name);
  }

  #writeSidecar(folder: string, sidecar: Sidecar): void {
    try {
      atomicWriteJson(join(folder, CAPTURE_FILES.sidecar), sidecar);
    } catch (error) {
      this.#log('warn', `the capture notes in ${folder} could not be written: ${String(error)}`);
    }
  }

  #log(level: 'info' | 'warn' | 'error', message: string): void {
    this.#options.log?.(level, message);
  }
}

function readSidecar(folder: string): Sidecar | undefined {
  try {
    return readJsonFile(join(folder, CAPTURE_FILES.sidecar), parseSidecar)?.value;
  } catch {
    return undefined;
  }
}

function parseSidecar(json: unknown): Sidecar {
  const value = json as Partial<Sidecar> | null;
  if (
    typeof value !== 'object' ||
    value === null ||
    value.version !== SIDECAR_VERSION ||
    typeof value.callUuid !== 'string' ||
    typeof value.startedAtMs !== 'number' ||
    !['recording', 'complete', 'deleted'].includes(value.state ?? '') ||
    !Array.isArray(value.dtmf)
  ) {
    throw new Error('not a capture sidecar');
  }
  return value as Sidecar;
}

function safeReaddir(directory: string): string[] {
  try {
    return readdirSync(directory);
  } catch {
    return [];
  }
}

function folderBytes(folder: string): number {
  let total = 0;
  for (const name of safeReaddir(folder)) {
    try {
      total += statSync(join(folder, name)).size;
    } catch {
      // Removed meanwhile.
    }
  }
  return total;
}

function* readChunks(path: string): Iterable<Uint8Array> {
  const fd = openSync(path, 'r');
  try {
    for (;;) {
      const buffer = Buffer.alloc(64 * 1024);
      const read = readSync(fd, buffer, 0, buffer.length, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

/** Repairs every capture a dead process left `recording`; returns one note per capture it touched. */
function recoverCaptures(directory: string, nowMs: number): string[] {
  const notes: string[] = [];
  for (const name of safeReaddir(directory)) {
    const folder = join(directory, name);
    try {
      if (!statSync(folder).isDirectory()) continue;
      const sidecar = readSidecar(folder);
      if (sidecar === undefined) {
        rmSync(folder, { recursive: true, force: true });
        notes.push(`A capture folder without readable notes (${name}) was removed.`);
        continue;
      }
      if (sidecar.state !== 'recording') continue;
      notes.push(repairCapture(folder, sidecar, nowMs));
    } catch (error) {
      rmSync(folder, { recursive: true, force: true });
      notes.push(`The capture ${name} could not be repaired and was removed (${String(error)}).`);
    }
  }
  return notes;
}

function repairCapture(folder: string, sidecar: Sidecar, nowMs: number): string {
  const dataBytes: number[] = [];
  for (const file of [CAPTURE_FILES.received, CAPTURE_FILES.sent]) {
    const repaired = repairWav(join(folder, file));
    if (!repaired.ok) {
      for (const f of [CAPTURE_FILES.pcap, CAPTURE_FILES.received, CAPTURE_FILES.sent]) {
        rmSync(join(folder, f), { force: true });
      }
      atomicWriteJson(join(folder, CAPTURE_FILES.sidecar), {
        ...sidecar,
        state: 'deleted',
        deleted: { atMs: nowMs, reason: 'unrecoverable' },
      } satisfies Sidecar);
      return `The capture of ${sidecar.callUuid} was cut by a crash and could not be repaired (${repaired.reason}); it was discarded.`;
    }
    dataBytes.push(repaired.dataBytes);
  }
  const pcapKept = repairPcapng(join(folder, CAPTURE_FILES.pcap));
  const durationMs = Math.floor(Math.min(...dataBytes) / BYTES_PER_MS);
  const recovered = `Trunkline stopped during this call; the capture was repaired and holds its first ${(durationMs / 1000).toFixed(1)} s${pcapKept ? '' : ' (its PCAP was unreadable and was removed)'}.`;
  atomicWriteJson(join(folder, CAPTURE_FILES.sidecar), {
    ...sidecar,
    state: 'complete',
    durationMs,
    recovered,
  } satisfies Sidecar);
  return `The capture of ${sidecar.callUuid}: ${recovered}`;
}

function repairWav(path: string): { ok: true; dataBytes: number } | { ok: false; reason: string } {
  if (!existsSync(path)) return { ok: false, reason: 'an audio file is missing' };
  const fd = openSync(path, 'r+');
  try {
    const header = Buffer.alloc(44);
    const read = readSync(fd, header, 0, header.length, 0);
    const plan = planWavRepair(header.subarray(0, read), statSync(path).size);
    if (!plan.ok) return plan;
    ftruncateSync(fd, plan.fileBytes);
    for (const field of wavSizeFields(plan.dataBytes)) writeSync(fd, field.value, 0, 4, field.offset);
    return { ok: true, dataBytes: plan.dataBytes };
  } finally {
    closeSync(fd);
  }
}

/** Cuts the PCAP to its whole blocks; removes it (false) when not even its header is whole. */
function repairPcapng(path: string): boolean {
  if (!existsSync(path)) return false;
  const bytes = readFileSync(path);
  const keep = completePcapngLength(bytes);
  if (keep === 0) {
    rmSync(path, { force: true });
    return false;
  }
  if (keep < bytes.length) {
    const fd = openSync(path, 'r+');
    try {
      ftruncateSync(fd, keep);
    } finally {
      closeSync(fd);
    }
  }
  return true;
}
