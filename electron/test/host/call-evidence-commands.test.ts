// The diagnosis view's evidence commands through PhoneService: a stored call without a local capture (an
// emulator-side call) exports a PCAP built from its SIP trace and has the `none` capture state; a call with a local
// capture serves its audio and DTMF markers, exports exactly its recorded PCAP, and can be deleted (then `deleted`);
// the web shell delivers the PCAP as a one-time binary download behind the session cookie.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeCaptureBytes } from '../../../sip-core/src/index.js';
import type { CsvExport, ResultMessage } from '../../common/index.js';
import { MemorySecretStore, PhoneService, type ExportDelivery } from '../../host/index.js';
import { seedCapture } from '../support/seed-captures.js';
import { ANSWERED_CALL_UUID, REJECTED_CALL_UUID, seedDataDir } from '../support/seed-calls.js';
import {
  rawGet,
  sessionCookieOf,
  startHarness,
  TestSocket,
  type Harness,
} from '../support/web-shell-harness.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Keeps delivered files as bytes, as a shell streams them to disk or a download. */
class BinaryDelivery implements ExportDelivery {
  readonly files: { fileName: string; contentType: string; bytes: Buffer }[] = [];
  deliver(fileName: string, contentType: string, chunks: () => Iterable<string | Uint8Array>) {
    const bytes = Buffer.concat([...chunks()].map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
    this.files.push({ fileName, contentType, bytes });
    return Promise.resolve<CsvExport>({ kind: 'download', href: `/memory/${fileName}`, fileName });
  }
}

function openService(seed: (dataDir: string) => void, exports?: ExportDelivery) {
  const dataDir = mkdtempSync(join(tmpdir(), 'trunkline-evidence-host-'));
  seed(dataDir);
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: '0.0.0-test',
    secrets: new MemorySecretStore(),
    startEmulator: false,
    ...(exports ? { exports } : {}),
  });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => service.close());
  return { service, dataDir };
}

describe('PhoneService evidence commands', () => {
  it('an emulator-side call: no local capture, its PCAP built from the stored SIP trace', async () => {
    const delivery = new BinaryDelivery();
    const { service } = openService((dir) => void seedDataDir(dir), delivery);
    expect(await service.invoke('diagnosis.getCapture', { callUuid: REJECTED_CALL_UUID })).toEqual({
      ok: true,
      value: { state: 'none', callUuid: REJECTED_CALL_UUID },
    });
    const diagnosis = await service.invoke('diagnosis.get', { callUuid: REJECTED_CALL_UUID });
    expect(diagnosis.ok && diagnosis.value.hasCapture).toBe(false);

    const exported = await service.invoke('diagnosis.exportPcap', { callUuid: REJECTED_CALL_UUID });
    expect(exported).toMatchObject({ ok: true, value: { kind: 'download' } });
    const file = delivery.files[0];
    expect(file.fileName).toBe(`trunkline-${REJECTED_CALL_UUID}.pcapng`);
    expect(file.contentType).toBe('application/x-pcapng');
    const analysis = analyzeCaptureBytes(file.bytes);
    const statuses = analysis.calls[0].messages.map(({ message }) =>
      message.kind === 'request' ? message.method : message.statusCode,
    );
    expect(statuses).toEqual(expect.arrayContaining(['INVITE', 403, 'ACK']));
  });

  it('a softphone call with a capture: audio and DTMF served, its own PCAP exported, then deleted', async () => {
    const delivery = new BinaryDelivery();
    const dtmf = [{ direction: 'sent' as const, digit: '5', offsetMs: 500 }];
    const { service, dataDir } = openService((dir) => {
      seedDataDir(dir);
      seedCapture(dir, ANSWERED_CALL_UUID, 1_000, 2, { receivedHz: 440, sentHz: 1000, dtmf });
    }, delivery);
    const capture = await service.invoke('diagnosis.getCapture', { callUuid: ANSWERED_CALL_UUID });
    if (!capture.ok || capture.value.state !== 'available') throw new Error('no capture');
    expect(capture.value).toMatchObject({ durationMs: 2_000, sampleRateHz: 8000, dtmf, hasPcap: true });
    expect(Buffer.from(capture.value.received.wavBase64, 'base64').subarray(0, 4).toString()).toBe('RIFF');
    const diagnosis = await service.invoke('diagnosis.get', { callUuid: ANSWERED_CALL_UUID });
    expect(diagnosis.ok && diagnosis.value.hasCapture).toBe(true);

    await service.invoke('diagnosis.exportPcap', { callUuid: ANSWERED_CALL_UUID });
    const recorded = readFileSync(join(dataDir, 'captures', ANSWERED_CALL_UUID, 'call.pcapng'));
    expect(delivery.files[0].bytes.equals(recorded)).toBe(true);

    const deleted = await service.invoke('diagnosis.deleteCapture', { callUuid: ANSWERED_CALL_UUID });
    expect(deleted).toMatchObject({ ok: true, value: { state: 'deleted', reason: 'user' } });
    expect(await service.invoke('diagnosis.getCapture', { callUuid: ANSWERED_CALL_UUID })).toMatchObject({
      ok: true,
      value: { state: 'deleted' },
    });
    // The SIP the history kept still exports.
    expect((await service.invoke('diagnosis.exportPcap', { callUuid: ANSWERED_CALL_UUID })).ok).toBe(true);
  });

  it.each([
    ['an unknown call', 'diagnosis.exportPcap', { callUuid: 'nope' }, 'not_found', true],
    [
      'no delivery in this shell',
      'diagnosis.exportPcap',
      { callUuid: REJECTED_CALL_UUID },
      'unavailable',
      false,
    ],
    ['an over-long call id', 'diagnosis.getCapture', { callUuid: 'x'.repeat(200) }, 'invalid_params', true],
    ['extra fields', 'diagnosis.deleteCapture', { callUuid: 'a', all: true }, 'invalid_params', true],
  ] as const)('refuses %s', async (_name, command, params, code, withDelivery) => {
    const { service } = openService(
      (dir) => void seedDataDir(dir),
      withDelivery ? new BinaryDelivery() : undefined,
    );
    const result = await service.handle(command, params);
    expect(!result.ok && result.error.code).toBe(code);
  });
});

