// The names the generated server certificate must carry for a configuration: its listen host, the trunk domain
// suffix of its settings, its account's trunk domains and the extra names of its TLS section (tls/README.md).

import { trunkDomain } from '../../policy/index.js';
import { certificateNames, type CertificateNames } from '../tls/index.js';
import type { EmulatorConfig } from './load-emulator-config.js';

export function serverCertificateNames(config: EmulatorConfig): CertificateNames {
  return certificateNames({
    listenHost: config.listen.host,
    trunkDomainSuffix: config.settings.trunkDomainSuffix,
    trunkDomains: config.account.trunks.map((trunk) => trunkDomain(trunk, config.settings)),
    extraNames: config.tls.mode === 'generate' ? config.tls.extraNames : [],
  });
}
