import { describe, expect, it } from 'vitest';
import {
  callDetailRecordSchema,
  CDR_FIELDS,
  type NewCallDetailRecord,
} from '../../src/store/call-detail-record.js';
import { fastCheckedCdr } from '../../src/store/cdr-fast-check.js';
import { documentedCdr, makeCdr } from '../support/cdr-factory.js';
import { seededRandom } from '../support/seeded-random.js';
import { useStores } from '../support/store-fixtures.js';
import { InvalidRecordError } from '../../src/store/trunkline-store.js';

/** Every Trunkline field set, with nested JSON, so that the copies of rtp_stats and extras are compared too. */
const FULL: NewCallDetailRecord = documentedCdr({
  sip_status: 200,
  sip_reason: 'OK',
  codec: 'PCMU',
  srtp_suite: 'AES_CM_128_HMAC_SHA1_80',
  source_address: '2001:db8::1',
  source_port: 5060,
  queue_delay_ms: 12.5,
  parent_call_uuid: 'parent-1',
  trunk_id: '10000000000002',
  policy_rule_id: 'allow',
  policy_section: '§4.2',
  policy_grade: 'D-old',
  post_dial_delay_ms: 3,
  rtp_stats: { sent: { packets: 10, ssrc: 'abc', lost: null }, received: { packets: 0, ok: true } },
  extras: { far_end_scenario: 'echo', list: [1, 'two', [false, null], { deep: { deeper: 1.5 } }] },
});

/** What zod makes of a record, or undefined when it refuses it. */
function zodChecked(input: unknown): unknown {
  const result = callDetailRecordSchema.safeParse(input);
  return result.success ? result.data : undefined;
}

function expectSameAsZod(input: unknown): void {
  const fast = fastCheckedCdr(input);
  expect(fast).toBeDefined();
  expect(fast).toStrictEqual(zodChecked(input));
  // The same key order: JSON exports and events print the record as returned.
  expect(Object.keys(fast!)).toEqual(Object.keys(zodChecked(input) as object));
}

const long = (n: number) => 'x'.repeat(n);

/**
 * For every field the schema checks, values it refuses: the fast check must refuse each of them too (and zod
 * must, or the row is wrong). `undefined` means "left out" for a required field.
 */
const REFUSED: Record<(typeof CDR_FIELDS)[number], readonly unknown[]> = {
  call_uuid: [undefined, '', long(129), 7],
  call_id: ['', long(1025), 1],
  from_number: [undefined, '', long(257), null],
  to_number: [undefined, '', long(257), null],
  call_direction: [undefined, 'sideways', null],
  call_duration: [undefined, -1, 1.5, Number.NaN, Infinity, '3', null],
  bill_duration: [undefined, -1, 0.5, null],
  billed_duration: [undefined, -1, 2 ** 53, null],
  initiation_time: [undefined, '2024-02-31 00:00:00', '2024-01-15T14:28:48Z', null, 0],
  answer_time: ['2024-01-15 24:00:00', '2024-01-15 14:28:47', '2024-01-15 14:32:01', 5],
  end_time: [undefined, '2024-01-15 14:28:47', 'yesterday', null],
  hangup_cause_name: [undefined, '', long(129)],
  hangup_cause_code: [undefined, -1, 100_000, 3000.5, '3000'],
  hangup_source: [undefined, 'pbx'],
  total_rate: [undefined, '0.005', '1.000000', '-0.00500', 0.005],
  total_amount: [undefined, '0.1', '12345678901.00000'],
  trunk_domain: [undefined, '', long(256)],
  from_country: ['us', 'USA', 1],
  to_country: ['U', ''],
  transport_protocol: [undefined, 'sctp', 'UDP'],
  srtp: [undefined, 'false', 0],
  secure_trunking: [undefined, 1, null],
  secure_trunking_rate: [undefined, '0', null],
  stir_verification: [undefined, 'verified'],
  attestation_indicator: ['D', 'AA', 'a'],
  cnam_lookup: ['no', null],
  cnam_lookup_rate: ['0', null],
  recorded_by: [undefined, 'pbx', null],
  sip_status: [99, 700, 200.5, '200'],
  sip_reason: [long(257), 200],
  codec: ['', long(65)],
  srtp_suite: ['', long(65)],
  source_address: ['', long(65)],
  source_port: [-1, 65_536, 1.5],
  queue_delay_ms: [-1, Infinity, Number.NaN, '1'],
  parent_call_uuid: ['', long(129), '90b6eb07-0000-4000-8000-000000000001'],
  trunk_id: ['', long(65)],
  policy_rule_id: ['', long(129)],
  policy_section: ['', long(129)],
  policy_grade: ['X', 'd'],
  post_dial_delay_ms: [-0.5, Infinity],
  rtp_stats: [
    'none',
    [],
    { sent: { packets: Infinity } },
    { sent: 'x' },
    { sent: { nested: { bad: Number.NaN } } },
    { sent: { f: () => 1 } },
    { sent: { u: undefined } },
  ],
  extras: [
    [],
    'x',
    { n: Number.NaN },
    { list: [1, undefined] },
    { d: new Date(0) },
    { big: 1n },
    { m: new Map() },
    new Map(),
  ],
};

