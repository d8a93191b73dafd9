// Comma-separated lists of tokens: Allow (methods), Supported, Require, Proxy-Require, Unsupported (option
// tags, RFC 3261 §19.2). Empty elements (`timer,,100rel`) are skipped rather than rejected: they carry
// nothing, and refusing a call over a stray comma in Supported helps nobody.

import type { HeaderGrammar } from './header-field.js';
import { isToken, splitList, syntaxError } from './sip-lexer.js';

export function parseTokenList(text: string): readonly string[] {
  const out: string[] = [];
  for (const item of splitList(text)) {
    if (item === '') continue;
    if (!isToken(item)) throw syntaxError('a list element is not a token');
    out.push(item);
  }
  return Object.freeze(out);
}

export const TOKEN_LIST_GRAMMAR: HeaderGrammar<readonly string[]> = {
  parse: parseTokenList,
  format: (tokens) => tokens.join(', '),
};
