import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { CsvExport, EventMessage } from '../../common/index.js';
import { PHONE_API_COMMANDS } from '../../common/index.js';
import {
  FileSecretStore,
  MemorySecretStore,
  PhoneService,
  UNAVAILABLE_COMMANDS,
  type ExportDelivery,
} from '../../host/index.js';
import {
  ANSWERED_CALL_UUID,
  REJECTED_CALL_UUID,
  UNOWNED_CALLER_ID,
  seedDataDir,
} from '../support/seed-calls.js';

const dirs: string[] = [];
const services: PhoneService[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-host-'));
  dirs.push(dir);
  return dir;
}

/** Collects exports in memory, as a shell would stream them to a file or a download. */
class MemoryDelivery implements ExportDelivery {
  files: { fileName: string; contentType: string; text: string }[] = [];
  deliver(fileName: string, contentType: string, chunks: () => Iterable<string>): Promise<CsvExport> {
    this.files.push({ fileName, contentType, text: [...chunks()].join('') });
    return Promise.resolve({ kind: 'download', href: `/memory/${fileName}`, fileName });
  }
}

function open(dataDir = tempDir(), exports?: ExportDelivery): PhoneService {
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: '0.0.0-test',
    secrets: new MemorySecretStore(),
    ...(exports ? { exports } : {}),
  });
  services.push(service);
  return service;
}

afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('PhoneService', () => {
  it('starts on the emulator profile with no data folder yet', async () => {
    const service = open(join(tempDir(), 'new', 'folder'));
    const settings = await service.invoke('settings.get');
    expect(settings.ok && settings.value.selectedProfileId).toBe('emulator');
    const profiles = await service.invoke('profiles.list');
    expect(profiles.ok && profiles.value.map((p) => p.kind)).toEqual(['emulator']);
    const info = await service.invoke('app.info');
    expect(info.ok && info.value.features.softphone.available).toBe(true);
    expect(info.ok && info.value.features.history.available).toBe(true);
  });

  it('answers every command the UA, emulator and checks need with a typed unavailable error', async () => {
    const service = open();
    for (const command of Object.keys(UNAVAILABLE_COMMANDS)) {
      const result = await service.handle(command, undefined);
      expect(result.ok, command).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('unavailable');
        expect(result.error.missing).toMatch(/sip-core|electron/);
      }
    }
  });

  it('implements every command that is not listed as unavailable', async () => {
    const service = open(tempDir(), new MemoryDelivery());
    // The emulator's commands need it started: wait for the start begun on open.
    await service.emulatorSettled();
    // emulator.stop last, so the commands after it in the list still find the emulator running.
    const ordered = [...PHONE_API_COMMANDS.filter((c) => c !== 'emulator.stop'), 'emulator.stop' as const];
    for (const command of ordered) {
      if (command in UNAVAILABLE_COMMANDS) continue;
      const result = await service.handle(command, undefined);
      if (!result.ok) expect(result.error.code, command).not.toBe('unavailable');
    }
  });

  it.each([
    ['an unknown command', 'calls.teleport', undefined, 'unknown_command'],
    ['a non-string command', 42, undefined, 'unknown_command'],
    ['extra fields', 'history.list', { limit: 5, sql: 'drop' }, 'invalid_params'],
    ['a bad date', 'history.list', { filter: { dateFrom: '26/11/2026' } }, 'invalid_params'],
    ['a limit too large', 'history.list', { limit: 5000 }, 'invalid_params'],
    ['a missing call', 'diagnosis.get', { callUuid: 'nope' }, 'not_found'],
    ['a missing profile', 'calls.predict', { profileId: 'nope', destination: '+1' }, 'not_found'],
    ['gibberish to explain', 'diagnosis.explain', { query: 'why?' }, 'invalid_params'],
  ])('refuses %s with a stable code', async (_name, command, params, code) => {
    const result = await open().handle(command, params);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('lists seeded history with filters, newest first', async () => {
    const dataDir = tempDir();
    seedDataDir(dataDir);
    const service = open(dataDir);
    const all = await service.invoke('history.list', {});
    expect(all.ok && all.value.calls.map((c) => c.call_uuid)).toEqual([
      REJECTED_CALL_UUID,
      ANSWERED_CALL_UUID,
    ]);
    const rejected = await service.invoke('history.list', { filter: { hangupCauseCode: 4190 } });
    expect(rejected.ok && rejected.value.totalCount).toBe(1);
    const byNumber = await service.invoke('history.list', { filter: { number: '555 0111' } });
    expect(byNumber.ok && byNumber.value.calls.map((c) => c.call_uuid)).toEqual([ANSWERED_CALL_UUID]);
    const byDay = await service.invoke('history.list', { filter: { dateFrom: '2030-01-01' } });
    expect(byDay.ok && byDay.value.totalCount).toBe(0);
  });

  it('exports the filtered history as CSV through the shell delivery', async () => {
    const dataDir = tempDir();
    seedDataDir(dataDir);
    const delivery = new MemoryDelivery();
    const service = open(dataDir, delivery);
    const result = await service.invoke('history.exportCsv', { filter: { direction: 'outbound' } });
    expect(result.ok && result.value.kind).toBe('download');
    const [file] = delivery.files;
    expect(file?.fileName).toMatch(/^trunkline-calls-\d{8}T\d{6}Z\.csv$/);
    const lines = file.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^call_uuid,/);
    expect(lines).toHaveLength(3);
    expect(file.text).toContain(ANSWERED_CALL_UUID);
  });

  it('diagnoses a stored call: ladder with message text, explanation from the header, policy rule', async () => {
    const dataDir = tempDir();
    seedDataDir(dataDir);
    const service = open(dataDir);
    const answered = await service.invoke('diagnosis.get', { callUuid: ANSWERED_CALL_UUID });
    if (!answered.ok) throw new Error(answered.error.message);
    expect(answered.value.ladder?.arrows.map((a) => a.label)).toEqual([
      'INVITE',
      '100 Trying',
      '180 Ringing',
      '200 OK',
      'ACK',
      'BYE',
      '200 OK',
    ]);
    expect(answered.value.ladder?.arrows[0]?.text).toMatch(/^INVITE sip:/);
    expect(answered.value.explanation.hangupCode).toEqual({ code: 3000, origin: 'record' });
    expect(answered.value.media.received?.lost).toBe(2);

    const rejected = await service.invoke('diagnosis.get', { callUuid: REJECTED_CALL_UUID });
    if (!rejected.ok) throw new Error(rejected.error.message);
    expect(rejected.value.explanation.hangupCode).toEqual({ code: 4190, origin: 'header' });
    expect(rejected.value.explanation.causes[0]?.causeName).toBe('unknown_caller_id');
    expect(rejected.value.explanation.causes[0]?.remedy.length).toBeGreaterThan(10);
    expect(rejected.value.policyRule?.ruleId).toBe('caller-id-owned');
  });

  it('explains codes, statuses and names', async () => {
    const service = open();
    const code = await service.invoke('diagnosis.explain', { query: '4190' });
    expect(code.ok && code.value.causes[0]?.causeName).toBe('unknown_caller_id');
    const status = await service.invoke('diagnosis.explain', { query: '403' });
    expect(status.ok && status.value.causes.length).toBeGreaterThan(1);
  });

  it.each([
    ['+14155550111', true, 'US'],
    ['+44 20 7946 0000', true, 'GB'],
    ['4155550111', false, undefined],
    ['+999123', false, undefined],
  ])('classifies %s for the dial field', async (number, ok, country) => {
    const result = await open().invoke('numbers.classify', { number });
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.ok).toBe(ok);
    if (result.value.ok) expect(result.value.country).toBe(country);
    else expect(result.value.hint).toMatch(/4100|4120|digits/);
  });

  it('suggests the E.164 form of a national number in the profile country', async () => {
    const result = await open().invoke('numbers.classify', { number: '(415) 555-0111' });
    expect(result.ok && !result.value.ok && result.value.suggestion).toBe('+14155550111');
  });

  it('warns before dialling with a caller ID the emulator account does not own (4190)', async () => {
    const service = open();
    const owned = await service.invoke('calls.predict', {
      profileId: 'emulator',
      destination: '+14155550111',
      callerId: '+14155550101',
    });
    expect(owned.ok && owned.value.warnings).toEqual([]);
    const unowned = await service.invoke('calls.predict', {
      profileId: 'emulator',
      destination: '+14155550111',
      callerId: UNOWNED_CALLER_ID,
    });
    expect(unowned.ok && unowned.value.warnings.map((w) => w.code)).toContain(4190);
    expect(unowned.ok && unowned.value.knowledge).toBe('account');
  });

  it('saves, selects and deletes a Zentrunk profile; the password never appears', async () => {
    const dataDir = tempDir();
    const service = PhoneService.open({
      dataDir,
      shell: 'browser',
      appVersion: 't',
      secrets: new FileSecretStore(dataDir),
    });
    services.push(service);
    const saved = await service.invoke('profiles.save', {
      name: 'Office trunk',
      trunkDomain: '21784177241578.zt.plivo.com',
      proxyHost: '21784177241578.zt.plivo.com',
      port: 5061,
      transport: 'tls',
      srtp: 'mandatory',
      codecs: ['PCMU'],
      username: 'office',
      callerIds: ['+14155550101'],
      knowledge: { ownedNumbers: ['+14155550101'] },
    });
    if (!saved.ok) throw new Error(saved.error.message);
    const id = saved.value.id;
    expect(saved.value.hasPassword).toBe(false);
    const withPassword = await service.invoke('profiles.setPassword', {
      profileId: id,
      password: 'S3cret-pw!',
    });
    expect(withPassword.ok && withPassword.value.hasPassword).toBe(true);
    expect(readFileSync(join(dataDir, 'settings.json'), 'utf8')).not.toContain('S3cret-pw!');
    expect(inspect(service)).not.toContain('S3cret-pw!');
    expect((await service.invoke('settings.update', { selectedProfileId: id })).ok).toBe(true);

    // A fresh host reads the same settings from disk.
    await service.close();
    const again = open(dataDir);
    const settings = await again.invoke('settings.get');
    expect(settings.ok && settings.value.selectedProfileId).toBe(id);

    expect((await again.invoke('profiles.delete', { profileId: id })).ok).toBe(true);
    const after = await again.invoke('settings.get');
    expect(after.ok && after.value.selectedProfileId).toBe('emulator');
    const deleteEmulator = await again.invoke('profiles.delete', { profileId: 'emulator' });
    expect(!deleteEmulator.ok && deleteEmulator.error.code).toBe('invalid_params');
  });

  it.each([
    ['torn JSON', '{"version": 1, "theme": '],
    ['valid JSON of the wrong shape', '{"version": 7}'],
    ['an empty file', ''],
  ])('starts with defaults and a clear event when settings.json holds %s', async (_name, text) => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'settings.json'), text);
    const service = open(dataDir);
    const events: EventMessage[] = [];
    service.subscribe((m) => events.push(m));
    const recovered = events.find((e) => e.event === 'settings.recovered');
    expect(recovered?.payload && 'message' in recovered.payload && recovered.payload.message).toMatch(
      /default settings/,
    );
    const settings = await service.invoke('settings.get');
    expect(settings.ok && settings.value.selectedProfileId).toBe('emulator');
    expect(readdirSync(dataDir).some((f) => f.startsWith('settings.json.unusable-'))).toBe(true);
    // Saving works again afterwards.
    expect((await service.invoke('settings.update', { theme: 'dark' })).ok).toBe(true);
  });

  it('moves a corrupt call database aside and starts a new one, with a notice', async () => {
    const dataDir = tempDir();
    writeFileSync(
      join(dataDir, 'trunkline.sqlite3'),
      'this is not a database, it is a plain text file '.repeat(200),
    );
    const service = open(dataDir);
    const events: EventMessage[] = [];
    service.subscribe((m) => events.push(m));
    expect(events.map((e) => e.event)).toContain('host.notice');
    const list = await service.invoke('history.list', {});
    expect(list.ok && list.value.totalCount).toBe(0);
  });

  it('keeps a SIP password file private (0600)', () => {
    const dataDir = tempDir();
    const secrets = new FileSecretStore(dataDir);
    secrets.set('sip-password:x', 'pw');
    expect(statSync(join(dataDir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(secrets.get('sip-password:x')).toBe('pw');
    expect(inspect(secrets)).not.toContain('pw');
  });
});
