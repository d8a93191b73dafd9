import { type BenchPart, formatTable } from './bench-part.js';
import { sessionCapacityPart } from './session-capacity.js';
import { srtpThroughputPart } from './srtp-throughput.js';

// `npm run bench:media [-- part …]`: the media benchmarks, one part after the other. A part is a BenchPart in the
// list below: SRTP throughput (`srtp`), then concurrent SRTP echo sessions on one core (`sessions`).

const PARTS: readonly BenchPart[] = [srtpThroughputPart, sessionCapacityPart];

async function main(selected: readonly string[]): Promise<void> {
  const unknown = selected.filter((name) => !PARTS.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark part(s): ${unknown.join(', ')}; known: ${PARTS.map((p) => p.name).join(', ')}`,
    );
  }
  const parts = selected.length === 0 ? PARTS : PARTS.filter((p) => selected.includes(p.name));
  for (const [i, part] of parts.entries()) {
    console.log(`\n=== bench:media part ${i + 1}/${parts.length}: ${part.name}\n`);
    console.log(formatTable(await part.run()));
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