describe('the captures size limit setting', () => {
  it('is validated, persisted, and applied at once (oldest capture deleted first)', async () => {
    const { service } = openService((dir) => {
      seedDataDir(dir);
      // Two captures of ~22 MB (11 min of audio per track): 44 MB in all.
      seedCapture(dir, 'older', 1_000, 660);
      seedCapture(dir, 'newer', 2_000, 660);
    });
    const tooSmall = await service.invoke('settings.update', { captureMaxTotalMb: 5 });
    expect(!tooSmall.ok && tooSmall.error.code).toBe('invalid_params');
    expect((await service.invoke('diagnosis.getCapture', { callUuid: 'older' })).ok).toBe(true);
    const saved = await service.invoke('settings.update', { captureMaxTotalMb: 30 });
    expect(saved.ok && saved.value.captureMaxTotalMb).toBe(30);
    expect(await service.invoke('diagnosis.getCapture', { callUuid: 'older' })).toMatchObject({
      ok: true,
      value: { state: 'deleted', reason: 'size-cap' },
    });
    expect(await service.invoke('diagnosis.getCapture', { callUuid: 'newer' })).toMatchObject({
      ok: true,
      value: { state: 'available' },
    });
  });
});

describe('the web shell delivers a PCAP', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('as a one-time binary download that needs the session cookie', async () => {
    harness = await startHarness((dir) => {
      seedDataDir(dir);
      seedCapture(dir, ANSWERED_CALL_UUID, 1_000, 1);
    });
    const cookie = await sessionCookieOf(harness);
    const socket = await TestSocket.connect(harness.port, {
      Cookie: cookie,
      Origin: `http://127.0.0.1:${harness.port}`,
    });
    cleanups.push(() => socket.close());
    await socket.next((m) => m.type === 'hello');
    socket.ws.send(
      JSON.stringify({
        type: 'command',
        id: 1,
        command: 'diagnosis.exportPcap',
        params: { callUuid: ANSWERED_CALL_UUID },
      }),
    );
    const answer = (await socket.result(1)) as ResultMessage;
    const exported = answer.result as { ok: boolean; value: CsvExport };
    if (!exported.ok || exported.value.kind !== 'download') throw new Error('no download link');
    expect((await rawGet(harness.port, exported.value.href)).status).toBe(401);
    const download = await rawGet(harness.port, exported.value.href, { Cookie: cookie });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/x-pcapng');
    const recorded = readFileSync(join(harness.dataDir, 'captures', ANSWERED_CALL_UUID, 'call.pcapng'));
    expect(download.bytes.equals(recorded)).toBe(true);
    expect((await rawGet(harness.port, exported.value.href, { Cookie: cookie })).status).toBe(410);
  });
});
