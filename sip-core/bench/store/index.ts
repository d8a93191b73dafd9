// `npm run bench:store`: write throughput beside a bare better-sqlite3 insert, what random call_uuids cost the
// CDR table beside time-ordered ones (docs/adr/0172), then list, filter and export latency at one million CDRs.
// The machine is shared, so the ratios are the result, not the absolute numbers.
import { runCallUuidOrderBench } from './call-uuid-order.bench.js';
import { runStoreQueryBench } from './store-query.bench.js';
import { runStoreWriteBench } from './store-write.bench.js';

await runStoreWriteBench();
runCallUuidOrderBench(Number(process.env.STORE_BENCH_UUID_ROWS ?? 240_000));
runStoreQueryBench(Number(process.env.STORE_BENCH_ROWS ?? 1_000_000));
