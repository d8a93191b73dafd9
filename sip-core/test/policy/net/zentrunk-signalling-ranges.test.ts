import { describe, expect, it } from 'vitest';
import {
  ZENTRUNK_REGIONS,
  zentrunkRegion,
  zentrunkRegionOfAddress,
  zentrunkRegionOfDomain,
} from '../../../src/policy/index.js';

describe('Zentrunk signalling ranges (BEHAVIOUR.md §2.2)', () => {
  it('lists the 14 CIDRs of the quickstart page in 7 regions', () => {
    expect(ZENTRUNK_REGIONS).toHaveLength(7);
    expect(ZENTRUNK_REGIONS.flatMap((r) => r.cidrs)).toHaveLength(14);
  });

  it.each([
    ['13.52.9.1', 'us-west-1'],
    ['13.52.9.127', 'us-west-1'],
    ['216.120.187.130', 'us-west-1'],
    ['18.214.109.200', 'us-east-1'],
    ['204.89.148.129', 'us-east-1'],
    ['3.120.121.130', 'eu-central-1'],
    ['54.233.191.31', 'sa-east-1'],
    ['13.238.202.255', 'ap-southeast-2'],
    ['204.89.149.159', 'ap-southeast-1'],
    ['15.207.90.193', 'ap-south-1'],
    ['204.89.151.191', 'ap-south-1'],
    ['::ffff:18.136.1.130', 'ap-southeast-1'],
  ])('%s is in %s', (address, region) => {
    expect(zentrunkRegionOfAddress(address)?.id).toBe(region);
  });

  it.each([
    ['13.52.9.128'],
    ['15.207.90.194'],
    ['54.233.191.32'],
    ['127.0.0.1'],
    ['2001:db8::1'],
    ['not an address'],
  ])('%s is outside every range', (address) => {
    expect(zentrunkRegionOfAddress(address)).toBeUndefined();
  });

  it('finds regions by name and in region-qualified trunk domains', () => {
    expect(zentrunkRegion('AP-SOUTH-1')?.name).toBe('India (Mumbai)');
    expect(zentrunkRegion('mars-1')).toBeUndefined();
    expect(zentrunkRegionOfDomain('93667062664669661.ap-south-1.zt.plivo.com')?.id).toBe('ap-south-1');
    expect(zentrunkRegionOfDomain('21784177241578.zt.plivo.com')).toBeUndefined();
  });
});
