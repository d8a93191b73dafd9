// Child process of the SIP benchmark: measures one parser on one message and operation, and reports the rate
// to the parent over the IPC channel.

import { measure } from './measure.js';
import { PARSERS } from './parser-adapters.js';
import { BENCH_MESSAGES } from './typical-messages.js';

export interface MeasureJob {
  readonly parser: string;
  readonly message: number;
  readonly operation: 'parse' | 'parse + serialise';
  readonly rounds: number;
  readonly roundMs: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as MeasureJob;
const parser = PARSERS.find((p) => p.name === job.parser);
const message = BENCH_MESSAGES[job.message];
if (parser === undefined || message === undefined || process.send === undefined) {
  throw new Error('measure-worker runs as a child of the SIP benchmark');
}
const bytes = message.bytes;
const run =
  job.operation === 'parse' ? (): number => parser.fields(bytes).cseq : (): number => parser.roundTrip(bytes);
process.send(measure(run, job.rounds, job.roundMs));
