import { describe, expect, it } from 'vitest';
import { parseEmulatorConfig, serverCertificateNames } from '../../../src/emulator/config/index.js';
import { DEMO_ACCOUNT_CONFIG } from '../../../src/policy/index.js';

describe('serverCertificateNames', () => {
  it('names the listen host, the suffix, trunk domains the wildcard misses, and the extra names', () => {
    const account = structuredClone(DEMO_ACCOUNT_CONFIG) as { trunks: Record<string, unknown>[] };
    account.trunks[0] = { ...account.trunks[0], trunk_domain: '10000000000001.ap-south-1.zt.trunkline.test' };
    const result = parseEmulatorConfig(
      {
        listen: { host: '192.0.2.10' },
        tls: { mode: 'generate', extraNames: ['pbx.lan'] },
        settings: { trunkDomainSuffix: 'zt.trunkline.test' },
        account,
      },
      { baseDir: '/', source: { kind: 'built-in' } },
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(serverCertificateNames(result.value)).toEqual({
      dnsNames: [
        '*.zt.trunkline.test',
        '10000000000001.ap-south-1.zt.trunkline.test',
        'localhost',
        'pbx.lan',
        'zt.trunkline.test',
      ],
      ipAddresses: ['127.0.0.1', '192.0.2.10', '::1'],
    });
  });
});
