import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { callDetailRecordSchema, type CallDetailRecord } from '../../src/store/call-detail-record.js';
import { cdrQueryFromSearchParams, compileCdrQuery, type CdrQuery } from '../../src/store/cdr-filter.js';
import { StoreError } from '../../src/store/store-error.js';
import { TrunklineStore } from '../../src/store/trunkline-store.js';
import { zentrunkListMeta } from '../../src/store/zentrunk-list-meta.js';
import { parseZentrunkTime } from '../../src/store/zentrunk-time.js';
import { makeCdr } from '../support/cdr-factory.js';
import { expectErrorCode } from '../support/expect-error-code.js';

const CALLS = 240;
let store: TrunklineStore;
let all: CallDetailRecord[];

beforeAll(() => {
  store = TrunklineStore.open({ path: ':memory:' });
  // Inserted in shuffled order: the list order must come from end_time, not from insertion.
  const order = Array.from({ length: CALLS }, (_, i) => (i * 97) % CALLS);
  for (const i of order) store.recordCallEnd(makeCdr(i, i === 5 ? { from_number: '12025550005' } : {}));
  all = order.map((i) => store.getCdr(makeCdr(i).call_uuid)!);
});
afterAll(() => store.close());

const endS = (cdr: CallDetailRecord): number => parseZentrunkTime(cdr.end_time)! / 1000;
const newestFirst = (a: CallDetailRecord, b: CallDetailRecord): number => endS(b) - endS(a);
/** The calls `predicate` keeps, newest first: the oracle for the SQL. */
const expected = (predicate: (c: CallDetailRecord) => boolean): string[] =>
  all
    .filter(predicate)
    .sort(newestFirst)
    .map((c) => c.call_uuid);
const listed = (query: CdrQuery | Record<string, unknown>): string[] =>
  store.listCdrs({ ...query, limit: 1000 }).objects.map((c) => c.call_uuid);

const digits = (n: string): string => n.replace(/^\+/, '');
const t = (i: number): string => makeCdr(i).end_time;

