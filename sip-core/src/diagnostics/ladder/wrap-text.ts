// Word wrapping for the text renderers (ladder summaries, explanations): terminals and reports are read at a fixed
// width, and a cut-off remedy is worse than none.

/** Greedy word wrap to `width` columns; a word longer than the width stays whole on its own line. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w.length > 0)) {
    if (line.length > 0 && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line.length > 0 ? `${line} ${word}` : word;
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

/** `  Label:        value` with continuation lines aligned under the value. */
export function labelledLines(label: string, value: string, width: number, labelWidth: number): string[] {
  const prefix = `${label}:`.padEnd(labelWidth + 1);
  return wrapText(value, Math.max(10, width - prefix.length)).map(
    (line, i) => (i === 0 ? prefix : ' '.repeat(prefix.length)) + line,
  );
}
