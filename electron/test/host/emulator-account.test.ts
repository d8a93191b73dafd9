// The emulator account editor in the host: a valid save is written atomically and applied by restarting the
// emulator (a caller ID that was refused with 4190 is then accepted); an invalid save lists every problem with
// its path and changes nothing; a corrupt file on start falls back to the demo account and is kept aside; and a
// password saved through the editor never comes back in clear.

import { createSocket, type Socket } from 'node:dgram';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EmulatorAccountDocument, EventMessage } from '../../common/index.js';
import { MemorySecretStore, PhoneService } from '../../host/index.js';
import { ACCOUNT_FILE_NAME } from '../../host/emulator-account-file.js';
import { PASSWORD_MASK } from '../../host/emulator-account-document.js';
import { DEMO_TRUNK_IDS } from '../../../sip-core/src/index.js';

const NEW_CALLER_ID = '+14155550177';
const ECHO_NUMBER = '+14155550111';
const SECRET = 'Fresh#Secret9';

const dirs: string[] = [];
const services: PhoneService[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-host-account-'));
  dirs.push(dir);
  return dir;
}

function open(dataDir = tempDir()): { service: PhoneService; messages: EventMessage[]; logs: string[] } {
  const logs: string[] = [];
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: '0.0.0-test',
    secrets: new MemorySecretStore(),
    log: (_level, message) => logs.push(message),
  });
  services.push(service);
  const messages: EventMessage[] = [];
  service.subscribe((message) => messages.push(message));
  return { service, messages, logs };
}

async function account(service: PhoneService): Promise<Record<string, unknown>> {
  const result = await service.invoke('emulator.getAccount');
  if (!result.ok) throw new Error(result.error.message);
  return JSON.parse(JSON.stringify(result.value)) as Record<string, unknown>;
}

function numbersOf(document: EmulatorAccountDocument): unknown[] {
  return document['numbers'] as unknown[];
}

