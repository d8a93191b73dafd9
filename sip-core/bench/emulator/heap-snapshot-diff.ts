// The growth between two V8 heap snapshots, by constructor, divided by a number of calls: what an idle call costs,
// object by object. `idle-calls.ts` writes the two snapshots (IDLE_HEAP_SNAPSHOT_DIR); this prints the top rows.
// Self sizes, not retained sizes: every row is an object kind the calls added, so the rows add up to the growth
// and nothing is counted twice. Closures are named by their function ("closure handleRtp"), strings and code by
// their type, so that a row points at the line that allocates it.
//
//   npx tsx sip-core/bench/emulator/heap-snapshot-diff.ts before.heapsnapshot after.heapsnapshot [calls=2000] [rows=40] [depth=0]

import { readFileSync } from 'node:fs';

interface Snapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: string[];
      readonly node_types: unknown[];
      readonly edge_fields: string[];
      readonly edge_types: unknown[];
    };
  };
  readonly nodes: number[];
  readonly edges: number[];
  readonly strings: string[];
}

interface Row {
  count: number;
  bytes: number;
}

/**
 * Self size and count per "type name" key (a constructor, a closure's function, a string kind); with `depth` > 0
 * the key also names the object's first strong retainers and the edges they hold it by ("string ← SipUri.user"),
 * which is how an anonymous closure or a plain object is traced to the code that made it.
 */
function tally(path: string, depth: number): Map<string, Row> {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const meta = data.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0] as string[];
  const edgeTypes = meta.edge_types[0] as string[];
  const width = fields.length;
  const edgeWidth = meta.edge_fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const edgeCountAt = fields.indexOf('edge_count');
  const edgeTypeAt = meta.edge_fields.indexOf('type');
  const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
  const edgeToAt = meta.edge_fields.indexOf('to_node');
  const kindOf = (node: number): string =>
    keyOf(types[data.nodes[node + typeAt]], data.strings[data.nodes[node + nameAt]]);
  // The first strong retainer of every node (by node offset), and the edge's name.
  const retainer = new Map<number, { from: number; edge: string }>();
  if (depth > 0 || OWNERS.length > 0) {
    let edge = 0;
    for (let node = 0; node < data.nodes.length; node += width) {
      const count = data.nodes[node + edgeCountAt];
      for (let e = 0; e < count; e++, edge += edgeWidth) {
        const edgeType = edgeTypes[data.edges[edge + edgeTypeAt]];
        if (edgeType === 'weak' || edgeType === 'shortcut') continue;
        const to = data.edges[edge + edgeToAt];
        if (retainer.has(to)) continue;
        const nameOrIndex = data.edges[edge + edgeNameAt];
        const name =
          edgeType === 'element' || edgeType === 'hidden' ? `[]` : (data.strings[nameOrIndex] ?? '?');
        retainer.set(to, { from: node, edge: name.slice(0, 30) });
      }
    }
  }
  const rows = new Map<string, Row>();
  for (let i = 0; i < data.nodes.length; i += width) {
    let key = kindOf(i);
    if (OWNERS.length > 0) key = `${ownerOf(i, retainer, kindOf)} ⊃ ${key}`;
    for (let level = 0, at = i; level < depth; level++) {
      const up = retainer.get(at);
      if (!up) break;
      key += ` ← ${kindOf(up.from)}.${up.edge}`;
      at = up.from;
    }
    const row = rows.get(key) ?? { count: 0, bytes: 0 };
    row.count += 1;
    row.bytes += data.nodes[i + sizeAt];
    rows.set(key, row);
  }
  return rows;
}

/**
 * OWNERS=CallLeg,Dialog,… attributes each object to the nearest of those constructors up its first-retainer chain
 * (or to the chain's top): a rough retained size per owner, good enough to say which object of a call to slim.
 */
const OWNERS = (process.env.OWNERS ?? '').split(',').filter((owner) => owner !== '');

function ownerOf(
  node: number,
  retainer: Map<number, { from: number; edge: string }>,
  kindOf: (node: number) => string,
): string {
  let at = node;
  for (let hops = 0; hops < 40; hops++) {
    const kind = kindOf(at);
    if (OWNERS.includes(kind)) return hops === 0 ? kind : kind + '…';
    const up = retainer.get(at);
    if (!up) return `(${kind})`;
    at = up.from;
  }
  return '(deep)';
}

function keyOf(type: string, name: string): string {
  switch (type) {
    case 'string':
    case 'concatenated string':
    case 'sliced string':
    case 'number':
    case 'code':
      return type;
    case 'closure':
      return `closure ${name.slice(0, 60)}`;
    case 'array':
    case 'hidden':
    case 'object shape':
      return `${type} ${name.slice(0, 40)}`;
    default:
      return `${type === 'object' ? '' : `${type} `}${name.slice(0, 60)}`;
  }
}

const [beforePath, afterPath, callsArg, rowsArg, depthArg] = process.argv.slice(2);
if (!beforePath || !afterPath) throw new Error('usage: heap-snapshot-diff.ts before after [calls] [rows]');
const calls = Number(callsArg ?? 2_000);
const shown = Number(rowsArg ?? 40);
const depth = Number(depthArg ?? 0);
const before = tally(beforePath, depth);
const after = tally(afterPath, depth);
const growth = [...after].map(([key, row]) => {
  const base = before.get(key) ?? { count: 0, bytes: 0 };
  return { key, count: row.count - base.count, bytes: row.bytes - base.bytes };
});
growth.sort((a, b) => b.bytes - a.bytes);
const total = growth.reduce((sum, row) => sum + row.bytes, 0);
console.log(`total growth: ${(total / calls).toFixed(0)} B per call over ${calls} calls`);
console.log('bytes/call  objects/call  kind');
for (const row of growth.slice(0, shown)) {
  console.log(
    `${(row.bytes / calls).toFixed(0).padStart(10)}  ${(row.count / calls).toFixed(2).padStart(12)}  ${row.key}`,
  );
}
