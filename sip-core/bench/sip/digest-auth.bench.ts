// Digest authentication cost, measured against the bare crypto it cannot avoid, in the same run (the machine is
// shared and noisy, so only the ratios mean much). For each operation the reference does just the hashing an
// ideal implementation would do with node:crypto and nothing else; the ratio is ours / reference throughput.
//
//   npx tsx sip-core/bench/sip/digest-auth.bench.ts      (or: npm run bench:sip)
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { LruMap } from '../../src/common/lru-map.js';
import { ManualClock } from '../../src/common/manual-clock.js';
import {
  type DigestAlgorithm,
  DigestClient,
  DigestSecret,
  DigestServer,
  type DigestRequest,
} from '../../src/sip/auth/index.js';

const REALM = '21784177241578.zt.plivo.com';
const REQUEST: DigestRequest = { method: 'INVITE', uri: `sip:+14155550100@${REALM}` };
const ROUNDS = 5;
const ROUND_MS = 300;

/** Runs `fn` repeatedly for about `ms` and returns operations per second. */
function throughput(fn: (i: number) => void, ms: number): number {
  let i = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let j = 0; j < 200; j += 1) fn(i++);
    elapsed = performance.now() - start;
  }
  return (i * 1000) / elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Interleaves ours and the reference round by round so that both see the same machine load. */
function compare(name: string, ours: (i: number) => void, reference: (i: number) => void): void {
  const a: number[] = [];
  const b: number[] = [];
  // One untimed round each, so that neither side is measured while the JIT is still warming up.
  throughput(ours, ROUND_MS);
  throughput(reference, ROUND_MS);
  for (let round = 0; round < ROUNDS; round += 1) {
    a.push(throughput(ours, ROUND_MS));
    b.push(throughput(reference, ROUND_MS));
  }
  const oursPerSec = median(a);
  const refPerSec = median(b);
  const ratio = oursPerSec / refPerSec;
  console.log(
    `${name.padEnd(50)} ${Math.round(oursPerSec).toString().padStart(9)} /s   reference ` +
      `${Math.round(refPerSec).toString().padStart(9)} /s   ratio ${ratio.toFixed(2)}`,
  );
}

const NODE_HASH: Record<string, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

function referenceResponse(hash: string, nonce: string, nc: string): string {
  const h = (s: string): string => createHash(hash).update(s).digest('hex');
  const ha1 = h(`alice:${REALM}:pw`);
  const ha2 = h(`${REQUEST.method}:${REQUEST.uri}`);
  return h(`${ha1}:${nonce}:${nc}:cnonce:auth:${ha2}`);
}

export function runDigestAuthBench(): void {
  console.log(
    `sip/auth digest (median of ${ROUNDS} interleaved rounds; ratio = ours / bare node:crypto, or / the old code)`,
  );
  const key = randomBytes(32);
  for (const algorithm of ['MD5', 'SHA-256'] as DigestAlgorithm[]) {
    const hash = NODE_HASH[algorithm] ?? 'md5';
    const clock = new ManualClock({ epochMs: Date.now() });
    const server = new DigestServer({ clock, algorithms: [algorithm], secret: key });
    const secret = DigestSecret.fromPassword('pw');
    const lookup = (): DigestSecret => secret;
    const challenges = server.createChallenges({ realm: REALM });
    const client = new DigestClient({ username: 'alice', secret, createCnonce: () => 'cnonce' });

    // Pre-computed answers with rising nc, so every verification is a fresh, valid one (no replay).
    const answers = Array.from({ length: 200_000 }, (_, i) =>
      i === 0
        ? client.respond(challenges, REQUEST).headerValue
        : (client.reauthorize(REQUEST)?.headerValue ?? ''),
    );
    let next = 0;
    compare(
      `${algorithm}: server.verify (full path)`,
      () => {
        const result = server.verify({
          realm: REALM,
          credentials: [answers[next++ % answers.length] ?? ''],
          request: REQUEST,
          lookup,
        });
        if (result.kind !== 'ok' && result.kind !== 'replayed') throw new Error(result.kind);
      },
      (i) => {
        createHmac('sha256', key).update('nonce').digest();
        referenceResponse(hash, 'nonce', (i + 1).toString(16).padStart(8, '0'));
      },
    );
    compare(
      `${algorithm}: client.respond (parse + digest + write)`,
      () => client.respond(challenges, REQUEST),
      (i) => referenceResponse(hash, 'nonce', (i + 1).toString(16).padStart(8, '0')),
    );
    compare(
      `${algorithm}: server.createChallenges`,
      () => server.createChallenges({ realm: REALM }),
      () => {
        const salt = randomBytes(9);
        createHmac('sha256', key).update(salt).update(REALM).digest();
        createHmac('sha256', key).update(REALM).digest();
      },
    );
  }
  runNonceStateBench();
}

/**
 * The per-nonce state every challenged call adds (sip/auth keeps 10,000 nonces by default): a fresh nonce stored
 * and the least recently used one evicted, with a lookup of a recent one, against the Map re-inserted on every
 * use and evicted from its front that LruMap was before (docs/adr/0168).
 */
function runNonceStateBench(): void {
  const HELD = 10_000;
  const nonces = Array.from({ length: 1 << 20 }, (_, i) => `nonce-${i.toString(36)}`);
  const lru = new LruMap<string, number>(HELD);
  const map = new Map<string, number>();
  for (let i = 0; i < HELD; i++) {
    lru.set(nonces[i], i);
    map.set(nonces[i], i);
  }
  let nextLru = HELD;
  let nextMap = HELD;
  compare(
    `LruMap: fresh nonce + lookup, ${HELD.toLocaleString('en-US')} held`,
    () => {
      const i = nextLru++ % nonces.length;
      lru.set(nonces[i], i);
      lru.get(nonces[(i + nonces.length - 100) % nonces.length]);
    },
    () => {
      const i = nextMap++ % nonces.length;
      map.delete(nonces[i]);
      map.set(nonces[i], i);
      const recent = nonces[(i + nonces.length - 100) % nonces.length];
      const value = map.get(recent);
      if (value !== undefined) {
        map.delete(recent);
        map.set(recent, value);
      }
      if (map.size > HELD) map.delete(map.keys().next().value!);
    },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) runDigestAuthBench();
