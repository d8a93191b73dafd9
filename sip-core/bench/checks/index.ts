// `npm run bench:checks`: what the checks cost, each against a reference measured in the same run (the machine
// is shared, so absolute numbers are noisy; compare the ratios across runs).
//
//   options   one OPTIONS check (probe opened, ping, probe closed) against a local test trunk over UDP, vs a bare
//             UDP request/answer of the same size between two dgram sockets (the floor of any SIP ping)
//   reports   JSON, JUnit and HTML rendering of a 40-check report with a 12-message ladder each, vs
//             JSON.stringify of the same report object

import { createSocket } from 'node:dgram';
import {
  CheckRunner,
  createCheckReport,
  createNetworkCheckServices,
  optionsCheck,
  renderHtmlReport,
  renderJsonReport,
  renderJunitReport,
  type CheckDefinition,
  type CheckReport,
} from '../../src/checks/index.js';
import { systemClock } from '../../src/common/clock.js';
import { ManualClock } from '../../src/common/manual-clock.js';
import { answeredFlow, flowInputs } from '../../test/support/call-flows.js';
import { fakeCheck, testTarget } from '../../test/support/check-fixtures.js';
import { FakeTrunk } from '../../test/support/fake-trunk.js';

const PINGS = Number(process.env.BENCH_PINGS ?? 200);
const REPORTS = Number(process.env.BENCH_REPORTS ?? 50);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function udpRoundTrips(count: number, sizeBytes: number): Promise<number[]> {
  const server = createSocket('udp4');
  const client = createSocket('udp4');
  server.on('message', (message, remote) => server.send(message, remote.port, remote.address));
  await new Promise<void>((resolve) => server.bind(0, '127.0.0.1', resolve));
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', resolve));
  const port = server.address().port;
  const payload = Buffer.alloc(sizeBytes, 0x41);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await new Promise<void>((resolve) => {
      client.once('message', () => resolve());
      client.send(payload, port, '127.0.0.1');
    });
    times.push(performance.now() - start);
  }
  client.close();
  server.close();
  return times;
}

async function optionsChecks(count: number): Promise<{ wholeMs: number[]; rttMs: number[] }> {
  const trunk = await FakeTrunk.start({ transport: 'udp' }, { auth: 'acl' });
  const wholeMs: number[] = [];
  const rttMs: number[] = [];
  const check = { ...optionsCheck, dependsOn: [] };
  try {
    for (let i = 0; i < count; i++) {
      // A fresh services object per run: a new rate guard, or the second ping would wait 15 s (as it must).
      const services = createNetworkCheckServices({ clock: systemClock, localAddress: '127.0.0.1' });
      const runner = new CheckRunner({ checks: [check], services });
      const start = performance.now();
      const run = await runner.run(testTarget({ outboundProxy: { host: '127.0.0.1', port: trunk.port } }));
      wholeMs.push(performance.now() - start);
      const rtt = run.results[0].measurements.find((m) => m.name === 'rttMs')?.value;
      if (typeof rtt === 'number') rttMs.push(rtt);
      if (run.results[0].status !== 'pass') throw new Error(`options check ${run.results[0].status}`);
    }
  } finally {
    await trunk.close();
  }
  return { wholeMs, rttMs };
}

async function bigReport(): Promise<CheckReport> {
  const flow = flowInputs(answeredFlow());
  const checks: CheckDefinition<unknown>[] = Array.from({ length: 40 }, (_, i) =>
    fakeCheck(`check-${i}`, (context) => {
      context.recordSip({
        label: `call ${i}`,
        messages: flow.map((input, n) => ({
          timestampMs: input.timestampMs,
          source: input.source,
          destination: input.destination,
          transport: input.transport,
          text: Buffer.from(input.bytes).toString('utf8'),
          localEnd: n % 2 === 0 ? 'source' : 'destination',
        })),
      });
      for (let line = 0; line < 5; line++) context.note(`evidence line ${line} of check ${i}`);
      return Promise.resolve({
        status: i % 7 === 0 ? 'fail' : 'pass',
        summary: `check ${i}`,
        measurements: [{ name: 'rttMs', value: i, unit: 'ms' }],
        ...(i % 7 === 0
          ? { cause: { summary: 'refused', hangupCode: 4190, sipStatus: 403 }, remedy: 'fix it' }
          : {}),
      });
    }),
  );
  const run = await new CheckRunner({ checks, services: {}, clock: new ManualClock() }).run(testTarget());
  return createCheckReport(run, 'bench');
}

function timeEach(count: number, render: () => string): { ms: number; bytes: number } {
  let bytes = 0;
  const start = performance.now();
  for (let i = 0; i < count; i++) bytes = render().length;
  return { ms: (performance.now() - start) / count, bytes };
}

async function main(): Promise<void> {
  console.log(`bench:checks — ${PINGS} OPTIONS checks, ${REPORTS} renders per format`);
  const reference = await udpRoundTrips(PINGS, 420);
  const checks = await optionsChecks(PINGS);
  const udp = median(reference);
  console.log(`  UDP round trip (reference)       median ${udp.toFixed(3)} ms`);
  console.log(
    `  options check RTT (measured)     median ${median(checks.rttMs).toFixed(3)} ms  ratio ${(median(checks.rttMs) / udp).toFixed(1)}×`,
  );
  console.log(
    `  options check, whole run         median ${median(checks.wholeMs).toFixed(3)} ms  ratio ${(median(checks.wholeMs) / udp).toFixed(1)}×`,
  );

  const report = await bigReport();
  const json = timeEach(REPORTS, () => JSON.stringify(report));
  console.log(`  JSON.stringify (reference)       ${json.ms.toFixed(3)} ms  ${json.bytes} bytes`);
  for (const [name, render] of [
    ['JSON report (indented)', () => renderJsonReport(report)],
    ['JUnit XML', () => renderJunitReport(report)],
    ['HTML with 40 ladders', () => renderHtmlReport(report)],
  ] as const) {
    const result = timeEach(REPORTS, render);
    console.log(
      `  ${name.padEnd(32)} ${result.ms.toFixed(3)} ms  ${result.bytes} bytes  ratio ${(result.ms / json.ms).toFixed(1)}×`,
    );
  }
}

await main();
