// The DTMF signalling frequencies of ITU-T Q.23 (Table 1): each key is one low-group ("row") and one
// high-group ("column") frequency.
//
//            1209 Hz  1336 Hz  1477 Hz  1633 Hz
//   697 Hz      1        2        3        A
//   770 Hz      4        5        6        B
//   852 Hz      7        8        9        C
//   941 Hz      *        0        #        D

/** Low-group frequencies, row by row. */
export const DTMF_LOW_GROUP_HZ: readonly number[] = Object.freeze([697, 770, 852, 941]);
/** High-group frequencies, column by column. */
export const DTMF_HIGH_GROUP_HZ: readonly number[] = Object.freeze([1209, 1336, 1477, 1633]);

/** The keypad as rows of columns. */
export const DTMF_KEYPAD: readonly string[] = Object.freeze(['123A', '456B', '789C', '*0#D']);

/** The (low, high) frequency pair of a keypad symbol (lowercase a-d accepted), or undefined. */
export function dtmfFrequencies(symbol: string): { lowHz: number; highHz: number } | undefined {
  const key = symbol.toUpperCase();
  if (key.length !== 1) return undefined;
  for (let row = 0; row < DTMF_KEYPAD.length; row++) {
    const column = DTMF_KEYPAD[row]?.indexOf(key) ?? -1;
    if (column >= 0) return { lowHz: DTMF_LOW_GROUP_HZ[row] ?? 0, highHz: DTMF_HIGH_GROUP_HZ[column] ?? 0 };
  }
  return undefined;
}

/** The keypad symbol at (row, column), or undefined. */
export function dtmfSymbolAt(row: number, column: number): string | undefined {
  return DTMF_KEYPAD[row]?.[column];
}
