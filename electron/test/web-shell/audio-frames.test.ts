// Audio frames over browser mode's WebSocket: a live call's microphone frames reach the host and its received
// audio comes back as binary frames; garbage, wrong lengths and unknown calls are counted and dropped while the
// connection and the commands keep working.

import { afterEach, describe, expect, it } from 'vitest';
import {
  AUDIO_FRAME_SAMPLES,
  decodeAudioFrame,
  encodeAudioFrame,
  type CallSnapshot,
  type ResultMessage,
} from '../../common/index.js';
import { TestSocket, sessionCookieOf, startHarness, type Harness } from '../support/web-shell-harness.js';

let harness: Harness | undefined;
let socket: TestSocket | undefined;

afterEach(async () => {
  socket?.close();
  socket = undefined;
  await harness?.close();
  harness = undefined;
});

async function connect(h: Harness): Promise<TestSocket> {
  const cookie = await sessionCookieOf(h);
  const s = await TestSocket.connect(h.port, { Cookie: cookie, Origin: `http://127.0.0.1:${h.port}` });
  await s.next((m) => m.type === 'hello');
  return s;
}

async function until(probe: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !probe(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!probe()) throw new Error(`Timed out waiting for ${what}`);
}

describe('audio frames in browser mode', () => {
  it('drops bad binary messages and frames for unknown calls, and keeps answering commands', async () => {
    harness = await startHarness();
    socket = await connect(harness);
    const unknownCall = encodeAudioFrame({ callId: 'nope', sequence: 0, samples: new Int16Array(160) });
    socket.ws.send(Buffer.from('not audio at all'), { binary: true });
    socket.ws.send(unknownCall.subarray(0, 100), { binary: true });
    socket.ws.send(unknownCall, { binary: true });
    socket.ws.send(JSON.stringify({ type: 'command', id: 1, command: 'app.info' }));
    expect(((await socket.result(1)) as ResultMessage).result.ok).toBe(true);
    expect(harness.server.stats.droppedBinaryFrames).toBe(3);
    expect(harness.server.stats.audioFramesIn).toBe(0);
  });

  it("carries a call's microphone frames to the host and its received audio back as binary frames", async () => {
    harness = await startHarness();
    await harness.service.emulatorSettled();
    socket = await connect(harness);
    socket.ws.send(
      JSON.stringify({
        type: 'command',
        id: 1,
        command: 'calls.dial',
        params: { profileId: 'emulator', destination: '+14155550111' },
      }),
    );
    const dialled = (await socket.result(1)) as ResultMessage;
    if (!dialled.result.ok) throw new Error(dialled.result.error.message);
    const { callId } = dialled.result.value as CallSnapshot;
    await socket.next(
      (m) => m.type === 'event' && m.event === 'call.updated' && m.payload.state === 'connected',
    );
    const samples = Int16Array.from({ length: AUDIO_FRAME_SAMPLES }, (_, i) => (i % 20 < 10 ? 8000 : -8000));
    for (let sequence = 0; sequence < 10; sequence++) {
      socket.ws.send(encodeAudioFrame({ callId, sequence, samples }), { binary: true });
    }
    await until(() => harness!.server.stats.audioFramesIn === 10, 'ten frames in');
    await until(() => socket!.binary.length > 0, 'a received frame');
    const back = decodeAudioFrame(new Uint8Array(socket.binary[0]));
    expect(back.ok && back.frame.callId).toBe(callId);
    socket.ws.send(JSON.stringify({ type: 'command', id: 2, command: 'calls.hangup', params: { callId } }));
    expect(((await socket.result(2)) as ResultMessage).result.ok).toBe(true);
  });
});