describe('fastCheckedCdr', () => {
  it('returns exactly what zod returns for valid records: defaults filled in, schema order, JSON copied', () => {
    expectSameAsZod(documentedCdr());
    expectSameAsZod(FULL);
    for (let i = 0; i < 40; i += 1) expectSameAsZod(makeCdr(i));
    // Optional fields left out and set to undefined both become null; the defaulted ones take their defaults.
    const { cnam_lookup: _c, cnam_lookup_rate: _r, attestation_indicator: _a, ...minimal } = documentedCdr();
    expectSameAsZod(minimal);
    expectSameAsZod({ ...minimal, codec: undefined, extras: undefined });
    // Empty reason phrase, limits reached exactly, JSON with an object of no prototype.
    expectSameAsZod(
      documentedCdr({
        sip_reason: '',
        call_uuid: long(128),
        call_id: long(1024),
        trunk_domain: long(255),
        source_port: 65_535,
        hangup_cause_code: 99_999,
        extras: Object.assign(Object.create(null) as Record<string, number>, { a: 1 }),
      }),
    );
    const fast = fastCheckedCdr(FULL)!;
    expect(fast.extras).not.toBe(FULL.extras);
    expect(fast.rtp_stats?.sent).not.toBe(FULL.rtp_stats?.sent);
  });

  it('has a refusal case for every field of the schema', () => {
    expect(Object.keys(REFUSED).sort()).toEqual([...CDR_FIELDS].sort());
  });

  for (const [field, values] of Object.entries(REFUSED)) {
    it(`refuses what the schema refuses in ${field}`, () => {
      for (const value of values) {
        const input: Record<string, unknown> = { ...FULL };
        if (value === undefined) delete input[field];
        else input[field] = value;
        expect(zodChecked(input), `${field} = ${String(value)}: zod`).toBeUndefined();
        expect(fastCheckedCdr(input), `${field} = ${String(value)}: fast check`).toBeUndefined();
      }
    });
  }

  it("refuses the schema's cross-field rules, unknown keys and inputs that are not plain records", () => {
    const cases: unknown[] = [
      { ...FULL, end_time: '2024-01-15 14:28:00' },
      { ...FULL, answer_time: '2024-01-15 14:32:01' },
      { ...FULL, parent_call_uuid: FULL.call_uuid },
      { ...FULL, unknown_field: 1 },
      { ...FULL, [Symbol('s')]: 1 },
      Object.assign(new (class Cdr {})(), FULL),
      null,
      'cdr',
      [FULL],
    ];
    for (const input of cases) expect(fastCheckedCdr(input)).toBeUndefined();
  });

  it('never accepts a record zod refuses, and agrees with zod on the ones it accepts (seeded mutations)', () => {
    const random = seededRandom(152);
    const pool: unknown[] = [
      undefined,
      null,
      '',
      'x',
      '+14155550101',
      'US',
      'udp',
      'A',
      '0.00000',
      '2024-01-15 14:30:00',
      0,
      -1,
      1.5,
      200,
      99_999,
      Number.NaN,
      true,
      {},
      { sent: { a: 1 } },
      [],
    ];
    let accepted = 0;
    for (let round = 0; round < 3_000; round += 1) {
      const input: Record<string, unknown> = { ...FULL };
      const changes = 1 + Math.floor(random() * 3);
      for (let c = 0; c < changes; c += 1) {
        const field = CDR_FIELDS[Math.floor(random() * CDR_FIELDS.length)];
        input[field] = pool[Math.floor(random() * pool.length)];
      }
      const fast = fastCheckedCdr(input);
      if (fast === undefined) continue;
      accepted += 1;
      expect(fast).toStrictEqual(zodChecked(input));
    }
    // The mutations must exercise the accepting side too, or this test proves nothing.
    expect(accepted).toBeGreaterThan(100);
  });
});

describe('recordCallEnds with builtInternally', () => {
  const openStore = useStores();

  it('stores what zod would store, and refuses a bad record with the same field-naming error', () => {
    const store = openStore();
    const bad = makeCdr(2, { total_rate: '0.5' });
    const [fast, fastBad] = store.recordCallEnds([{ cdr: makeCdr(1) }, { cdr: bad }], {
      builtInternally: true,
    });
    const [, zodBad] = store.recordCallEnds([{ cdr: makeCdr(3) }, { cdr: bad }]);
    expect(fast).toEqual({ ok: true, cdr: zodChecked(makeCdr(1)) });
    expect(store.getCdr(makeCdr(1).call_uuid)).toEqual(zodChecked(makeCdr(1)));
    expect(fastBad?.ok).toBe(false);
    expect(zodBad?.ok).toBe(false);
    if (fastBad?.ok === false && zodBad?.ok === false) {
      expect(fastBad.error).toBeInstanceOf(InvalidRecordError);
      expect((fastBad.error as InvalidRecordError).issues).toEqual(
        (zodBad.error as InvalidRecordError).issues,
      );
      expect((fastBad.error as InvalidRecordError).issues[0]?.path).toBe('total_rate');
    }
  });
});