/** The first final response to an INVITE from `from` to the echo number on the demo IP-ACL trunk. */
async function finalStatus(port: number, from: string): Promise<{ status: number; text: string }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const local = socket.address().port;
  const callId = `account-test-${Math.random().toString(16).slice(2)}`;
  const domain = `${DEMO_TRUNK_IDS.ipAcl}.zt.plivo.com`;
  const sdp = [
    'v=0',
    'o=- 1 1 IN IP4 127.0.0.1',
    's=-',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    'm=audio 40000 RTP/AVP 0',
    'a=rtpmap:0 PCMU/8000',
    '',
  ].join('\r\n');
  const invite = [
    `INVITE sip:${ECHO_NUMBER}@${domain} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${local};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:${from}@127.0.0.1>;tag=t-${callId}`,
    `To: <sip:${ECHO_NUMBER}@${domain}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:pbx@127.0.0.1:${local}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
  const final = new Promise<{ status: number; text: string }>((resolve) =>
    socket.on('message', (data) => {
      const text = data.toString('utf8');
      const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1] ?? 0);
      if (status >= 200) resolve({ status, text });
    }),
  );
  socket.send(invite, port, '127.0.0.1');
  return final;
}

function udpPort(status: { listeners: readonly { transport: string; port: number }[] }): number {
  const udp = status.listeners.find((l) => l.transport === 'udp');
  if (udp === undefined) throw new Error('no UDP listener');
  return udp.port;
}

describe('emulator.saveAccount', () => {
  it('saves a valid account, restarts the emulator with it, and a new caller ID is then accepted', async () => {
    const dataDir = tempDir();
    const { service, messages } = open(dataDir);
    const before = await service.emulatorSettled();
    const refused = await finalStatus(udpPort(before), NEW_CALLER_ID);
    expect(refused.status).toBe(403);
    expect(refused.text).toMatch(/X-ZT-Hangup-Code: 4190/i);

    const document = await account(service);
    const saved = await service.invoke('emulator.saveAccount', {
      ...document,
      numbers: [...numbersOf(document), { number: NEW_CALLER_ID, alias: 'New caller ID' }],
    });
    expect(saved.ok, saved.ok ? '' : JSON.stringify(saved.error)).toBe(true);
    expect(existsSync(join(dataDir, ACCOUNT_FILE_NAME))).toBe(true);

    const after = await service.emulatorSettled();
    expect(after.state).toBe('running');
    const states = messages.flatMap((m) => (m.event === 'emulator.status' ? [m.payload.state] : []));
    expect(states).toEqual(['starting', 'running', 'stopping', 'stopped', 'starting', 'running']);
    // The emulator profile follows the new port…
    const settings = await service.invoke('settings.get');
    const profile = settings.ok ? settings.value.profiles.find((p) => p.kind === 'emulator') : undefined;
    expect(profile?.port).toBe(udpPort(after));
    // …and offers the new number as a caller ID.
    expect(profile?.callerIds).toContain(NEW_CALLER_ID);
    const accepted = await finalStatus(udpPort(after), NEW_CALLER_ID);
    expect(accepted.status).toBe(200);
    // The pre-dial check reads the saved account too.
    const predicted = await service.invoke('calls.predict', {
      profileId: 'emulator',
      destination: ECHO_NUMBER,
      callerId: NEW_CALLER_ID,
    });
    expect(predicted.ok && predicted.value.warnings.map((w) => w.code)).not.toContain(4190);

    // A new host on the same folder serves the saved account.
    await service.close();
    const reopened = open(dataDir);
    await reopened.service.emulatorSettled();
    expect(JSON.stringify((await account(reopened.service))['numbers'])).toContain(NEW_CALLER_ID);
  });

  it('refuses an invalid account with every problem and its path, and changes nothing', async () => {
    const dataDir = tempDir();
    const { service, messages } = open(dataDir);
    const before = await service.emulatorSettled();
    const document = await account(service);
    const trunks = document['trunks'] as Record<string, unknown>[];
    const acls = document['ip_access_control_lists'] as Record<string, unknown>[];
    const uris = document['origination_uris'] as Record<string, unknown>[];
    const farEnd = document['far_end'] as Record<string, unknown>;
    const result = await service.invoke('emulator.saveAccount', {
      ...document,
      numbers: [...numbersOf(document), { number: 'not a number' }],
      ip_access_control_lists: [{ ...acls[0], ip_addresses: ['300.1.1.1/40'] }],
      origination_uris: [{ ...uris[0], uri: 'sip:' }, ...uris.slice(1)],
      trunks: [{ ...trunks[0], trunk_id: 'abc' }, ...trunks.slice(1)],
      settings: { ...(document['settings'] as object), ringTimeoutMs: -5 },
      far_end: {
        ...farEnd,
        numbers: [{ number: '12', name: 'Bad Name', scenario: { kind: 'reject', status: 200 } }],
      },
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_params');
    const paths = (result.error.issues ?? []).map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'numbers[6].number',
        'ip_access_control_lists[0].ip_addresses[0]',
        'origination_uris[0].uri',
        'trunks[0].trunk_id',
        'settings.ringTimeoutMs',
        'far_end.numbers[0].number',
        'far_end.numbers[0].name',
        'far_end.numbers[0].scenario.status',
      ]),
    );
    expect(existsSync(join(dataDir, ACCOUNT_FILE_NAME))).toBe(false);
    const states = messages.flatMap((m) => (m.event === 'emulator.status' ? [m.payload.state] : []));
    expect(states).toEqual(['starting', 'running']);
    expect(udpPort(await service.emulatorSettled())).toBe(udpPort(before));
    expect(await account(service)).toEqual(document);
  });

  it('never returns a saved password in clear, and a masked password sent back keeps the stored one', async () => {
    const dataDir = tempDir();
    const { service, logs } = open(dataDir);
    await service.emulatorSettled();
    const document = await account(service);
    const credentials = document['credentials'] as Record<string, unknown>[];
    const saved = await service.invoke('emulator.saveAccount', {
      ...document,
      credentials: [{ ...credentials[0], password: SECRET }, ...credentials.slice(1)],
    });
    expect(saved.ok).toBe(true);
    const shown = await account(service);
    expect(JSON.stringify(shown)).not.toContain(SECRET);
    expect((shown['credentials'] as Record<string, unknown>[])[0]?.['password']).toBe(PASSWORD_MASK);
    expect(JSON.stringify(saved)).not.toContain(SECRET);

    // Saved again unchanged (mask and all): the stored password survives; a new entry with a mask is refused.
    expect((await service.invoke('emulator.saveAccount', shown)).ok).toBe(true);
    expect(readFileSync(join(dataDir, ACCOUNT_FILE_NAME), 'utf8')).toContain(SECRET);
    const refused = await service.invoke('emulator.saveAccount', {
      ...shown,
      credentials: [
        ...(shown['credentials'] as object[]),
        { credential_uuid: 'new-one', username: 'newuser1', password: PASSWORD_MASK },
      ],
    });
    expect(!refused.ok && refused.error.issues?.map((i) => i.path)).toEqual(['credentials[2].password']);
    expect(JSON.stringify(refused)).not.toContain(SECRET);
    expect(logs.join('\n')).not.toContain(SECRET);

    // Reset: the demo account again, the saved file kept as .bak.
    const reset = await service.invoke('emulator.resetAccount');
    expect(reset.ok && reset.value['name']).toBe('Trunkline demo account');
    expect(existsSync(join(dataDir, ACCOUNT_FILE_NAME))).toBe(false);
    expect(existsSync(join(dataDir, `${ACCOUNT_FILE_NAME}.bak`))).toBe(true);
  });

  it('starts with the demo account when the saved file is corrupt, keeping the file aside', async () => {
    const dataDir = tempDir();
    const broken = '{ "account": { "numbers": [ torn';
    writeFileSync(join(dataDir, ACCOUNT_FILE_NAME), broken);
    const { service, messages } = open(dataDir);
    expect((await service.emulatorSettled()).state).toBe('running');
    expect((await account(service))['name']).toBe('Trunkline demo account');
    const aside = readdirSync(dataDir).find((f) => f.startsWith(`${ACCOUNT_FILE_NAME}.unusable-`));
    expect(aside).toBeDefined();
    expect(readFileSync(join(dataDir, aside ?? ''), 'utf8')).toBe(broken);
    const notice = messages.find((m) => m.event === 'host.notice');
    expect(notice?.event === 'host.notice' && notice.payload.code).toBe('emulator_account_unusable');
    expect(notice?.event === 'host.notice' && notice.payload.message).toContain(aside);
  });
});

/** A PBX on a UDP socket: it hands each INVITE to the test, which answers with `reply(status)`. */
async function fakePbx(): Promise<{ port: number; nextInvite: () => Promise<(status: number) => void> }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const waiting: ((reply: (status: number) => void) => void)[] = [];
  const arrived: ((status: number) => void)[] = [];
  socket.on('message', (data, from) => {
    const text = data.toString('utf8');
    if (!text.startsWith('INVITE ')) return;
    const headers = text.split('\r\n\r\n')[0]?.split('\r\n') ?? [];
    const copy = (name: string) => headers.filter((h) => h.toLowerCase().startsWith(`${name}:`));
    const reply = (status: number) => {
      const response = [
        `SIP/2.0 ${status} ${status === 503 ? 'Service Unavailable' : 'Busy Here'}`,
        ...copy('via'),
        ...copy('from'),
        ...copy('to').map((h) => `${h};tag=pbx`),
        ...copy('call-id'),
        ...copy('cseq'),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(response, from.port, from.address);
    };
    const taker = waiting.shift();
    if (taker) taker(reply);
    else arrived.push(reply);
  });
  return {
    port: socket.address().port,
    nextInvite: () => {
      const ready = arrived.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

describe('emulator.placeInbound', () => {
  it('returns the call id while the PBX still rings, then reports the failover and the failure as events', async () => {
    const { service, messages } = open();
    await service.emulatorSettled();
    const primary = await fakePbx();
    const fallback = await fakePbx();
    const document = await account(service);
    const uris = document['origination_uris'] as Record<string, unknown>[];
    const saved = await service.invoke('emulator.saveAccount', {
      ...document,
      origination_uris: [
        { ...uris[0], uri: `127.0.0.1:${primary.port};transport=udp` },
        { ...uris[1], uri: `127.0.0.1:${fallback.port};transport=udp` },
      ],
    });
    expect(saved.ok).toBe(true);
    await service.emulatorSettled();

    const placed = await service.invoke('emulator.placeInbound', {
      to: '+14155550100',
      from: '+14155550199',
    });
    expect(placed.ok).toBe(true);
    const callUuid = placed.ok ? placed.value.callUuid : '';
    const stages = () =>
      messages.flatMap((m) =>
        m.event === 'emulator.event' && m.payload.callUuid === callUuid && m.payload.kind === 'inbound_call'
          ? [String(m.payload.detail?.['stage'])]
          : [],
      );
    // The command has answered; the PBX has not: the INVITE is still to arrive or unanswered.
    const replyPrimary = await primary.nextInvite();
    expect(stages()).toEqual(['attempt']);
    replyPrimary(503);
    const replyFallback = await fallback.nextInvite();
    expect(stages()).toEqual(['attempt', 'failover', 'attempt']);
    replyFallback(486);
    for (let i = 0; i < 200 && !stages().includes('failed'); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const failed = messages.find(
      (m) =>
        m.event === 'emulator.event' &&
        m.payload.callUuid === callUuid &&
        m.payload.detail?.['stage'] === 'failed',
    );
    expect(failed?.event === 'emulator.event' && failed.payload.detail).toMatchObject({
      leg: 'fallback',
      sipStatus: 486,
    });
    expect(failed?.event === 'emulator.event' && failed.payload.detail?.['causeCode']).toBeTypeOf('number');
  });
});
