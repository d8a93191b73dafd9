import { describe, expect, it } from 'vitest';
import { lookupLiteral } from '../../src/common/lookup-literal.js';

describe('lookupLiteral', () => {
  it.each([
    ['127.0.0.1', 4],
    ['::1', 6],
    ['2001:db8::5', 6],
  ])('answers the literal %s at once, before it returns (family %i)', (literal, family) => {
    const answers: Array<[string, number]> = [];
    lookupLiteral(literal, {}, (error, address, answeredFamily) => {
      expect(error).toBeNull();
      answers.push([address, answeredFamily]);
    });
    expect(answers).toEqual([[literal, family]]);
  });

  it('resolves a host name through dns.lookup, later', async () => {
    let returned = false;
    let answeredBeforeReturn: boolean | undefined;
    const answer = new Promise<[string, number]>((resolve, reject) =>
      lookupLiteral('localhost', { family: 4 }, (error, address, family) => {
        answeredBeforeReturn = !returned;
        if (error) reject(error);
        else resolve([address, family]);
      }),
    );
    returned = true;
    const [address, family] = await answer;
    expect(answeredBeforeReturn).toBe(false);
    expect(family).toBe(4);
    expect(address).toMatch(/^127\./);
  });
});
