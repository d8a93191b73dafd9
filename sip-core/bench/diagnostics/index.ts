// `npm run bench:diagnostics`: how fast a capture is written and read. The reference is tshark reading the same file
// in the same run (the machine is shared, so absolute numbers are noisy; the ratio is what to compare across runs).
//
//   write    PcapRecorder → pcapng file: SIP records and RTP packets per second
//   read     analyzeCaptureFile (parse, decode, SIP, calls, RTP streams) vs `tshark -q -z sip,stat` on the same file
//   memory   the RSS growth while reading, which must not follow the file's size (streaming)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeCaptureFile, FilePcapSink, PcapRecorder } from '../../src/diagnostics/pcap/index.js';
import { answeredFlow, flowInputs } from '../../test/support/call-flows.js';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const RTP_PER_CALL = Number(process.env.BENCH_RTP_PER_CALL ?? 300);

function rtpPacket(ssrc: number, sequence: number): Buffer {
  const packet = Buffer.alloc(172);
  packet[0] = 0x80;
  packet.writeUInt16BE(sequence & 0xffff, 2);
  packet.writeUInt32BE((sequence * 160) >>> 0, 4);
  packet.writeUInt32BE(ssrc, 8);
  packet.fill(0xff, 12);
  return packet;
}

async function writeCapture(file: string): Promise<{ packets: number; ms: number }> {
  const recorder = new PcapRecorder(new FilePcapSink(file));
  const flow = flowInputs(answeredFlow());
  const start = performance.now();
  let time = Date.UTC(2026, 0, 1);
  for (let call = 0; call < CALLS; call++) {
    for (const input of flow) {
      const text = Buffer.from(input.bytes)
        .toString('latin1')
        .replace('flow-1@127.0.0.1', `bench-${call}@127.0.0.1`);
      time += 1;
      recorder.writeSip({
        wallTimeMs: time,
        monotonicTimeMs: time,
        direction: 'sent',
        transport: 'udp',
        local: input.source,
        remote: input.destination,
        bytes: Buffer.from(text, 'latin1'),
      });
    }
    const local = { address: '127.0.0.1', port: 20_000 + 2 * (call % 5000) };
    for (let i = 0; i < RTP_PER_CALL; i++) {
      time += 0.02;
      recorder.writeMedia({
        kind: 'rtp',
        direction: i % 2 === 0 ? 'sent' : 'received',
        wallTimeMs: time,
        monotonicTimeMs: time,
        local,
        remote: { address: '127.0.0.1', port: 40_000 },
        bytes: rtpPacket(call * 2 + (i % 2), i >> 1),
        srtp: false,
      });
    }
  }
  await recorder.close();
  return { packets: recorder.packets, ms: performance.now() - start };
}

function tsharkMs(file: string): number | undefined {
  const start = performance.now();
  const result = spawnSync('tshark', ['-r', file, '-d', 'udp.port==5060,sip', '-q', '-z', 'sip,stat'], {
    stdio: 'ignore',
  });
  return result.status === 0 ? performance.now() - start : undefined;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trunkline-bench-diagnostics-'));
  try {
    const file = join(dir, 'bench.pcapng');
    const written = await writeCapture(file);
    const sizeMiB = statSync(file).size / 2 ** 20;
    console.log(`capture: ${CALLS} calls, ${written.packets} packets, ${sizeMiB.toFixed(1)} MiB`);
    console.log(
      `write:   ${((written.packets / written.ms) * 1000).toFixed(0)} packets/s (PcapRecorder → pcapng file)`,
    );
    globalThis.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
    const start = performance.now();
    const analysis = await analyzeCaptureFile(file);
    const readMs = performance.now() - start;
    clearInterval(sampler);
    const reference = tsharkMs(file);
    console.log(
      `read:    ${readMs.toFixed(0)} ms, ${((analysis.packets / readMs) * 1000).toFixed(0)} packets/s, ` +
        `${analysis.calls.length} calls, ${analysis.rtpStreams.length} RTP streams`,
    );
    if (reference !== undefined) {
      console.log(
        `tshark:  ${reference.toFixed(0)} ms (-z sip,stat) → ours/tshark = ${(readMs / reference).toFixed(2)}`,
      );
    } else console.log('tshark:  not installed, no reference');
    console.log(
      `memory:  RSS +${((peakRss - rssBefore) / 2 ** 20).toFixed(1)} MiB while reading a ${sizeMiB.toFixed(1)} MiB file ` +
        '(SIP messages are kept; RTP only as counters)',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
