import type { Field } from '@hatch/model';

/**
 * Reads a partial index's predicate for the one shape that changes nothing for lookups by its
 * columns: a conjunction of `col IS NOT NULL` (also `col NOTNULL`, `NOT (col IS NULL)`, in
 * parentheses, quoted). A lookup `WHERE col = $1` implies `col IS NOT NULL`, so PostgreSQL can use
 * such an index for it — including the lookups its foreign key checks run from the referenced side.
 */

const IDENT = String.raw`(?:"((?:[^"]|"")+)"|([A-Za-z_][A-Za-z0-9_$]*))`;
const NOT_NULL = new RegExp(String.raw`^${IDENT}\s*(?:\s+IS\s+NOT\s+NULL|\s+NOTNULL)$`, 'i');
const NOT_IS_NULL = new RegExp(String.raw`^NOT\s*\(\s*${IDENT}\s+IS\s+NULL\s*\)$`, 'i');

/** Drops parentheses that wrap the whole text. */
function unwrap(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && closingParen(t, 0) === t.length - 1) t = t.slice(1, -1).trim();
  return t;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  let quote: string | null = null;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  return -1;
}

/** Top-level `AND` operands; null when the text has a top-level `OR` or unbalanced parentheses. */
function conjuncts(text: string): string[] | null {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') {
      if (--depth < 0) return null;
    } else if (depth === 0 && /[A-Za-z]/.test(c) && !/[A-Za-z0-9_$]/.test(text[i - 1] ?? '')) {
      const word = /^[A-Za-z]+/.exec(text.slice(i, i + 4))?.[0].toLowerCase();
      if (word === 'or') return null;
      if (word === 'and') {
        parts.push(text.slice(start, i));
        start = i + 3;
      }
    }
  }
  if (depth !== 0 || quote) return null;
  parts.push(text.slice(start));
  return parts;
}

/**
 * The columns a predicate only excludes NULLs of, as field ids; `[]` for no predicate; null for
 * any other predicate (`status = 'open'`) or a column the entity does not have.
 */
export function notNullColumns(where: string, fieldByName: ReadonlyMap<string, Field>, fields: readonly Field[]): string[] | null {
  const text = unwrap(where);
  if (text === '') return [];
  const parts = conjuncts(text);
  if (!parts) return null;
  const ids: string[] = [];
  for (const part of parts) {
    const operand = unwrap(part);
    const match = NOT_NULL.exec(operand) ?? NOT_IS_NULL.exec(operand);
    if (!match) return null;
    const field = match[1] !== undefined ? fields.find((f) => f.name === match[1].replace(/""/g, '"')) : fieldByName.get(match[2].toLowerCase());
    if (!field) return null;
    if (!ids.includes(field.id)) ids.push(field.id);
  }
  return ids;
}
