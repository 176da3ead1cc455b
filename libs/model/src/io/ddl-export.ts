import type { Entity, Field, Index, Model } from '../model.schema';
import { quoteIdent, quoteLiteral, truncateIdentifier } from './identifiers';
import {
  collectEnums,
  collectForeignKeys,
  enumOfType,
  isExactUniqueKey,
  splitViewDescription,
  type EnumFact,
  type ForeignKeyFact,
} from './model-facts';
import { canonicalTypeName, GENERATED_DEFAULT, IDENTITY_DEFAULT, isArrayType, isBuiltinType } from './postgres-types';

/*
 * Model → PostgreSQL DDL that applies to an empty database in one go: enum types, tables in
 * dependency order, foreign keys afterwards (so cycles work), indexes, views, comments. What cannot
 * apply cleanly (a foreign key to columns that are not unique, an index on a missing column) becomes
 * a `-- skipped:` comment instead of a statement that would fail. Same model, same text.
 */

const TYPE_FAMILIES: Record<string, string> = {
  smallint: 'number', integer: 'number', bigint: 'number', smallserial: 'number', serial: 'number', bigserial: 'number',
  numeric: 'number', real: 'number', 'double precision': 'number', money: 'money',
  text: 'text', varchar: 'text', char: 'text', name: 'text',
  timestamptz: 'timestamp', timestamp: 'timestamp', date: 'date', time: 'time', timetz: 'time', interval: 'interval',
  boolean: 'boolean', uuid: 'uuid', json: 'json', jsonb: 'jsonb', bytea: 'bytea', inet: 'inet', cidr: 'inet',
};

/** False when a foreign key between these types would be rejected (`uuid` → `bigint`, `text` → `integer`). */
function typesCompatible(a: string, b: string): boolean {
  if (isArrayType(a) !== isArrayType(b)) return false;
  const ca = canonicalTypeName(a);
  const cb = canonicalTypeName(b);
  if (ca === cb) return true;
  const fa = TYPE_FAMILIES[ca];
  const fb = TYPE_FAMILIES[cb];
  return fa !== undefined && fa === fb;
}

const GIN_TYPES = /^(jsonb|tsvector|hstore)$/;
const GIST_TYPES = /(range|multirange)$|^(point|line|lseg|box|path|polygon|circle|tsvector|tsquery|inet|cidr)$/;

/** Why PostgreSQL would reject this index as stated, or null. */
function indexProblem(index: Index, fields: Field[]): string | null {
  if (index.unique && index.method !== 'btree') return `unique indexes need btree, not ${index.method}`;
  if (index.method === 'gin' && !fields.every((f) => isArrayType(f.type) || GIN_TYPES.test(canonicalTypeName(f.type)))) {
    return 'gin needs array, jsonb or tsvector columns';
  }
  if (index.method === 'gist' && !fields.every((f) => GIST_TYPES.test(canonicalTypeName(f.type)))) {
    return 'gist needs range, geometric, tsvector or inet columns';
  }
  return null;
}

/** Names PostgreSQL gives implicit objects, reserved so an explicit name never collides with them. */
function implicitNames(entity: Entity): string[] {
  const names: string[] = [];
  if (entity.fields.some((f) => f.primaryKey)) names.push(`${entity.name}_pkey`);
  for (const f of entity.fields) {
    if (f.unique) names.push(`${entity.name}_${f.name}_key`);
    if (/serial/.test(canonicalTypeName(f.type)) || IDENTITY_DEFAULT.test(f.default ?? '')) names.push(`${entity.name}_${f.name}_seq`);
  }
  return names.map((n) => truncateIdentifier(n));
}

class NameRegistry {
  private readonly used = new Set<string>();
  /** Returns the name when still free (and takes it), or null: the statement then lets PostgreSQL pick one. */
  claim(name: string): string | null {
    if (!name.trim()) return null;
    const n = truncateIdentifier(name);
    if (this.used.has(n)) return null;
    this.used.add(n);
    return n;
  }
  reserve(name: string): void {
    this.used.add(truncateIdentifier(name));
  }
  has(name: string): boolean {
    return this.used.has(truncateIdentifier(name));
  }
}

function columnList(fields: readonly Field[]): string {
  return fields.map((f) => quoteIdent(f.name)).join(', ');
}

