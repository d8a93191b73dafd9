import { describe, expect, it } from 'vitest';
import { GenericParams, SipMessageError, SipParseError } from '../../../src/sip/message/index.js';
import { parseParams } from '../../../src/sip/message/generic-params.js';

function parse(text: string): [GenericParams, number] {
  const params = new GenericParams();
  const end = parseParams(text, 0, text.length, params);
  return [params, end];
}

describe('parseParams', () => {
  it('reads valued, valueless, quoted and host values with white space around ; and =', () => {
    const [params, end] = parse(' ; tag = abc ;lr; text="a;b,c" ;received=2001:db8::1;maddr=[::1] rest');
    expect([...params]).toEqual([
      ['tag', 'abc'],
      ['lr', null],
      ['text', '"a;b,c"'],
      ['received', '2001:db8::1'],
      ['maddr', '[::1]'],
    ]);
    expect(end).toBe(' ; tag = abc ;lr; text="a;b,c" ;received=2001:db8::1;maddr=[::1]'.length);
  });

  it.each([';', ';;a', ';=x', ';a=', ';a="open'])('refuses %j', (text) => {
    expect(() => parse(text)).toThrow(SipParseError);
  });
});

describe('GenericParams', () => {
  it('looks names up case-insensitively, keeps order and written names', () => {
    const params = new GenericParams([
      ['Tag', 'x'],
      ['lr', null],
    ]);
    params.set('TAG', 'y').set('q', '0.5');
    expect([params.get('tag'), params.has('LR'), params.get('missing')]).toEqual(['y', true, undefined]);
    expect(params.toString()).toBe(';Tag=y;lr;q=0.5');
    expect(params.delete('lR')).toBe(true);
    expect(params.delete('lr')).toBe(false);
    expect(params.size).toBe(2);
  });

  it.each([
    ['a name with a space', 'a b', 'x'],
    ['a value with a semicolon', 'a', 'x;y'],
    ['an unterminated quoted value', 'a', '"x'],
    ['a value with a line break', 'a', '"x\r\ny"'],
    ['an empty value', 'a', ''],
  ])('refuses %s', (_, name, value) => {
    expect(() => new GenericParams().set(name, value)).toThrow(SipMessageError);
  });
});
