// `npm run bench:store`: write throughput beside a bare better-sqlite3 insert, then list, filter and export
// latency at one million CDRs. The machine is shared, so the ratios are the result, not the absolute numbers.
import { runStoreQueryBench } from './store-query.bench.js';
import { runStoreWriteBench } from './store-write.bench.js';

await runStoreWriteBench();
runStoreQueryBench(Number(process.env.STORE_BENCH_ROWS ?? 1_000_000));