function dependencyOrder(tables: Entity[], keys: ForeignKeyFact[]): Entity[] {
  const parents = new Map<string, Set<string>>(tables.map((t) => [t.id, new Set<string>()]));
  for (const k of keys) if (k.entity !== k.refEntity) parents.get(k.entity.id)?.add(k.refEntity.id);
  const pending = [...tables];
  const waiting = new Set(tables.map((t) => t.id));
  const ordered: Entity[] = [];
  while (pending.length) {
    const ready = (e: Entity) => [...(parents.get(e.id) ?? [])].every((p) => !waiting.has(p));
    const i = pending.findIndex(ready);
    const [next] = pending.splice(i >= 0 ? i : 0, 1); // a cycle: take the first; its keys come later anyway
    ordered.push(next);
    waiting.delete(next.id);
  }
  return ordered;
}

export function exportDdl(model: Model): string {
  const notes: string[] = [];
  const blocks: string[] = [];
  const comments: string[] = [];
  const relations = new NameRegistry(); // tables, views, indexes and index-backed constraints share one namespace
  const enums = collectEnums(model);
  const { keys, problems } = collectForeignKeys(model);
  for (const p of problems) notes.push(`skipped: ${p}`);

  const tables: Entity[] = [];
  const views: Entity[] = [];
  for (const e of model.entities) {
    if (relations.has(e.name)) {
      notes.push(`skipped: a second entity named "${e.name}"`);
      continue;
    }
    relations.reserve(e.name);
    (e.kind === 'view' ? views : tables).push(e);
  }
  for (const t of tables) for (const n of implicitNames(t)) relations.reserve(n);
  const emitted = new Set([...tables, ...views].map((e) => e.id));

  // Types the script needs but does not create.
  const unknownTypes = new Map<string, string>();
  for (const t of tables) {
    for (const f of t.fields) {
      if (!isBuiltinType(f.type) && !enumOfType(enums, f.type) && !unknownTypes.has(canonicalTypeName(f.type))) {
        unknownTypes.set(canonicalTypeName(f.type), `${t.name}.${f.name}`);
      }
    }
  }
  for (const [type, where] of unknownTypes) notes.push(`type "${type}" (used by ${where}) is not built in; create it before running this script`);

  for (const e of enums) blocks.push(createEnum(e));

  const constraintNames = new Map<string, NameRegistry>();
  const namesOf = (entity: Entity): NameRegistry => {
    let names = constraintNames.get(entity.id);
    if (!names) constraintNames.set(entity.id, (names = new NameRegistry()));
    return names;
  };
  for (const table of dependencyOrder(tables, keys)) {
    blocks.push(createTable(table, enums, relations, namesOf(table), notes, comments));
  }

  for (const key of keys) {
    if (!emitted.has(key.entity.id) || !emitted.has(key.refEntity.id)) continue;
    const label = `foreign key ${key.entity.name}(${key.fields.map((f) => f.name).join(', ')}) → ${key.refEntity.name}(${key.refFields.map((f) => f.name).join(', ')})`;
    const problem =
      key.entity.kind !== 'table' || key.refEntity.kind !== 'table'
        ? 'views cannot take part in foreign keys'
        : !isExactUniqueKey(key.refEntity, key.refFields.map((f) => f.id))
          ? 'the referenced columns are not its primary key or a unique key'
          : key.fields.some((f, i) => !typesCompatible(f.type, key.refFields[i].type))
            ? 'the column types do not match'
            : null;
    if (problem) {
      blocks.push(`-- skipped: ${label}: ${problem}`);
      continue;
    }
    const name = namesOf(key.entity).claim(key.name);
    blocks.push(
      `ALTER TABLE ${quoteIdent(key.entity.name)}\n  ADD ${name ? `CONSTRAINT ${quoteIdent(name)} ` : ''}FOREIGN KEY (${columnList(key.fields)}) ` +
        `REFERENCES ${quoteIdent(key.refEntity.name)} (${columnList(key.refFields)})${key.onDelete ? ` ON DELETE ${key.onDelete.toUpperCase()}` : ''};`,
    );
  }

  for (const table of tables) {
    for (const index of table.indexes) {
      const fields = index.fieldIds.map((id) => table.fields.find((f) => f.id === id));
      const label = `index ${index.name || '(unnamed)'} on ${table.name}`;
      if (!fields.length || fields.some((f) => !f)) {
        blocks.push(`-- skipped: ${label}: it names a missing column`);
        continue;
      }
      const problem = indexProblem(index, fields as Field[]);
      if (problem) {
        blocks.push(`-- skipped: ${label}: ${problem}`);
        continue;
      }
      const name = relations.claim(index.name);
      blocks.push(
        `CREATE ${index.unique ? 'UNIQUE ' : ''}INDEX ${name ? `${quoteIdent(name)} ` : ''}ON ${quoteIdent(table.name)}` +
          `${index.method === 'btree' ? '' : ` USING ${index.method}`} (${columnList(fields as Field[])})` +
          `${index.where.trim() ? ` WHERE (${index.where.trim()})` : ''};`,
      );
    }
  }

  for (const view of views) {
    const { comment, definition } = splitViewDescription(view.description);
    if (!definition) {
      blocks.push(`-- view ${quoteIdent(view.name)} has no definition in the model; not created`);
      continue;
    }
    blocks.push(`CREATE VIEW ${quoteIdent(view.name)} AS\n${definition};`);
    if (comment) comments.push(`COMMENT ON VIEW ${quoteIdent(view.name)} IS ${quoteLiteral(comment)};`);
  }

  const header = ['-- PostgreSQL DDL exported by Hatch', ...notes.map((n) => `-- ${n}`)].join('\n');
  return [header, ...blocks, ...comments].join('\n\n') + '\n';
}

