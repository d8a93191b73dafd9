// Local call captures as an earlier run of the host left them in the data folder (evidence.json, two WAVs, a PCAP
// with a few SIP messages of the capture's Call-ID): finished, or cut by a crash while `recording`. The host's tests,
// the web shell's tests and the e2e specs seed data folders with them.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWavHeader, MemoryPcapSink, PcapRecorder } from '../../../sip-core/src/index.js';

export interface SeedCaptureOptions {
  readonly state?: 'complete' | 'recording';
  /** Tones in the two tracks (default silence), e.g. 440 Hz heard and 1000 Hz sent. */
  readonly receivedHz?: number;
  readonly sentHz?: number;
  readonly dtmf?: ReadonlyArray<{ direction: 'sent' | 'received'; digit: string; offsetMs: number }>;
}

/**
 * 8 kHz 16-bit mono samples of a sine (or silence), as little-endian bytes: -12 dBFS in the first half of every
 * second and -26 dBFS in the second, so that a drawn waveform shows where the audio is.
 */
function pcmBytes(seconds: number, frequencyHz: number | undefined): Buffer {
  const bytes = Buffer.alloc(seconds * 16_000);
  if (frequencyHz === undefined) return bytes;
  for (let i = 0; i < bytes.length / 2; i++) {
    const amplitude = Math.floor(i / 4000) % 2 === 0 ? 8192 : 1638;
    bytes.writeInt16LE(Math.round(amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / 8000)), i * 2);
  }
  return bytes;
}

/** A finished capture as a previous run left it: sidecar, two WAVs of `seconds`, a small PCAP. */
export function seedCapture(
  dataDir: string,
  callUuid: string,
  startedAtMs: number,
  seconds: number,
  options: SeedCaptureOptions = {},
): string {
  const state = options.state ?? 'complete';
  const folder = join(dataDir, 'captures', callUuid);
  mkdirSync(folder, { recursive: true });
  const dataBytes = seconds * 16_000;
  const header = createWavHeader(state === 'recording' ? undefined : dataBytes);
  writeFileSync(join(folder, 'received.wav'), Buffer.concat([header, pcmBytes(seconds, options.receivedHz)]));
  writeFileSync(join(folder, 'sent.wav'), Buffer.concat([header, pcmBytes(seconds, options.sentHz)]));
  const sink = new MemoryPcapSink();
  const recorder = new PcapRecorder(sink);
  for (let port = 1; port <= 3; port++) {
    recorder.writeSip({
      wallTimeMs: startedAtMs + port,
      monotonicTimeMs: port,
      direction: 'sent',
      transport: 'udp',
      local: { address: '127.0.0.1', port: 5062 },
      remote: { address: '127.0.0.1', port: 5060 },
      bytes: Buffer.from(`OPTIONS sip:a@b SIP/2.0\r\nCall-ID: ${callUuid}\r\nContent-Length: 0\r\n\r\n`),
    });
  }
  void recorder.close();
  writeFileSync(join(folder, 'call.pcapng'), sink.bytes());
  writeFileSync(
    join(folder, 'evidence.json'),
    JSON.stringify({
      version: 1,
      callUuid,
      state,
      startedAtMs,
      durationMs: seconds * 1000,
      dtmf: options.dtmf ?? [],
    }),
  );
  return folder;
}
