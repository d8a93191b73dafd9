import type { AppInfo, Settings } from '../../electron/common/index.js';

export const SETTINGS: Settings = {
  version: 1,
  theme: 'light',
  selectedProfileId: 'emulator',
  profiles: [
    {
      id: 'emulator',
      name: 'Embedded emulator',
      kind: 'emulator',
      trunkDomain: '10000000000001.zt.plivo.com',
      proxyHost: '127.0.0.1',
      port: 5060,
      transport: 'udp',
      srtp: 'off',
      codecs: ['PCMU', 'PCMA'],
      username: 'trunkline',
      hasPassword: true,
      callerIds: ['+14155550101', '+442079460000'],
      defaultCountry: 'US',
      knowledge: {},
    },
  ],
  audio: { echoCancellation: true, noiseSuppression: true },
  history: {},
  shortcutsEnabled: true,
};

const missing = (what: string) => ({
  available: false as const,
  missing: what,
  message: `${what} is missing.`,
});

export const INFO: AppInfo = {
  apiVersion: 1,
  appVersion: '0.0.0-test',
  shell: 'browser',
  dataDir: '/tmp/trunkline-test',
  secretStorage: 'file',
  features: {
    softphone: missing('softphone user agent (sip-core/src/ua)'),
    emulator: missing('emulator'),
    checks: missing('checks'),
    audio: missing('audio'),
    history: { available: true },
    diagnosis: { available: true },
  },
};
