/** Facts about PostgreSQL column types as the model writes them (`numeric(12,2)`, `timestamptz`, `text[]`). */

const ALIASES: Record<string, string> = {
  int: 'integer',
  int4: 'integer',
  int8: 'bigint',
  int2: 'smallint',
  serial: 'integer',
  serial4: 'integer',
  serial8: 'bigint',
  bigserial: 'bigint',
  smallserial: 'smallint',
  serial2: 'smallint',
  bool: 'boolean',
  float8: 'double precision',
  float: 'double precision',
  double: 'double precision',
  float4: 'real',
  decimal: 'numeric',
  bpchar: 'char',
  character: 'char',
  'character varying': 'varchar',
  'timestamp with time zone': 'timestamptz',
  'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz',
  'time without time zone': 'time',
  datetime: 'timestamp',
};

const cache = new Map<string, string>();

/**
 * The comparable type: lower case, no length or precision, PostgreSQL aliases folded, serials as
 * their integer type (`SERIAL` → `integer`, `varchar(20)` → `varchar`); arrays keep their `[]`.
 */
export function canonicalType(type: string): string {
  const cached = cache.get(type);
  if (cached !== undefined) return cached;
  let t = type.trim().toLowerCase();
  const array = /\[\d*\]\s*$/.test(t) || t.startsWith('array ');
  t = t
    .replace(/\[\d*\]/g, '')
    .replace(/^array\s+/, '')
    .replace(/\([^()]*\)/g, ' ')
    .replace(/^(pg_catalog|public)\./, '')
    .replace(/"/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  t = ALIASES[t] ?? t;
  const result = array ? `${t}[]` : t;
  if (cache.size < 10_000) cache.set(type, result);
  return result;
}

const timestampCache = new Map<string, boolean>();
export const isTimestampType = (type: string) => {
  let result = timestampCache.get(type);
  if (result === undefined) {
    result = /^(timestamptz|timestamp|date|timetz|time)$/.test(canonicalType(type));
    if (timestampCache.size < 10_000) timestampCache.set(type, result);
  }
  return result;
};
/** A point in time without a zone: `timestamp` (and `time`). */
export const isZonelessTimestamp = (type: string) => /^(timestamp|time)$/.test(canonicalType(type));
export const isFloatType = (type: string) => /^(real|double precision|money)$/.test(canonicalType(type));
export const isIntegerType = (type: string) => /^(smallint|integer|bigint)$/.test(canonicalType(type));
export const isExactNumericType = (type: string) => isIntegerType(type) || canonicalType(type) === 'numeric';
export const isRangeType = (type: string) => /range$/.test(canonicalType(type));

const zonedCache = new Map<string, 'zoned' | 'zoneless' | 'other'>();

/** Whether a type is a point in time or time of day, and whether it keeps the zone. */
export function timeZoneKind(type: string): 'zoned' | 'zoneless' | 'other' {
  let kind = zonedCache.get(type);
  if (kind === undefined) {
    const t = canonicalType(type);
    kind = t === 'timestamptz' || t === 'timetz' ? 'zoned' : t === 'timestamp' || t === 'time' ? 'zoneless' : 'other';
    if (zonedCache.size < 10_000) zonedCache.set(type, kind);
  }
  return kind;
}