function createEnum(e: EnumFact): string {
  return `CREATE TYPE ${quoteIdent(e.name)} AS ENUM (${e.values.map(quoteLiteral).join(', ')});`;
}

function columnDefinition(field: Field, singlePk: boolean): string {
  let sql = `${quoteIdent(field.name)} ${field.type.trim()}`;
  const def = field.default?.trim() ?? '';
  const serial = /serial/.test(canonicalTypeName(field.type));
  if (IDENTITY_DEFAULT.test(def) || GENERATED_DEFAULT.test(def)) sql += ` ${def}`;
  else if (def && !serial) sql += ` DEFAULT ${def}`;
  if (!field.nullable && !(singlePk && field.primaryKey)) sql += ' NOT NULL';
  if (singlePk && field.primaryKey) sql += ' PRIMARY KEY';
  if (field.unique) sql += ' UNIQUE';
  return sql;
}

function createTable(
  table: Entity,
  enums: EnumFact[],
  relations: NameRegistry,
  names: NameRegistry,
  notes: string[],
  comments: string[],
): string {
  const implied = new Set(enums.flatMap((e) => [...e.impliedCheckIds]));
  const pk = table.fields.filter((f) => f.primaryKey);
  const lines = table.fields.map((f) => columnDefinition(f, pk.length === 1));
  if (pk.length > 1) lines.push(`PRIMARY KEY (${columnList(pk)})`);
  const tableName = quoteIdent(table.name);
  const fieldsOf = (ids: string[]) => ids.map((id) => table.fields.find((f) => f.id === id)).filter((f): f is Field => !!f);

  for (const c of table.constraints) {
    if (c.kind === 'foreign_key' || implied.has(c.id)) continue;
    const label = `${c.kind} ${c.name || c.id} on ${table.name}`;
    let body: string;
    if (c.kind === 'unique') {
      const cols = fieldsOf(c.fieldIds);
      if (!cols.length || cols.length !== c.fieldIds.length) {
        notes.push(`skipped: ${label}: it names a missing column`);
        continue;
      }
      body = `UNIQUE (${columnList(cols)})`;
    } else {
      const expression = c.expression.trim().replace(/^EXCLUDE\s+/i, '');
      if (!expression) {
        notes.push(`skipped: ${label}: it has no expression`);
        continue;
      }
      body = c.kind === 'check' ? `CHECK (${expression})` : `EXCLUDE ${expression}`;
    }
    const indexBacked = c.kind !== 'check';
    let name = names.claim(c.name);
    if (name && indexBacked && !relations.claim(name)) name = null;
    lines.push(`${name ? `CONSTRAINT ${quoteIdent(name)} ` : ''}${body}`);
    if (name && c.description.trim()) comments.push(`COMMENT ON CONSTRAINT ${quoteIdent(name)} ON ${tableName} IS ${quoteLiteral(c.description)};`);
  }

  if (table.description.trim()) comments.push(`COMMENT ON TABLE ${tableName} IS ${quoteLiteral(table.description)};`);
  for (const f of table.fields) {
    if (f.description.trim()) comments.push(`COMMENT ON COLUMN ${tableName}.${quoteIdent(f.name)} IS ${quoteLiteral(f.description)};`);
  }
  return lines.length ? `CREATE TABLE ${tableName} (\n${lines.map((l) => `  ${l}`).join(',\n')}\n);` : `CREATE TABLE ${tableName} ();`;
}
