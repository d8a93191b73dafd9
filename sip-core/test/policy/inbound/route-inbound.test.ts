import { describe, expect, it } from 'vitest';
import {
  originationRequestUri,
  routeInbound,
  shouldTryFallback,
} from '../../../src/policy/inbound/route-inbound.js';
import { DEMO_TRUNK_IDS, accountWith, demo } from '../../support/policy-fixtures.js';

const inboundTrunk = (change: Record<string, unknown>) =>
  accountWith((c) => ({
    ...c,
    trunks: c.trunks?.map((t) => (t.trunk_id === DEMO_TRUNK_IDS.inbound ? { ...t, ...change } : t)),
  }));

describe('inbound routing (§5.1, §20)', () => {
  it('routes a DID to its inbound trunk’s primary and fallback URIs', () => {
    const route = routeInbound('14155550100', demo);
    expect(route).toMatchObject({
      kind: 'route',
      did: '+14155550100',
      trunk: { trunk_id: DEMO_TRUNK_IDS.inbound },
      primary: { uri_uuid: 'demo-primary-uri', target: { host: '127.0.0.1', port: 5080, transport: 'udp' } },
      fallback: { uri_uuid: 'demo-fallback-uri', target: { port: 5090, transport: 'tcp' } },
      fallbackProblem: undefined,
    });
  });

  it.each([
    ['a number not on the account', '+14155550199', demo, 404, 4080],
    ['an owned number without app_id', '+14155550101', demo, 404, 4080],
    ['a disabled inbound trunk', '+14155550100', inboundTrunk({ trunk_status: 'disabled' }), 404, 4080],
    ['a trunk without primary URI', '+14155550100', inboundTrunk({ primary_uri_uuid: null }), 404, 4310],
    [
      'a primary URI that does not exist',
      '+14155550100',
      inboundTrunk({ primary_uri_uuid: 'gone' }),
      404,
      4310,
    ],
  ])('refuses %s', (_name, did, account, status, code) => {
    expect(routeInbound(did, account)).toMatchObject({ kind: 'reject', status, cause: { code } });
  });

  it('refuses an unusable primary URI with 4320 uri_invalid', () => {
    const account = accountWith((c) => c);
    const broken = {
      ...account,
      origination_uris: account.origination_uris.map((u) => ({ ...u, uri: 'bad host!' })),
    };
    expect(routeInbound('+14155550100', broken)).toMatchObject({
      kind: 'reject',
      cause: { code: 4320, causeName: 'uri_invalid' },
    });
  });

  it('refuses with 4030 when the live credit balance is spent, before any PBX leg', () => {
    expect(routeInbound('+14155550100', demo, 0)).toMatchObject({
      kind: 'reject',
      status: 402,
      cause: { code: 4030 },
    });
  });

  it('routes to the primary only when the fallback is missing, and says so', () => {
    const route = routeInbound('+14155550100', inboundTrunk({ fallback_uri_uuid: 'gone' }));
    expect(route).toMatchObject({
      kind: 'route',
      fallback: undefined,
      fallbackProblem: 'fallback URI gone does not exist',
    });
  });

  it.each([
    [{ kind: 'timeout' as const }, true],
    [{ kind: 'transport-failure' as const }, true],
    [{ kind: 'response' as const, status: 500 }, true],
    [{ kind: 'response' as const, status: 503 }, true],
    [{ kind: 'response' as const, status: 603 }, true],
    [{ kind: 'response' as const, status: 486 }, false],
    [{ kind: 'response' as const, status: 404 }, false],
    [{ kind: 'response' as const, status: 480 }, false],
  ])('tries the fallback after %j: %s', (outcome, expected) => {
    expect(shouldTryFallback(outcome)).toBe(expected);
  });

  it('builds the Request-URI Zentrunk sends (§5.2)', () => {
    const route = routeInbound('+14155550100', demo);
    if (route.kind !== 'route') throw new Error('expected a route');
    expect(originationRequestUri(route.primary.target, route.did, route.trunk.trunk_id, 60)).toBe(
      `sip:+14155550100@127.0.0.1:5080;transport=udp;timeout=60;carrierid=${DEMO_TRUNK_IDS.inbound}`,
    );
    expect(
      originationRequestUri(
        {
          user: undefined,
          host: '2001:db8::1',
          hostKind: 'ipv6',
          port: 5060,
          portExplicit: false,
          transport: 'tcp',
          transportExplicit: true,
        },
        '+14155550100',
        '1',
        30,
      ),
    ).toBe('sip:+14155550100@[2001:db8::1]:5060;transport=tcp;timeout=30;carrierid=1');
  });
});
