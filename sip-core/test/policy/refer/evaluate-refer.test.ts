import { describe, expect, it } from 'vitest';
import { evaluateRefer, parseReferTo } from '../../../src/policy/refer/evaluate-refer.js';
import { policySettings } from '../../../src/policy/settings/policy-settings.js';
import { demo } from '../../support/policy-fixtures.js';

const OWN = '10000000000001.zt.plivo.com';
const outbound = { callDirection: 'outbound' as const };

describe('evaluateRefer (§7, §20)', () => {
  it.each([
    // Refer-To, status, deciding rule
    [`<sip:+14155550111@${OWN}>`, 202, undefined],
    [`"Sales" <sip:+442079460123@${OWN};transport=udp>`, 202, undefined],
    [`sip:+14155550111@${OWN}`, 202, undefined],
    [`<sip:+14155550111@10000000000002.us-east-1.zt.plivo.com>`, 202, undefined],
    [`<sips:+14155550111@${OWN.toUpperCase()}>`, 202, undefined],
    [undefined, 400, 'refer.refer-to'],
    ['garbage', 400, 'refer.refer-to'],
    [`<tel:+14155550111>`, 400, 'refer.refer-to'],
    [`<sip:${OWN}>`, 400, 'refer.refer-to'],
    ['<sip:+14155550111@10.0.0.8>', 403, 'refer.private-ip'],
    ['<sip:+14155550111@[fd00::8]>', 403, 'refer.private-ip'],
    ['<sip:+14155550111@34.120.1.1>', 403, 'refer.trunk-domain'],
    ['<sip:+14155550111@203.0.113.8>', 403, 'refer.private-ip'], // documentation range: not routable either
    ['<sip:+14155550111@pbx.example.com>', 403, 'refer.trunk-domain'],
    ['<sip:+14155550111@99999999999999.zt.plivo.com>', 403, 'refer.trunk-domain'],
    [`<sip:4155550111@${OWN}>`, 400, 'refer.e164'],
    [`<sip:alice@${OWN}>`, 400, 'refer.e164'],
    [`<sip:+5372345678@${OWN}>`, 403, 'refer.geo'],
  ])('Refer-To %s → %i (%s)', (referTo, status, ruleId) => {
    const decision = evaluateRefer(referTo, outbound, demo);
    expect(decision.status).toBe(status);
    expect(decision.reasonPhrase).toBe({ 202: 'Accepted', 400: 'Bad Request', 403: 'Forbidden' }[status]);
    const last = decision.trace.at(-1);
    if (ruleId) {
      expect(last).toMatchObject({ ruleId, outcome: 'fail', section: '§7, §20' });
      expect(decision.target).toBeUndefined();
    } else {
      expect(decision.trace.every((t) => t.outcome === 'pass')).toBe(true);
      expect(decision.target?.number.ok).toBe(true);
    }
    expect(decision.explanation).toMatch(/\.$/);
  });

  it('accepts the emulator’s configured domain as well as zt.plivo.com', () => {
    const settings = policySettings({ trunkDomainSuffix: 'zt.trunkline.test' });
    expect(
      evaluateRefer('<sip:+14155550111@10000000000001.zt.trunkline.test>', outbound, demo, settings).status,
    ).toBe(202);
    expect(evaluateRefer(`<sip:+14155550111@${OWN}>`, outbound, demo, settings).status).toBe(202);
  });

  it('honours Replaces (attended transfer) and says whose number the new leg shows', () => {
    const decision = evaluateRefer(
      `<sip:+14155550111@${OWN}?Replaces=abc%40pbx%3Bto-tag%3D1%3Bfrom-tag%3D2>`,
      { callDirection: 'inbound' },
      demo,
    );
    expect(decision.status).toBe(202);
    expect(decision.target?.replaces).toBe('abc@pbx;to-tag=1;from-tag=2');
    expect(decision.explanation).toMatch(/attended.*original caller’s number/);
    expect(evaluateRefer(`<sip:+14155550111@${OWN}>`, outbound, demo).explanation).toMatch(
      /your Plivo number/,
    );
  });

  it('parses display names, parameters and headers', () => {
    expect(parseReferTo('"A" <sip:%2B1415@host.example:5060;transport=tcp?X=1&Y=%20>')).toEqual({
      scheme: 'sip',
      user: '+1415',
      host: 'host.example',
      headers: new Map([
        ['x', '1'],
        ['y', ' '],
      ]),
    });
    expect(parseReferTo('<sip:a@b?R=%zz>')).toBeUndefined();
  });
});
