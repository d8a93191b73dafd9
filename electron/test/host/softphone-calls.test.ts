// The softphone in the host against the host's own embedded emulator (real UDP on loopback): the call commands
// and events, the audio frame bridge both ways, the softphone's record of each ended call in History, OPTIONS
// through the 15 s guard, and bad audio frames counted and dropped.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AUDIO_FRAME_SAMPLES,
  type AudioFrame,
  type CallSnapshot,
  type EventMessage,
} from '../../common/index.js';
import { MemorySecretStore, PhoneService } from '../../host/index.js';
import { ECHO_CALL_LADDER } from '../support/echo-call-ladder.js';

const ECHO = '+14155550111';
const QUICK_RING = '+14155550190';
const OWNED_CALLER_ID = '+14155550101';
const UNOWNED_CALLER_ID = '+14155559999';

const dirs: string[] = [];
const services: PhoneService[] = [];

afterEach(async () => {
  for (const s of services.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function openWithEmulator(): Promise<{ service: PhoneService; messages: EventMessage[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trunkline-host-calls-'));
  dirs.push(dataDir);
  const service = PhoneService.open({
    dataDir,
    shell: 'browser',
    appVersion: '0.0.0-test',
    secrets: new MemorySecretStore(),
  });
  services.push(service);
  const messages: EventMessage[] = [];
  service.subscribe((message) => messages.push(message));
  const status = await service.emulatorSettled();
  expect(status.state).toBe('running');
  return { service, messages };
}

async function waitFor<T>(
  probe: () => T | undefined,
  what: string,
  timeoutMs = 15_000,
  lastSeen: () => unknown = () => undefined,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      // What was seen instead says whether the call failed or was merely slow (a loaded machine).
      throw new Error(`Timed out waiting for ${what}; last seen: ${JSON.stringify(lastSeen())}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function lastSnapshot(messages: EventMessage[], callId: string): CallSnapshot | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.event === 'call.updated' && m.payload.callId === callId) return m.payload;
  }
  return undefined;
}

function until(messages: EventMessage[], callId: string, test: (s: CallSnapshot) => boolean, what: string) {
  return waitFor(
    () => {
      const s = lastSnapshot(messages, callId);
      return s !== undefined && test(s) ? s : undefined;
    },
    what,
    15_000,
    () => lastSnapshot(messages, callId),
  );
}

async function dial(service: PhoneService, destination: string, callerId = OWNED_CALLER_ID) {
  const result = await service.invoke('calls.dial', { profileId: 'emulator', destination, callerId });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function toneFrame(callId: string, sequence: number): AudioFrame {
  const samples = new Int16Array(AUDIO_FRAME_SAMPLES);
  for (let i = 0; i < samples.length; i++) {
    const n = sequence * AUDIO_FRAME_SAMPLES + i;
    samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * n) / 8000));
  }
  return { callId, sequence, samples };
}

/** Goertzel power of `hz` relative to the frame's total power (0…1). */
function toneShare(samples: Int16Array, hz: number): number {
  const k = 2 * Math.cos((2 * Math.PI * hz) / 8000);
  let s1 = 0;
  let s2 = 0;
  let total = 0;
  for (const x of samples) {
    const s0 = x + k * s1 - s2;
    s2 = s1;
    s1 = s0;
    total += x * x;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return total === 0 ? 0 : (2 * power) / (samples.length * total);
}

describe('SoftphoneCalls in the host', () => {
  it('reports softphone and audio as available', async () => {
    const { service } = await openWithEmulator();
    const info = await service.invoke('app.info');
    expect(info.ok && info.value.features.softphone.available).toBe(true);
    expect(info.ok && info.value.features.audio.available).toBe(true);
  });

  it('calls the echo number: events, our 440 Hz frames echoed back, hangup, a softphone CDR with its ladder', async () => {
    const { service, messages } = await openWithEmulator();
    const received: AudioFrame[] = [];
    service.onAudio((frame) => received.push(frame));
    const dialled = await dial(service, ECHO);
    expect(dialled).toMatchObject({ direction: 'outbound', remoteNumber: ECHO, callerId: OWNED_CALLER_ID });
    const connected = await until(messages, dialled.callId, (s) => s.state === 'connected', 'connected');
    expect(connected.media.codec).toBe('PCMU');
    expect((await service.invoke('calls.list')).ok).toBe(true);

    let sequence = 0;
    const mic = setInterval(() => service.pushAudio(toneFrame(dialled.callId, sequence++)), 20);
    try {
      await waitFor(
        () => received.find((f) => f.callId === dialled.callId && toneShare(f.samples, 440) > 0.8),
        'an echoed 440 Hz frame',
      );
    } finally {
      clearInterval(mic);
    }

    const hangup = await service.invoke('calls.hangup', { callId: dialled.callId });
    expect(hangup.ok).toBe(true);
    const ended = await until(messages, dialled.callId, (s) => s.state === 'ended', 'ended');
    expect(ended.hangup).toMatchObject({ causeName: 'normal_hangup' });
    await waitFor(
      () => messages.find((m) => m.event === 'history.recorded' && m.payload.callUuid === dialled.callId),
      'the softphone record',
    );
    const history = await service.invoke('history.list', { filter: { recordedBy: 'softphone' } });
    expect(history.ok && history.value.calls.map((c) => c.call_uuid)).toContain(dialled.callId);
    const diagnosis = await service.invoke('diagnosis.get', { callUuid: dialled.callId });
    if (!diagnosis.ok) throw new Error(diagnosis.error.message);
    const labels = (diagnosis.value.ladder?.arrows ?? [])
      .filter((a) => !a.retransmission)
      .map((a) => a.label);
    // The demo credential trunk's 407 round, then the authenticated INVITE: 100 Trying once admitted, 180 Ringing
    // before the echo number's immediate answer (docs/adr/0088).
    expect(labels).toEqual(ECHO_CALL_LADDER);
  });

  it('sends DTMF the emulator hears, holds and resumes, mutes', async () => {
    const { service, messages } = await openWithEmulator();
    const { callId } = await dial(service, ECHO);
    await until(messages, callId, (s) => s.state === 'connected', 'connected');
    expect((await service.invoke('calls.sendDtmf', { callId, digits: ['1', '2', '#'] })).ok).toBe(true);
    await waitFor(() => {
      const dtmf = messages.filter((m) => m.event === 'emulator.event' && m.payload.kind === 'dtmf');
      return dtmf.length >= 3 ? dtmf : undefined;
    }, 'three digits at the emulator');

    const held = await service.invoke('calls.hold', { callId });
    expect(held.ok && held.value.state).toBe('on-hold');
    const resumed = await service.invoke('calls.resume', { callId });
    expect(resumed.ok && resumed.value.state).toBe('connected');
    const muted = await service.invoke('calls.mute', { callId, muted: true });
    expect(muted.ok && muted.value.muted).toBe(true);
    await service.invoke('calls.hangup', { callId });
  });

  it('transfers blind to another emulator number and reports the result', async () => {
    const { service, messages } = await openWithEmulator();
    const { callId } = await dial(service, ECHO);
    await until(messages, callId, (s) => s.state === 'connected', 'connected');
    const transferred = await service.invoke('calls.transferBlind', { callId, target: QUICK_RING });
    if (!transferred.ok) throw new Error(transferred.error.message);
    expect(transferred.value.transfer).toBe('succeeded');
    const ended = await until(messages, callId, (s) => s.state === 'ended', 'the transferred leg ends');
    expect(ended.transfer).toBe('succeeded');
  });

  it('dials a caller ID the account does not own: the call fails with 4190 and its remedy', async () => {
    const { service, messages } = await openWithEmulator();
    const { callId } = await dial(service, ECHO, UNOWNED_CALLER_ID);
    const ended = await until(messages, callId, (s) => s.state === 'ended', 'ended');
    expect(ended.hangup?.code).toBe(4190);
    expect(ended.hangup?.message.length).toBeGreaterThan(20);
  });

  it('rings with an inbound call the emulator places to the demo DID, and answers it', async () => {
    const { service, messages } = await openWithEmulator();
    const placed = service.invoke('emulator.placeInbound', { to: '+14155550100', from: '+14155550199' });
    const incoming = await waitFor(
      () => messages.find((m) => m.event === 'call.incoming'),
      'the softphone to ring',
    );
    if (incoming.event !== 'call.incoming') throw new Error('unreachable');
    expect(incoming.payload).toMatchObject({ direction: 'inbound', state: 'incoming' });
    const answered = await service.invoke('calls.answer', { callId: incoming.payload.callId });
    expect(answered.ok).toBe(true);
    expect((await placed).ok).toBe(true);
    await until(messages, incoming.payload.callId, (s) => s.state === 'connected', 'connected');
    await service.invoke('calls.hangup', { callId: incoming.payload.callId });
  });

  it('refuses bad calls with stable codes', async () => {
    const { service } = await openWithEmulator();
    const cases: [string, unknown, string][] = [
      ['calls.hangup', { callId: 'nope' }, 'not_found'],
      ['calls.sendDtmf', { callId: 'x', digits: ['Z'] }, 'invalid_params'],
      ['calls.dial', { profileId: 'emulator', destination: 'abc' }, 'invalid_params'],
      ['calls.dial', { profileId: 'nope', destination: '+1' }, 'not_found'],
    ];
    for (const [command, params, code] of cases) {
      const result = await service.handle(command, params);
      expect(result.ok ? 'ok' : result.error.code, command).toBe(code);
    }
  });

  it('drops bad audio frames — unknown call, wrong length — and counts them, never throws', async () => {
    const { service, messages } = await openWithEmulator();
    expect(service.pushAudio({ callId: 'nope', sequence: 0, samples: new Int16Array(160) })).toBe(false);
    const { callId } = await dial(service, ECHO);
    await until(messages, callId, (s) => s.state === 'connected', 'connected');
    expect(service.pushAudio({ callId, sequence: 0, samples: new Int16Array(159) })).toBe(false);
    expect(service.pushAudio({ callId, sequence: 1, samples: new Int16Array(160) })).toBe(true);
    expect(service.audioStats).toEqual({ unknownCall: 1, badFrames: 1 });
    await service.invoke('calls.hangup', { callId });
  });

  it('tests the connection with one OPTIONS; a second within 15 s is refused by the guard', async () => {
    const { service } = await openWithEmulator();
    const first = await service.invoke('profiles.testConnection', { profileId: 'emulator' });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.outcome).toBe('answered');
    const second = await service.invoke('profiles.testConnection', { profileId: 'emulator' });
    expect(second.ok && second.value.outcome).toBe('rate_limited');
    expect(second.ok && second.value.message).toMatch(/15 s/);
  });
});
