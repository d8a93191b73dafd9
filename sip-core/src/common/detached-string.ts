// Copies of substrings that do not keep their source text alive. V8 represents `text.slice(a, b)` (of 13 or more
// characters) as a "sliced string": a view holding a pointer to the whole parent. A parser that slices header
// values out of a message's text therefore makes every kept value pin the whole message (about 1 KB for an
// INVITE); an object that lives for the length of a call (a dialog's Call-ID, tags and URIs, a call's numbers)
// would hold its INVITE's text for hours. `detachString` returns an equal string that owns its characters.
//
//   parent "INVITE sip:…\r\nCall-ID: 4d8c…\r\n…"  ◄── sliced string "4d8c…" (pins the parent)
//   detachString("4d8c…") ──► flat copy "4d8c…"    (the parent can be collected)
//
// How: a UTF-8 round trip through a Buffer decodes into a new flat string of exactly the text's length. The older
// way, concatenating a character and slicing it off, also let the parent go but left a sliced string (32 bytes)
// over a private copy one character longer: about 40 bytes more per kept string, and an idle emulator call keeps a
// dozen of them (docs/adr/0093). The round trip is exact for every string without lone surrogates, which text
// decoded from the wire cannot contain; a string that has one is copied the older way.

/** An equal string that does not share storage with the string it came from. */
export function detachString(text: string): string {
  if (text.length === 0) return '';
  const copy = Buffer.from(text, 'utf8').toString('utf8');
  return copy === text ? copy : (' ' + text).slice(1);
}
