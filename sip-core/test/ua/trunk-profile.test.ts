import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretString } from '../../src/policy/index.js';
import {
  formatHostPort,
  loadTrunkProfile,
  parseHostPort,
  parseTrunkProfile,
  type TrunkProfileInput,
} from '../../src/ua/trunk-profile.js';
import { TrunkProfileError } from '../../src/ua/ua-error.js';
import { ZENTRUNK_SIGNALLING_CIDRS } from '../../src/ua/zentrunk-signalling-ranges.js';
import { expectErrorCode } from '../support/expect-error-code.js';

const PASSWORD = 'Tr0mbone#secret';
const MINIMAL: TrunkProfileInput = {
  terminationDomain: '21784177241578.zt.plivo.com',
  callerIds: ['+14155550101'],
};

describe('trunk profile', () => {
  it('fills the defaults of a Zentrunk softphone: TLS, SRTP mandatory, §2.2 sources, no keep-alive', () => {
    const profile = loadTrunkProfile(MINIMAL);
    expect(profile).toMatchObject({
      terminationDomain: { host: '21784177241578.zt.plivo.com', port: undefined },
      outboundProxy: undefined,
      transport: 'tls',
      srtp: 'mandatory',
      credentials: undefined,
      listen: { address: '127.0.0.1', port: 0 },
      optionsKeepAliveIntervalS: 0,
      rtpPortRange: { minPort: 10_000, maxPort: 30_000 },
      tls: { caFiles: [], caPem: [], useSystemCas: true, verifyServer: true },
    });
    expect(profile.allowedInboundSources).toEqual(ZENTRUNK_SIGNALLING_CIDRS);
    expect(ZENTRUNK_SIGNALLING_CIDRS).toHaveLength(14);
    // Derived from policy's table by region: the three regions the specifications page omits are in it.
    expect(ZENTRUNK_SIGNALLING_CIDRS).toEqual(
      expect.arrayContaining(['54.233.191.0/27', '204.89.149.128/27', '15.207.90.192/31', '13.52.9.0/25']),
    );
  });

  it.each([
    ['udp', 'off'],
    ['tcp', 'off'],
    ['tls', 'mandatory'],
  ] as const)('defaults SRTP on %s to %s', (transport, srtp) => {
    expect(loadTrunkProfile({ ...MINIMAL, transport }).srtp).toBe(srtp);
  });

  it('reads the emulator form: a domain with a port, an outbound proxy, extra CA PEM', () => {
    const profile = loadTrunkProfile({
      ...MINIMAL,
      terminationDomain: '10000000000001.zt.plivo.com',
      outboundProxy: '127.0.0.1:5061',
      tls: { caPem: ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'] },
    });
    expect(profile.outboundProxy).toEqual({ host: '127.0.0.1', port: 5061 });
    expect(profile.tls.caPem).toHaveLength(1);
  });

  // One row per field rule: the issue names the field, and says what to enter.
  const rows: Array<[string, Record<string, unknown>, string, RegExp]> = [
    ['no domain', { terminationDomain: undefined }, 'terminationDomain', /expected string/i],
    [
      'a domain with a path',
      { terminationDomain: 'zt.plivo.com/x' },
      'terminationDomain',
      /termination SIP domain/,
    ],
    ['a proxy port out of range', { outboundProxy: '127.0.0.1:70000' }, 'outboundProxy', /host:port/],
    ['an unknown transport', { transport: 'ws' }, 'transport', /./],
    ['no caller ID', { callerIds: [] }, 'callerIds', /at least one of your Plivo numbers/],
    ['a caller ID with letters', { callerIds: ['+1415CALLME'] }, 'callerIds[0]', /phone number/],
    ['a password without username', { password: PASSWORD }, 'username', /credential list username/],
    [
      'a CIDR that is not one',
      { allowedInboundSources: ['10.0.0.0/40'] },
      'allowedInboundSources[0]',
      /CIDR/,
    ],
    [
      'OPTIONS every 5 s',
      { optionsKeepAliveIntervalS: 5 },
      'optionsKeepAliveIntervalS',
      /at least 15 seconds/,
    ],
    ['a listen host name', { listen: { address: 'localhost' } }, 'listen.address', /./],
    [
      'a certificate without key',
      { listen: { tlsCertificateFile: 'c.pem' } },
      'listen.tlsKeyFile',
      /together/,
    ],
    ['a country code of three letters', { enabledCountries: ['USA'] }, 'enabledCountries[0]', /ISO 3166/],
  ];
  it.each(rows)('refuses %s, naming the field', (_name, change, path, message) => {
    const result = parseTrunkProfile({ ...MINIMAL, ...change });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues.find((i) => i.path === path);
    expect(issue, JSON.stringify(result.issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it('reports every problem at once, in a TrunkProfileError with code UA_PROFILE_INVALID', () => {
    const error = expectErrorCode(
      () => loadTrunkProfile({ terminationDomain: '', callerIds: [], transport: 'sctp' }),
      'UA_PROFILE_INVALID',
    );
    expect(error).toBeInstanceOf(TrunkProfileError);
    expect((error as TrunkProfileError).issues.map((i) => i.path).sort()).toEqual([
      'callerIds',
      'terminationDomain',
      'transport',
    ]);
  });

  it('keeps the password as a SecretString: never in JSON, inspect, String or error messages', () => {
    const profile = loadTrunkProfile({ ...MINIMAL, username: 'trunkuser', password: PASSWORD });
    expect(profile.credentials?.password).toBeInstanceOf(SecretString);
    expect(profile.credentials?.password.reveal()).toBe(PASSWORD);
    for (const rendering of [
      JSON.stringify(profile),
      inspect(profile, { depth: 10 }),
      String(profile.credentials?.password),
    ]) {
      expect(rendering).not.toContain(PASSWORD);
    }
    const bad = parseTrunkProfile({ ...MINIMAL, password: PASSWORD, callerIds: [PASSWORD] });
    expect(JSON.stringify(bad)).not.toContain(PASSWORD);
  });

  it.each([
    ['zt.example.com', { host: 'zt.example.com', port: undefined }],
    ['127.0.0.1:5061', { host: '127.0.0.1', port: 5061 }],
    ['[::1]:5060', { host: '::1', port: 5060 }],
    ['Upper.Case.Example', { host: 'upper.case.example', port: undefined }],
  ])('parses and formats %s', (text, expected) => {
    const parsed = parseHostPort(text);
    expect(parsed).toEqual(expected);
    expect(parseHostPort(formatHostPort(parsed!))).toEqual(expected);
  });

  it.each(['', 'host:0', 'host:99999', 'a b', 'sip:host'])('refuses %j as host:port', (text) => {
    expect(parseHostPort(text)).toBeUndefined();
  });
});
