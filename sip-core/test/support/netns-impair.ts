// Two network namespaces joined by a veth pair, with random UDP loss on each side's input (nftables), for
// reliability tests — the shared tools/ns-impair.sh adapted so that each suite has its own names and addresses and
// never touches another engineer's `simA`/`simB`. Loopback-range addresses only (route_localnet, lo shrunk to
// 127.0.0.1/32 so that the suite's /24 is routed over the veth). The kernel has no netem: loss only, no delay.

import { execFileSync } from 'node:child_process';
import { IN_CI, requirePeer } from './peer-binary.js';

export interface ImpairedPairOptions {
  /** Namespace names; the veth ends are called `v<name>`. Keep them ≤ 13 characters. */
  readonly names: readonly [string, string];
  /** The two addresses, in one /24 of 127.0.0.0/8 (e.g. 127.78.7.1 and 127.78.7.2). */
  readonly addresses: readonly [string, string];
  /** Percentage of UDP datagrams dropped on each side's input. */
  readonly lossPercent: number;
}

function run(command: string, args: readonly string[], input?: string): void {
  execFileSync(command, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'ignore', 'pipe'], input });
}

export class ImpairedPair {
  readonly names: readonly [string, string];
  readonly addresses: readonly [string, string];

  private constructor(options: ImpairedPairOptions) {
    this.names = options.names;
    this.addresses = options.addresses;
  }

  /** Creates both namespaces (removing leftovers of a crashed run of this suite first). */
  static up(options: ImpairedPairOptions): ImpairedPair {
    const pair = new ImpairedPair(options);
    pair.down();
    const [a, b] = options.names;
    run('ip', ['netns', 'add', a]);
    run('ip', ['netns', 'add', b]);
    run('ip', ['-n', a, 'link', 'add', `v${a}`, 'type', 'veth', 'peer', 'name', `v${b}`, 'netns', b]);
    options.names.forEach((ns, index) => {
      const device = `v${ns}`;
      run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', 'net.ipv4.conf.all.route_localnet=1']);
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      run('ip', ['-n', ns, 'addr', 'del', '127.0.0.1/8', 'dev', 'lo']);
      run('ip', ['-n', ns, 'addr', 'add', '127.0.0.1/32', 'dev', 'lo']);
      run('ip', ['-n', ns, 'addr', 'add', `${options.addresses[index]}/24`, 'dev', device]);
      run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv4.conf.${device}.route_localnet=1`]);
      run('ip', ['-n', ns, 'link', 'set', device, 'up']);
      run(
        'ip',
        ['netns', 'exec', ns, 'nft', '-f', '-'],
        `table inet impair {\n  chain in { type filter hook input priority 0; policy accept;\n` +
          `    meta l4proto udp numgen random mod 100 < ${options.lossPercent} counter drop\n  }\n}\n`,
      );
    });
    return pair;
  }

  /** The command line that runs `command` inside namespace `index` (0 or 1). */
  exec(index: 0 | 1, command: string, args: readonly string[]): [string, string[]] {
    return ['ip', ['netns', 'exec', this.names[index], command, ...args]];
  }

  /** UDP datagrams the impairment dropped in namespace `index` so far. */
  droppedPackets(index: 0 | 1): number {
    const output = execFileSync(
      'ip',
      ['netns', 'exec', this.names[index], 'nft', 'list', 'table', 'inet', 'impair'],
      {
        encoding: 'utf8',
      },
    );
    return Number(/counter packets (\d+)/.exec(output)?.[1] ?? 0);
  }

  /** Removes both namespaces (the veth goes with them). Stop the processes started in them first. */
  down(): void {
    for (const ns of this.names) {
      try {
        run('ip', ['netns', 'del', ns]);
      } catch {
        // Not there: nothing to remove.
      }
    }
  }
}

/**
 * The impaired pair of a suite, or undefined when the suite cannot run here: a tool missing (`ip`, `nft` and
 * `peers`, outside CI) or no root for namespaces. In CI (`CI=true`) both are failures, never a skip.
 */
export function impairedPairIfPossible(
  options: ImpairedPairOptions,
  peers: readonly string[] = [],
): ImpairedPair | undefined {
  for (const name of [...peers, 'ip', 'nft']) if (!requirePeer(name)) return undefined;
  if (process.getuid?.() !== 0) {
    if (IN_CI) throw new Error('This suite needs root for network namespaces (CI runs as root).');
    return undefined;
  }
  return ImpairedPair.up(options);
}
