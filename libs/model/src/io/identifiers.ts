import { QuoteUtils } from '@pgsql/quotes';

/** Quotes a PostgreSQL identifier only when needed (upper case, spaces, keywords), like `quote_ident()`. */
export function quoteIdent(name: string): string {
  return QuoteUtils.quoteIdentifier(name);
}

/** A standard SQL string literal (`standard_conforming_strings` on: only `'` is doubled). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** FNV-1a, 32 bits, base 36: a short stable tag for ids that had to be shortened or disambiguated. */
export function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36).padStart(7, '0');
}

const ID_MAX = 64;

function sanitize(part: string): string {
  return part.replace(/[^A-Za-z0-9_-]+/g, '-');
}

/**
 * Hands out model ids derived from names (`e_invoices`, `f_invoices_total`) so importing the same
 * source twice gives the same ids. Names that are not id-safe are sanitized; ids that would be too
 * long or collide get a hash of the full name appended.
 */
export class IdAllocator {
  private readonly used = new Set<string>();

  constructor(taken: Iterable<string> = []) {
    for (const id of taken) this.used.add(id);
  }

  next(prefix: string, ...parts: string[]): string {
    const raw = [prefix, ...parts].join('\u0000');
    let id = [prefix, ...parts.map(sanitize)].join('_');
    if (id.length > ID_MAX) id = `${id.slice(0, ID_MAX - 8)}-${shortHash(raw)}`;
    if (this.used.has(id)) id = `${id.slice(0, ID_MAX - 8)}-${shortHash(raw)}`;
    for (let n = 2; this.used.has(id); n++) id = `${id.slice(0, ID_MAX - 8 - String(n).length)}-${shortHash(raw)}${n}`;
    this.used.add(id);
    return id;
  }
}

/** PostgreSQL truncates identifiers to 63 bytes; do it ourselves so generated names stay predictable. */
export function truncateIdentifier(name: string, maxBytes = 63): string {
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= maxBytes) return name;
  let out = '';
  for (const ch of name) {
    if (encoder.encode(out + ch).length > maxBytes) break;
    out += ch;
  }
  return out;
}
