const ESC = String.fromCharCode(27);
const SGR = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');

/** Text without its ANSI color escapes. */
export function stripAnsi(text: string): string {
  return text.replace(SGR, '');
}

/** Width of text as a terminal shows it: without ANSI escapes, one column per code point. */
export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

export function padEnd(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

export function padStart(text: string, width: number): string {
  return ' '.repeat(Math.max(0, width - visibleLength(text))) + text;
}

/** Word-wraps plain text to `width` columns, every line prefixed by `indent`; words longer than a line stay whole. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const room = Math.max(20, width - indent.length);
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > room) {
        lines.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(indent + line);
  }
  return lines;
}

/** Terminal width to lay out for: the terminal's, kept between 60 and 120; 100 when not a terminal. */
export function layoutWidth(columns: number | undefined): number {
  return Math.min(120, Math.max(60, columns ?? 100));
}