const rules: [string, CdrQuery | Record<string, unknown>, (c: CallDetailRecord) => boolean][] = [
  ['no filter', {}, () => true],
  [
    'from_number prefix with +',
    { from_number: '+1202555001' },
    (c) => digits(c.from_number).startsWith('1202555001'),
  ],
  [
    'from_number prefix without +',
    { from_number: '1202555001' },
    (c) => digits(c.from_number).startsWith('1202555001'),
  ],
  [
    'from_number exact, with +',
    { from_number: '+12025550005', number_match: 'exact' },
    (c) => digits(c.from_number) === '12025550005',
  ],
  [
    'from_number exact, without +',
    { from_number: '12025550017', number_match: 'exact' },
    (c) => c.from_number === '+12025550017',
  ],
  [
    'from_number exact does not match longer numbers',
    { from_number: '120255500', number_match: 'exact' },
    () => false,
  ],
  ['to_number prefix (country)', { to_number: '+44' }, (c) => c.to_number.startsWith('+44')],
  ['to_number prefix without +', { to_number: '91984' }, (c) => c.to_number.startsWith('+91984')],
  ['call_direction', { call_direction: 'inbound' }, (c) => c.call_direction === 'inbound'],
  ['hangup_cause_code', { hangup_cause_code: 5180 }, (c) => c.hangup_cause_code === 5180],
  ['hangup_cause_code as text', { hangup_cause_code: '3010' }, (c) => c.hangup_cause_code === 3010],
  ['hangup_source', { hangup_source: 'zentrunk' }, (c) => c.hangup_source === 'zentrunk'],
  [
    'stir_verification',
    { stir_verification: 'Not Applicable' },
    (c) => c.stir_verification === 'Not Applicable',
  ],
  ['bill_duration', { bill_duration: 0 }, (c) => c.bill_duration === 0],
  ['bill_duration__gt', { bill_duration__gt: 30 }, (c) => c.bill_duration > 30],
  ['bill_duration__gte', { bill_duration__gte: 30 }, (c) => c.bill_duration >= 30],
  ['bill_duration__lt', { bill_duration__lt: 6 }, (c) => c.bill_duration < 6],
  ['bill_duration__lte', { bill_duration__lte: '6' }, (c) => c.bill_duration <= 6],
  ['end_time', { end_time: t(17) }, (c) => c.end_time === t(17)],
  ['end_time__gt', { end_time__gt: t(200) }, (c) => endS(c) > endS(makeCdr(200) as CallDetailRecord)],
  ['end_time__gte', { end_time__gte: t(200) }, (c) => endS(c) >= endS(makeCdr(200) as CallDetailRecord)],
  ['end_time__lt', { end_time__lt: t(20) }, (c) => endS(c) < endS(makeCdr(20) as CallDetailRecord)],
  ['end_time__lte', { end_time__lte: t(20) }, (c) => endS(c) <= endS(makeCdr(20) as CallDetailRecord)],
  // 2024-01-15 00:01 is call 60's end; without seconds, with microseconds just after it.
  ['end_time__lt without seconds', { end_time__lt: '2024-01-15 00:01' }, (c) => endS(c) < 1705276860],
  [
    'end_time__gt with microseconds',
    { end_time__gt: '2024-01-15 00:01:00.000001' },
    (c) => endS(c) > 1705276860,
  ],
  [
    'end_time__gte with microseconds',
    { end_time__gte: '2024-01-15 00:00:59.999999' },
    (c) => endS(c) >= 1705276860,
  ],
  [
    'end_time range',
    { end_time__gte: t(100), end_time__lt: t(110) },
    (c) => endS(c) >= 1705276900 && endS(c) < 1705276910,
  ],
  ['recorded_by', { recorded_by: 'softphone' }, (c) => c.recorded_by === 'softphone'],
  ['trunk_domain, any case', { trunk_domain: '93667062664669661.ZT.plivo.com' }, () => true],
  ['trunk_domain, another', { trunk_domain: 'other.zt.plivo.com' }, () => false],
  ['hangup_cause_name', { hangup_cause_name: 'busy_line' }, (c) => c.hangup_cause_name === 'busy_line'],
  [
    'number_search in to',
    { number_search: '4207940' },
    (c) => digits(c.to_number).includes('4207940') || digits(c.from_number).includes('4207940'),
  ],
  [
    'number_search in from, with +',
    { number_search: '+55501' },
    (c) => c.from_number.includes('55501') || c.to_number.includes('55501'),
  ],
  ['end_date_from', { end_date_from: '2024-01-15' }, () => true],
  ['end_date_to the day before', { end_date_to: '2024-01-14' }, () => false],
  ['end_date range of the day', { end_date_from: '2024-01-15', end_date_to: '2024-01-15' }, () => true],
  [
    'several filters together',
    { call_direction: 'outbound', hangup_source: 'carrier', bill_duration__gt: 5 },
    (c) => c.call_direction === 'outbound' && c.hangup_source === 'carrier' && c.bill_duration > 5,
  ],
];

