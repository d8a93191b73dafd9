// The host's embedded emulator: started on open on free loopback ports, the commands that control it, its
// events forwarded to the UI, its CDRs in the host's history, and its ports freed by close().

import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventMessage } from '../../common/index.js';
import { MemorySecretStore, PhoneService } from '../../host/index.js';
import { DEMO_TRUNK_IDS } from '../../../sip-core/src/index.js';

const dirs: string[] = [];
const services: PhoneService[] = [];
const sockets: Socket[] = [];

function open(
  options: { startEmulator?: boolean } = {},
  dataDir = tempDir(),
): { service: PhoneService; messages: EventMessage[] } {
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: '0.0.0-test',
    secrets: new MemorySecretStore(),
    ...options,
  });
  services.push(service);
  const messages: EventMessage[] = [];
  service.subscribe((message) => messages.push(message));
  return { service, messages };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-host-emulator-'));
  dirs.push(dir);
  return dir;
}

async function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  for (let i = 0; i < 400; i += 1) {
    const value = probe();
    if (value !== undefined) return value;
    await nextTurn();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

/** An INVITE to the demo IP-ACL trunk for a barred destination (Cuba): refused with a CDR. */
function barredInvite(port: number, localPort: number): string {
  const callId = `host-test-${Math.random().toString(16).slice(2)}`;
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
  return [
    `INVITE sip:+5372345678@${domain} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${localPort};branch=z9hG4bK-${callId};rport`,
    'Max-Forwards: 70',
    `From: <sip:+14155550101@127.0.0.1>;tag=t-${callId}`,
    `To: <sip:+5372345678@${domain}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:pbx@127.0.0.1:${localPort}>`,
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(sdp)}`,
    '',
    sdp,
  ].join('\r\n');
}

async function udpSocket(): Promise<Socket> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket;
}

afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('PhoneService embedded emulator', () => {
  it('starts on open on loopback with free ports, and the emulator profile dials its UDP port', async () => {
    const { service, messages } = open();
    const status = await service.emulatorSettled();
    expect(status.state).toBe('running');
    expect(status.listeners.map((l) => l.transport).sort()).toEqual(['tcp', 'tls', 'udp']);
    for (const l of status.listeners) {
      expect(l.address).toBe('127.0.0.1');
      expect(l.port).toBeGreaterThan(0);
    }
    const udp = status.listeners.find((l) => l.transport === 'udp');
    const settings = await service.invoke('settings.get');
    const profile = settings.ok ? settings.value.profiles.find((p) => p.kind === 'emulator') : undefined;
    expect(profile?.port).toBe(udp?.port);
    expect(profile?.proxyHost).toBe('127.0.0.1');
    const states = messages.flatMap((m) => (m.event === 'emulator.status' ? [m.payload.state] : []));
    expect(states).toEqual(['starting', 'running']);
    const info = await service.invoke('app.info');
    expect(info.ok && info.value.features.emulator.available).toBe(true);
  });

  it('answers the emulator commands: status, account, CA export, live calls, recent events', async () => {
    const { service } = open();
    await service.emulatorSettled();
    const status = await service.invoke('emulator.status');
    expect(status.ok && status.value.state).toBe('running');
    const account = await service.invoke('emulator.getAccount');
    expect(account.ok && JSON.stringify(account.value)).toContain(DEMO_TRUNK_IDS.ipAcl);
    expect(account.ok && JSON.stringify(account.value['far_end_numbers'])).toContain('+14155550111');
    expect(account.ok && JSON.stringify(account.value['credentials'])).toContain('Trunkline#2026');
    const ca = await service.invoke('emulator.exportCa');
    expect(ca.ok && ca.value.pem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(ca.ok && ca.value.fileName).toMatch(/\.pem$/);
    expect(await service.invoke('emulator.liveCalls')).toEqual({ ok: true, value: [] });
    expect((await service.invoke('emulator.recentEvents', { limit: 5 })).ok).toBe(true);
    const bad = await service.handle('emulator.recentEvents', { limit: -1 });
    expect(bad.ok || bad.error.code).toBe('invalid_params');
    const saving = await service.handle('emulator.saveAccount', 'not an account');
    expect(saving.ok || saving.error.code).toBe('invalid_params');
  });

  it('forwards a refused call as events and records its CDR in the history', async () => {
    const { service, messages } = open();
    const status = await service.emulatorSettled();
    const udp = status.listeners.find((l) => l.transport === 'udp');
    if (udp === undefined) throw new Error('no UDP listener');
    const pbx = await udpSocket();
    const responses: string[] = [];
    pbx.on('message', (data) => responses.push(data.toString('utf8')));
    pbx.send(barredInvite(udp.port, pbx.address().port), udp.port, udp.address);

    const recorded = await waitFor(
      () => messages.find((m) => m.event === 'history.recorded'),
      'history.recorded',
    );
    const callUuid = recorded.event === 'history.recorded' ? recorded.payload.callUuid : '';
    expect(responses.some((r) => /^SIP\/2\.0 403/.test(r))).toBe(true);
    const kinds = messages.flatMap((m) => (m.event === 'emulator.event' ? [m.payload.kind] : []));
    expect(kinds).toContain('policy_decision');
    expect(kinds).toContain('cdr_written');
    const history = await service.invoke('history.list', {});
    expect(history.ok && history.value.calls.map((c) => c.call_uuid)).toContain(callUuid);
    const recent = await service.invoke('emulator.recentEvents', {});
    expect(recent.ok && recent.value.some((e) => e.kind === 'cdr_written' && e.callUuid === callUuid)).toBe(
      true,
    );
  });

  it('stops and starts on command, and close() stops it and frees its ports', async () => {
    const { service } = open();
    const running = await service.emulatorSettled();
    const stopped = await service.invoke('emulator.stop');
    expect(stopped.ok && stopped.value).toMatchObject({ state: 'stopped', listeners: [] });
    const live = await service.invoke('emulator.placeInbound', { to: '+14155550100', from: '+14155550199' });
    expect(live.ok || live.error.code).toBe('unavailable');
    const again = await service.invoke('emulator.start');
    expect(again.ok && again.value.state).toBe('running');
    const udp = again.ok ? again.value.listeners.find((l) => l.transport === 'udp') : undefined;
    expect(udp).toBeDefined();
    await service.close();
    // The port is free again: binding it succeeds.
    const probe = createSocket('udp4');
    sockets.push(probe);
    await new Promise<void>((resolve, reject) => {
      probe.once('error', reject);
      probe.bind(udp?.port ?? 0, '127.0.0.1', resolve);
    });
    expect(running.state).toBe('running');
  });

  it('does not start when asked not to, and a failure to start is a state, not a crash', async () => {
    const { service } = open({ startEmulator: false });
    expect((await service.emulatorSettled()).state).toBe('stopped');
    expect((await service.invoke('emulator.exportCa')).ok).toBe(false);
  });

  it('reports a failure to start as the failed state with its reason; the rest of the host works', async () => {
    const dataDir = tempDir();
    // A file where the emulator keeps its TLS material makes the start fail.
    writeFileSync(join(dataDir, 'emulator-tls'), 'not a folder');
    const { service, messages } = open({}, dataDir);
    const status = await service.emulatorSettled();
    expect(status.state).toBe('failed');
    expect(status.problem).toMatch(/could not start/);
    expect(messages.some((m) => m.event === 'emulator.status' && m.payload.state === 'failed')).toBe(true);
    expect((await service.invoke('settings.get')).ok).toBe(true);
    const retry = await service.invoke('emulator.start');
    expect(retry.ok && retry.value.state).toBe('failed');
  });

  it('keeps it stopped on the next open when the user turned starting with the app off', async () => {
    const dataDir = tempDir();
    const first = open({}, dataDir).service;
    await first.emulatorSettled();
    const off = await first.invoke('settings.update', { emulatorStartsOnOpen: false });
    expect(off.ok && off.value.emulatorStartsOnOpen).toBe(false);
    await first.close();
    const second = open({}, dataDir).service;
    expect((await second.emulatorSettled()).state).toBe('stopped');
    const on = await second.invoke('emulator.start');
    expect(on.ok && on.value.state).toBe('running');
  });
});
