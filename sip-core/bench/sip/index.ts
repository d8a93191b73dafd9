// `npm run bench:sip`: every SIP benchmark, each printed next to its reference from the same run.

import { runStreamFramerBench } from './stream-framer.bench.js';
import { runTransportBench } from './transport.bench.js';

await runStreamFramerBench();
await runTransportBench();