describe('listing CDRs with filters', () => {
  it.each(rules)('%s', (_, query, predicate) => {
    const want = expected(predicate);
    expect(listed(query)).toEqual(want);
    expect(store.listCdrs(query as CdrQuery).meta.total_count).toBe(want.length);
  });

  it('has at least one match and one miss for most rules (the table is not vacuous)', () => {
    const informative = rules.filter(([, , p]) => {
      const n = all.filter(p).length;
      return n > 0 && n < all.length;
    });
    expect(informative.length).toBeGreaterThan(rules.length * 0.7);
  });

  it('lists newest first by end_time, 20 per page by default, with the total count', () => {
    const page = store.listCdrs();
    expect(page.meta).toEqual({ limit: 20, offset: 0, total_count: CALLS });
    expect(page.objects.map((c) => c.call_uuid)).toEqual(expected(() => true).slice(0, 20));
  });

  it('pages with limit and offset without gaps or repeats', () => {
    const seen: string[] = [];
    for (let offset = 0; offset < CALLS; offset += 7) {
      const page = store.listCdrs({ limit: 7, offset, call_direction: undefined });
      expect(page.meta.total_count).toBe(CALLS);
      seen.push(...page.objects.map((c) => c.call_uuid));
    }
    expect(seen).toEqual(expected(() => true));
    expect(store.listCdrs({ offset: CALLS + 5 }).objects).toEqual([]);
  });

  it('breaks ties of end_time by insertion, newest first, stably across pages', () => {
    const tied = TrunklineStore.open({ path: ':memory:' });
    try {
      for (let i = 0; i < 5; i += 1) tied.recordCallEnd(makeCdr(1, { call_uuid: `tie-${i}` }));
      const pages = [0, 2, 4].flatMap((offset) =>
        tied.listCdrs({ limit: 2, offset }).objects.map((c) => c.call_uuid),
      );
      expect(pages).toEqual(['tie-4', 'tie-3', 'tie-2', 'tie-1', 'tie-0']);
    } finally {
      tied.close();
    }
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['a field Zentrunk does not filter on', { srtp: 'true' }, /^filtering not allowed on srtp$/],
    [
      'an operator on a field without operators',
      { hangup_cause_code__gt: 3000 },
      /not allowed on hangup_cause_code__gt/,
    ],
    ['a bad direction', { call_direction: 'both' }, /call_direction must be inbound or outbound/],
    ['a negative duration', { bill_duration__gt: -1 }, /bill_duration__gt must be whole seconds/],
    ['a fractional duration', { bill_duration: '1.5' }, /bill_duration must be whole seconds/],
    ['an ISO time', { end_time__gt: '2024-01-15T00:00:00Z' }, /end_time__gt must be a UTC time/],
    ['a time with seven fraction digits', { end_time__gt: '2024-01-15 00:00:00.1234567' }, /UTC time/],
    ['an impossible date', { end_date_from: '2024-02-30' }, /end_date_from must be a UTC date/],
    ['a bare +', { from_number: '+' }, /from_number must be a number/],
    [
      'a number_match other than prefix/exact',
      { number_match: 'suffix' },
      /number_match must be prefix or exact/,
    ],
    ['limit 0', { limit: 0 }, /limit must be a whole number from 1 to 1000/],
    ['limit above 1000', { limit: 1001 }, /limit must be/],
    ['a negative offset', { offset: -1 }, /offset must be/],
  ];

  it.each(refused)('refuses %s with STORE_INVALID_FILTER', (_, query, message) => {
    const error = expectErrorCode(() => store.listCdrs(query), 'STORE_INVALID_FILTER');
    expect(error).toBeInstanceOf(StoreError);
    expect(error.message).toMatch(message);
  });

  it('accepts a REST query string as is, and refuses a repeated parameter', () => {
    const query = cdrQueryFromSearchParams(
      new URLSearchParams(
        'to_number=44&bill_duration__gte=10&end_time__lt=2024-01-15 00:03&limit=5&offset=1',
      ),
    );
    const want = expected(
      (c) => c.to_number.startsWith('+44') && c.bill_duration >= 10 && endS(c) < 1705276980,
    );
    const page = store.listCdrs(query);
    expect(page.meta).toEqual({ limit: 5, offset: 1, total_count: want.length });
    expect(page.objects.map((c) => c.call_uuid)).toEqual(want.slice(1, 6));
    expect(() => cdrQueryFromSearchParams(new URLSearchParams('limit=1&limit=2'))).toThrow(/given twice/);
  });

  it('compiles to parameterised SQL only (values never reach the SQL text)', () => {
    const hostile = "1' OR '1'='1";
    const compiled = compileCdrQuery({ from_number: hostile, hangup_cause_name: hostile });
    expect(compiled.where).not.toContain(hostile);
    expect(compiled.params).toContain(hostile);
    expect(listed({ hangup_cause_name: hostile })).toEqual([]);
  });
});

describe('Zentrunk list meta', () => {
  it('links the previous and next pages without a leading slash, keeping the filters', () => {
    const path = 'v1/Account/MA123/Zentrunk/Call/';
    expect(zentrunkListMeta({ limit: 20, offset: 0, total_count: 109 }, path)).toEqual({
      limit: 20,
      offset: 0,
      total_count: 109,
      previous: null,
      next: 'v1/Account/MA123/Zentrunk/Call/?limit=20&offset=20',
    });
    expect(
      zentrunkListMeta({ limit: 20, offset: 100, total_count: 109 }, path, { call_direction: 'inbound' }),
    ).toEqual({
      limit: 20,
      offset: 100,
      total_count: 109,
      previous: 'v1/Account/MA123/Zentrunk/Call/?limit=20&offset=80&call_direction=inbound',
      next: null,
    });
    expect(zentrunkListMeta({ limit: 20, offset: 10, total_count: 15 }, path).previous).toBe(
      'v1/Account/MA123/Zentrunk/Call/?limit=20&offset=0',
    );
  });
});

it('keeps records exactly as validated (the oracle data is what was written)', () => {
  expect(all.find((c) => c.call_uuid === 'call-00000009')).toEqual(callDetailRecordSchema.parse(makeCdr(9)));
});
