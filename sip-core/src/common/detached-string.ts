// Copies of substrings that do not keep their source text alive. V8 represents `text.slice(a, b)` (of 13 or more
// characters) as a "sliced string": a view holding a pointer to the whole parent. A parser that slices header
// values out of a message's text therefore makes every kept value pin the whole message (about 1 KB for an
// INVITE); an object that lives for the length of a call (a dialog's Call-ID, tags and URIs, a call's numbers)
// would hold its INVITE's text for hours. `detachString` returns an equal string that owns its characters.
//
//   parent "INVITE sip:…\r\nCall-ID: 4d8c…\r\n…"  ◄── sliced string "4d8c…" (pins the parent)
//   detachString("4d8c…") ──► flat copy "4d8c…"    (the parent can be collected)
//
// How: concatenating a character makes a cons string; slicing that flattens the cons into a new string of just
// `1 + length` characters, and the result (a slice of that, or a copy when short) refers to nothing else. It is
// the cheapest portable way: no natives syntax, no encoding round trip.

/** An equal string that does not share storage with the string it came from. */
export function detachString(text: string): string {
  return text.length === 0 ? '' : (' ' + text).slice(1);
}
