// `npm run bench:sip`: every benchmark of the sip layer, one after the other. Each prints its numbers next to
// a reference measured in the same run, as ratios (the machines are shared, so absolute numbers are noisy).
import { runDigestAuthBench } from './digest-auth.bench.js';
import { runParserBench } from './parser.bench.js';
import { runStackThroughputBench } from './stack-throughput.bench.js';
import { runStreamFramerBench } from './stream-framer.bench.js';
import { runTransportBench } from './transport.bench.js';

await runParserBench();
await runStreamFramerBench();
await runTransportBench();
runDigestAuthBench();
await runStackThroughputBench();
