/** ANSI styling that collapses to plain text when colors are off. */
export interface Style {
  color: boolean;
  bold: (text: string) => string;
  dim: (text: string) => string;
  red: (text: string) => string;
  green: (text: string) => string;
  yellow: (text: string) => string;
  cyan: (text: string) => string;
}

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

export function createStyle(color: boolean): Style {
  if (!color) return { color, bold: plain, dim: plain, red: plain, green: plain, yellow: plain, cyan: plain };
  return { color, bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), green: sgr(32, 39), yellow: sgr(33, 39), cyan: sgr(36, 39) };
}

/** Green from 80, yellow from 50, red below: the same bands for stages and the total. */
export function scoreColor(style: Style, score: number): (text: string) => string {
  return score >= 80 ? style.green : score >= 50 ? style.yellow : style.red;
}
