/** Facts about PostgreSQL type names as the model writes them (`numeric(12,2)`, `timestamptz`, `text[]`). */

const BUILTIN_TYPES = new Set([
  'smallint', 'integer', 'int', 'bigint', 'int2', 'int4', 'int8',
  'smallserial', 'serial', 'bigserial', 'serial2', 'serial4', 'serial8',
  'numeric', 'decimal', 'real', 'double precision', 'float', 'float4', 'float8', 'money',
  'text', 'varchar', 'character varying', 'char', 'character', 'bpchar', 'name',
  'bytea', 'boolean', 'bool', 'uuid', 'json', 'jsonb', 'xml',
  'date', 'time', 'timetz', 'time with time zone', 'time without time zone',
  'timestamp', 'timestamptz', 'timestamp with time zone', 'timestamp without time zone', 'interval',
  'inet', 'cidr', 'macaddr', 'macaddr8', 'bit', 'bit varying', 'varbit',
  'tsvector', 'tsquery', 'point', 'line', 'lseg', 'box', 'path', 'polygon', 'circle',
  'int4range', 'int8range', 'numrange', 'tsrange', 'tstzrange', 'daterange',
  'int4multirange', 'int8multirange', 'nummultirange', 'tsmultirange', 'tstzmultirange', 'datemultirange',
  'oid', 'regclass', 'regtype', 'pg_lsn', 'txid_snapshot', 'pg_snapshot', '"char"',
]);

/** `public.Invoice_Status[]` → `invoice_status`; `character varying(20)` → `character varying`. */
export function baseTypeName(type: string): string {
  let t = type.trim();
  while (/\[\d*\]\s*$/.test(t)) t = t.replace(/\[\d*\]\s*$/, '').trim();
  t = t.replace(/^array\s+/i, '');
  t = t.replace(/\(([^()]*)\)/g, ' ').replace(/\s+/g, ' ').trim();
  t = t.replace(/^(pg_catalog|public)\./i, '');
  if (t === '"char"') return t;
  return t.replace(/"/g, '').toLowerCase();
}

const ALIASES: Record<string, string> = {
  int: 'integer', int4: 'integer', int8: 'bigint', int2: 'smallint', serial4: 'serial', serial8: 'bigserial', serial2: 'smallserial',
  bool: 'boolean', float8: 'double precision', float: 'double precision', float4: 'real', decimal: 'numeric',
  bpchar: 'char', character: 'char', 'character varying': 'varchar', varbit: 'bit varying',
  'timestamp with time zone': 'timestamptz', 'timestamp without time zone': 'timestamp',
  'time with time zone': 'timetz', 'time without time zone': 'time',
};

/** `baseTypeName` with PostgreSQL's aliases folded: `int4`, `int` → `integer`; `character varying` → `varchar`. */
export function canonicalTypeName(type: string): string {
  const base = baseTypeName(type);
  return ALIASES[base] ?? base;
}

export function isArrayType(type: string): boolean {
  return /\[\d*\]\s*$/.test(type.trim());
}

export function isBuiltinType(type: string): boolean {
  return BUILTIN_TYPES.has(baseTypeName(type));
}

const SERIAL_FOR: Record<string, string> = { smallint: 'smallserial', integer: 'serial', bigint: 'bigserial', int2: 'smallserial', int4: 'serial', int8: 'bigserial', int: 'serial' };

/** The serial pseudo-type for an integer type fed by a sequence (`bigint` → `bigserial`), or null. */
export function serialTypeFor(type: string): string | null {
  if (isArrayType(type)) return null;
  return SERIAL_FOR[baseTypeName(type)] ?? null;
}

/** Matches the identity clause the model keeps in `field.default` (the schema has no identity flag). */
export const IDENTITY_DEFAULT = /^generated\s+(always|by\s+default)\s+as\s+identity\b/i;
/** Matches a stored generated column expression kept in `field.default`. */
export const GENERATED_DEFAULT = /^generated\s+always\s+as\s*\(/i;
