/** Stable ids and PostgreSQL-style names derived from element names. */

const ID_MAX = 64;
const PG_NAME_MAX = 63;

/** FNV-1a, 32 bit: a short, stable suffix that keeps truncated ids distinct. */
function hash8(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}

/** `derivedId('f', 'invoices', 'tenant_id')` → `f_invoices_tenant_id`; always a valid model id. */
export function derivedId(prefix: string, ...parts: string[]): string {
  const raw = [prefix, ...parts].join('_');
  const clean = raw.replace(/[^A-Za-z0-9_-]/g, '_');
  if (clean.length <= ID_MAX) return clean;
  return `${clean.slice(0, ID_MAX - 9)}_${hash8(raw)}`;
}

/** PostgreSQL's default constraint and index names: `invoices_tenant_id_status_idx`. */
export function pgName(table: string, columns: readonly string[], suffix: string): string {
  const base = [table, ...columns].join('_');
  return `${base.slice(0, PG_NAME_MAX - suffix.length - 1)}_${suffix}`;
}

/** The closest candidate within two edits (or extending the name), for "did you mean" hints. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const wanted = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const other = candidate.toLowerCase();
    const isPrefix = wanted.length >= 3 && (other.startsWith(wanted) || wanted.startsWith(other));
    const distance = isPrefix ? 2 : editDistance(wanted, other);
    if (distance < bestDistance && distance < wanted.length) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  if (a === b) return 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/** ` (did you mean "tenants"?)` or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const hint = closest(name, candidates);
  return hint ? ` (did you mean "${hint}"?)` : '';
}
