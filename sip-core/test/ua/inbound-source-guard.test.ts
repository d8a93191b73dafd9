import { describe, expect, it } from 'vitest';
import { InboundSourceGuard } from '../../src/ua/inbound-source-guard.js';
import { ZENTRUNK_SIGNALLING_CIDRS } from '../../src/ua/zentrunk-signalling-ranges.js';

describe('inbound source guard (toll-fraud protection)', () => {
  const guard = new InboundSourceGuard(ZENTRUNK_SIGNALLING_CIDRS);

  it.each([
    ['13.52.9.1', true, 'North California /25'],
    ['13.52.9.128', false, 'just outside the /25'],
    ['15.207.90.193', true, 'Mumbai /31, second address'],
    ['15.207.90.194', false, 'outside the /31'],
    ['54.233.191.31', true, 'São Paulo /27 (missing from the short list)'],
    ['::ffff:204.89.149.129', true, 'an IPv4-mapped IPv6 view of Singapore'],
    ['127.0.0.1', false, 'loopback is not Zentrunk'],
    ['203.0.113.9', false, 'a scanner'],
    ['not-an-ip', false, 'garbage'],
  ])('%s → %s (%s)', (address, allowed) => {
    expect(guard.allows(address)).toBe(allowed);
  });

  it('lets the trunk it calls through in once allowed (the emulator on loopback)', () => {
    const local = new InboundSourceGuard(ZENTRUNK_SIGNALLING_CIDRS);
    expect(local.allows('127.0.0.1')).toBe(false);
    local.allow('127.0.0.1');
    expect(local.allows('127.0.0.1')).toBe(true);
    expect(local.allows('127.0.0.2')).toBe(false);
  });
});
