import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createCheckTarget, signallingAddress, summarizeTarget } from '../../../src/checks/index.js';
import { SecretString } from '../../../src/policy/index.js';
import { expectErrorCode } from '../../support/expect-error-code.js';

const PASSWORD = 'hunter2-but-longer';

describe('CheckTarget', () => {
  it('defaults the port by transport and sends SIP to the proxy when there is one', () => {
    const tls = createCheckTarget({ terminationDomain: 'X.ZT.plivo.com' });
    expect(tls).toMatchObject({
      terminationDomain: 'x.zt.plivo.com',
      transport: 'tls',
      port: 5061,
      isEmulator: false,
    });
    expect(createCheckTarget({ terminationDomain: 'x.zt.plivo.com', transport: 'udp' }).port).toBe(5060);
    const proxied = createCheckTarget({
      terminationDomain: 'x.zt.plivo.com',
      outboundProxy: { host: '127.0.0.1', port: 5070 },
    });
    expect(signallingAddress(proxied)).toEqual({ host: '127.0.0.1', port: 5070 });
    expect(signallingAddress(tls)).toEqual({ host: 'x.zt.plivo.com', port: 5061 });
  });

  it.each([
    [{ terminationDomain: 'not a domain' }, /terminationDomain must be a host name/],
    [{ terminationDomain: 'x.zt.plivo.com', port: 0 }, /port/],
    [{ terminationDomain: 'x.zt.plivo.com', callerId: 'abc' }, /callerId must be a phone number/],
    [{ terminationDomain: 'x.zt.plivo.com', region: 'moon-1' }, /region must be a Zentrunk region/],
    [
      { terminationDomain: 'x.zt.plivo.com', caCertificates: ['nope'] },
      /caCertificates.0 must be a PEM certificate/,
    ],
  ])('refuses %o naming the field', (input, message) => {
    const error = expectErrorCode(() => createCheckTarget(input), 'CHECKS_TARGET_INVALID');
    expect(error.message).toMatch(message);
  });

  it('never shows the password: not in inspect, JSON, or the report summary', () => {
    const target = createCheckTarget({
      terminationDomain: 'x.zt.plivo.com',
      credentials: { username: 'pbx', password: new SecretString(PASSWORD) },
    });
    expect(inspect(target, { depth: 10 })).not.toContain(PASSWORD);
    expect(JSON.stringify(target)).not.toContain(PASSWORD);
    expect(summarizeTarget(target)).toMatchObject({ username: 'pbx', hasPassword: true });
    expect(JSON.stringify(summarizeTarget(target))).not.toContain(PASSWORD);
  });
});
