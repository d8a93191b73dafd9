// The DTMF events of RFC 4733 §3.2 (Table 3) and the symbols Trunkline shows for them. Hook flash is event 16;
// its symbol is '!', as in the application/dtmf-relay bodies of SIP INFO.

import { DtmfError } from './dtmf-error.js';

/** A DTMF symbol: a keypad digit, A-D, or '!' for hook flash. */
export type DtmfSymbol =
  '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D' | '!';

/** Symbols in event-code order: index = RFC 4733 event code. */
export const DTMF_SYMBOLS: readonly DtmfSymbol[] = Object.freeze([
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
  '!',
]);

/** The event code of hook flash. */
export const FLASH_EVENT = 16;

/** The symbol of an event code, or undefined for events that are not DTMF (tones, modem events …). */
export function symbolForEvent(event: number): DtmfSymbol | undefined {
  return DTMF_SYMBOLS[event];
}

/** The event code of a symbol; lowercase a-d are accepted. Undefined for anything else. */
export function eventForSymbol(symbol: string): number | undefined {
  const index = DTMF_SYMBOLS.indexOf(symbol.toUpperCase() as DtmfSymbol);
  return index < 0 ? undefined : index;
}

/** The event codes of a digit string such as '123#'; any other character is a `DtmfError` naming it. */
export function eventsForDigits(digits: string): number[] {
  return Array.from(digits, (character, position) => {
    const event = eventForSymbol(character);
    if (event === undefined) {
      throw new DtmfError(
        'DTMF_INVALID_DIGIT',
        `'${character}' at position ${position + 1} is not a DTMF symbol; use 0-9, *, #, A-D or ! (flash).`,
      );
    }
    return event;
  });
}
