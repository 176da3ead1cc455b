import type { Database, Endpoint, Field as DbmlField, Table as DbmlTable } from '@dbml/core';
import type { Cardinality, Entity, Field, Index, Model, OnDelete } from '../model.schema';
import { onDeleteActions } from '../model.schema';
import { quoteLiteral } from './identifiers';
import { DbmlParseError, type DbmlDiagnostic } from './io.errors';
import { buildModel, emptyTable, type DraftTable, type ModelDraft } from './model-builder';
import {
  collectEnums,
  collectForeignKeys,
  isUniqueColumnSet,
  type EnumFact,
} from './model-facts';
import { canonicalTypeName, IDENTITY_DEFAULT, GENERATED_DEFAULT, serialTypeFor } from './postgres-types';

/*
 * DBML (dbdiagram.io) in and out. Import uses @dbml/core's parser, loaded on first use (it takes about
 * a second to load). Export writes DBML text itself, because @dbml/core 10.2's exporter does not
 * escape quotes in names, strings or index columns; the specs parse every export back with @dbml/core.
 */

export interface DbmlImportResult {
  model: Model;
  /** What DBML says that the model does not keep (schemas, table groups, enum value notes, …). */
  warnings: string[];
}

// ---------------------------------------------------------------- import

interface RawDiagnostic {
  message?: string;
  location?: { start?: { line?: number; column?: number } };
}

function toParseError(err: unknown): DbmlParseError {
  const raw = (err as { diags?: RawDiagnostic[] })?.diags;
  const list: RawDiagnostic[] = Array.isArray(raw) && raw.length ? raw : [{ message: err instanceof Error ? err.message : String(err) }];
  const diagnostics: DbmlDiagnostic[] = list
    .map((d) => ({
      message: String(d.message ?? d),
      line: d.location?.start?.line ?? 1,
      column: d.location?.start?.column ?? 1,
    }))
    .sort((a, b) => a.line - b.line || a.column - b.column);
  return new DbmlParseError(diagnostics);
}

const ON_DELETE = new Set<string>(onDeleteActions);

function onDeleteOf(value: unknown): OnDelete | null {
  const v = typeof value === 'string' ? value.toLowerCase() : '';
  return ON_DELETE.has(v) ? (v as OnDelete) : null;
}

function defaultOf(field: DbmlField): string | null {
  const d = field.dbdefault as { type?: string; value?: unknown } | undefined;
  if (!d || d.value === undefined || d.value === null) return null;
  const value = String(d.value);
  switch (d.type) {
    case 'string':
      return quoteLiteral(value);
    case 'boolean':
      return value.toLowerCase() === 'null' ? null : value.toLowerCase();
    default:
      return value; // number, expression
  }
}

/** Column names an expression mentions, by matching identifiers outside string literals. */
function mentionedColumns(expression: string, columns: readonly string[]): string[] {
  const code = expression.replace(/'(?:[^']|'')*'/g, ' ');
  const out: string[] = [];
  for (const m of code.matchAll(/"((?:[^"]|"")+)"|[A-Za-z_][A-Za-z0-9_$]*/g)) {
    const name = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[0];
    if (columns.includes(name) && !out.includes(name)) out.push(name);
  }
  return out;
}

const isOne = (relation: string) => relation === '1' || relation === '0..1';

/** Parses DBML with @dbml/core and maps it onto the model (ids derived from names, as for DDL). */
export async function importDbml(text: string): Promise<DbmlImportResult> {
  const { Parser } = await import('@dbml/core');
  let db: Database;
  try {
    db = new Parser().parse(text, 'dbmlv2');
  } catch (err) {
    throw toParseError(err);
  }
  const warnings: string[] = [];
  const draft: ModelDraft = { tables: [], foreignKeys: [], enums: new Map() };

  for (const schema of db.schemas) {
    if (schema.name !== 'public' && (schema.tables.length || schema.enums.length)) {
      warnings.push(`schema "${schema.name}": the model has no schemas, so its tables are imported by name alone`);
    }
    if (schema.tableGroups?.length) warnings.push('table groups are not modeled');
    for (const e of schema.enums) {
      draft.enums.set(e.name, e.values.map((v) => v.name));
      if (e.values.some((v) => v.note)) warnings.push(`enum "${e.name}": value notes are not modeled`);
    }
    for (const t of schema.tables) draft.tables.push(tableDraft(t, warnings));
  }
  for (const schema of db.schemas) {
    for (const ref of schema.refs) {
      const [a, b] = ref.endpoints as [Endpoint, Endpoint];
      const onDelete = onDeleteOf(ref.onDelete);
      const name = ref.name ?? '';
      if (!isOne(a.relation) && !isOne(b.relation)) {
        addJoinTable(draft, a, b, warnings);
        continue;
      }
      // The many side holds the key; for `-` the second endpoint does (as @dbml/core's SQL export reads it).
      const [child, parent] = isOne(b.relation) && !isOne(a.relation) ? [a, b] : [b, a];
      const cardinality: Cardinality = isOne(a.relation) && isOne(b.relation) ? '1:1' : '1:N';
      draft.foreignKeys.push({
        name, table: child.tableName, columns: child.fieldNames, refTable: parent.tableName, refColumns: parent.fieldNames, onDelete, cardinality,
      });
    }
  }
  return { model: buildModel(draft, 'dbml', warnings), warnings };
}

/**
 * The model has no N:M without a join entity, so `a.x <> b.y` becomes the join table @dbml/core's own
 * SQL export would create (`a_b` with `a_x`, `b_y` as its primary key); the N:M is then derived from it.
 */
function addJoinTable(draft: ModelDraft, a: Endpoint, b: Endpoint, warnings: string[]): void {
  const taken = new Set(draft.tables.map((t) => t.name.toLowerCase()));
  let name = `${a.tableName}_${b.tableName}`;
  for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${a.tableName}_${b.tableName}_${n}`;
  const table = emptyTable(name);
  const columnsFor = (end: Endpoint): string[] => {
    const source = draft.tables.find((t) => t.name === end.tableName);
    return end.fieldNames.map((field) => {
      let column = `${end.tableName}_${field}`;
      for (let n = 2; table.columns.some((c) => c.name.toLowerCase() === column.toLowerCase()); n++) column = `${end.tableName}_${field}_${n}`;
      const type = source?.columns.find((c) => c.name === field)?.type ?? 'text';
      table.columns.push({ name: column, type: BASE_OF_SERIAL[canonicalTypeName(type)] ?? type, nullable: false, default: null, description: '' });
      return column;
    });
  };
  const aColumns = columnsFor(a);
  const bColumns = columnsFor(b);
  table.primaryKey = { name: '', columns: [...aColumns, ...bColumns] };
  draft.tables.push(table);
  for (const [end, columns] of [[a, aColumns], [b, bColumns]] as const) {
    draft.foreignKeys.push({ name: '', table: name, columns, refTable: end.tableName, refColumns: end.fieldNames, onDelete: null });
  }
  warnings.push(`many-to-many ref ${a.tableName} <> ${b.tableName} became the join table "${name}"`);
}

function tableDraft(t: DbmlTable, warnings: string[]): DraftTable {
  const table = emptyTable(t.name);
  table.description = t.note ?? '';
  const names = t.fields.map((f) => f.name);
  const pk: string[] = [];
  for (const f of t.fields) {
    let type = String((f.type as { type_name?: string })?.type_name ?? 'text');
    let def = defaultOf(f);
    if (f.increment) {
      const serial = serialTypeFor(type);
      if (serial) type = serial;
      else def = 'GENERATED BY DEFAULT AS IDENTITY';
    }
    table.columns.push({ name: f.name, type, nullable: !(f.not_null || f.pk), default: def, description: f.note ?? '', unique: !!f.unique });
    if (f.pk) pk.push(f.name);
    for (const c of f.checks ?? []) table.checks.push({ name: c.name ?? '', expression: c.expression, columns: [f.name] });
  }
  for (const c of t.checks ?? []) {
    table.checks.push({ name: c.name ?? '', expression: c.expression, columns: mentionedColumns(c.expression, names) });
  }
  for (const ix of t.indexes) {
    const columns: string[] = [];
    for (const col of ix.columns) {
      if (col.type === 'column') columns.push(String(col.value));
      else {
        const cols = mentionedColumns(String(col.value), names);
        warnings.push(`index on ${t.name}: the expression ${String(col.value)} is kept as its column${cols.length === 1 ? '' : 's'} (${cols.join(', ')})`);
        columns.push(...cols.filter((c) => !columns.includes(c)));
      }
    }
    if (ix.pk) {
      pk.push(...columns.filter((c) => !pk.includes(c)));
      continue;
    }
    const method = String(ix.type ?? 'btree').toLowerCase();
    const known: Index['method'][] = ['btree', 'hash', 'gin', 'gist', 'brin'];
    if (!known.includes(method as Index['method'])) warnings.push(`index ${ix.name ?? 'on ' + t.name}: type "${method}" is not modeled; kept as btree`);
    table.indexes.push({
      name: ix.name ?? '',
      columns,
      unique: !!ix.unique,
      where: '',
      method: known.includes(method as Index['method']) ? (method as Index['method']) : 'btree',
    });
  }
  if (pk.length) table.primaryKey = { name: '', columns: pk };
  return table;
}

// ---------------------------------------------------------------- export

/** A DBML name: bare when it is a plain identifier, else double-quoted with `\"` escapes. */
function ident(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function str(value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
  return value.includes('\n') ? `'''${escaped}'''` : `'${escaped}'`;
}

function typeText(type: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*(\(\s*\d+(\s*,\s*\d+)?\s*\))?$/.test(type) ? type : ident(type);
}

const BASE_OF_SERIAL: Record<string, string> = { smallserial: 'smallint', serial: 'integer', bigserial: 'bigint' };

function defaultSetting(def: string): string | null {
  const text = def.trim();
  const literal = /^'((?:[^']|'')*)'$/.exec(text);
  if (literal) return `default: ${str(literal[1].replace(/''/g, "'"))}`;
  if (/^-?\d+(\.\d+)?$/.test(text)) return `default: ${text}`;
  if (/^(true|false)$/i.test(text)) return `default: ${text.toLowerCase()}`;
  if (/^null$/i.test(text)) return null;
  if (text.includes('`') || text.includes('\n')) return null;
  return `default: \`${text}\``;
}

function oneLine(expression: string): string {
  return expression.trim().replace(/\s*\n\s*/g, ' ');
}

function columnList(fields: readonly Field[]): string {
  return `(${fields.map((f) => ident(f.name)).join(', ')})`;
}

/** The model as DBML. Things DBML cannot say (views, partial indexes, exclusions) become `//` comments. */
export function exportDbml(model: Model): string {
  const notes: string[] = [];
  const blocks: string[] = [];
  const enums = collectEnums(model);
  const implied = new Set(enums.flatMap((e) => [...e.impliedCheckIds]));

  for (const e of enums) blocks.push(enumBlock(e));
  for (const entity of model.entities) {
    if (entity.kind === 'view') {
      notes.push(`view ${entity.name} is not expressed in DBML`);
      continue;
    }
    blocks.push(tableBlock(entity, implied, notes));
  }

  const { keys, problems } = collectForeignKeys(model);
  for (const p of problems) notes.push(`skipped: ${p}`);
  const refs: string[] = [];
  const endpoint = (entity: Entity, fields: readonly Field[]) =>
    `${ident(entity.name)}.${fields.length === 1 ? ident(fields[0].name) : columnList(fields)}`;
  const keyRef = (k: (typeof keys)[number]) => {
    const oneToOne = k.relationship ? k.relationship.cardinality === '1:1' : isUniqueColumnSet(k.entity, k.fields.map((f) => f.id));
    const name = k.name || k.relationship?.name || '';
    const body = oneToOne
      ? `${endpoint(k.refEntity, k.refFields)} - ${endpoint(k.entity, k.fields)}`
      : `${endpoint(k.entity, k.fields)} > ${endpoint(k.refEntity, k.refFields)}`;
    return `Ref${name ? ` ${ident(name)}` : ''}: ${body}${k.onDelete ? ` [delete: ${k.onDelete}]` : ''}`;
  };
  // Relationship order first (so a re-import lists them the same way), then keys no relationship draws.
  const entities = new Map(model.entities.map((e) => [e.id, e]));
  for (const r of model.relationships) {
    if (r.cardinality !== 'N:M') {
      const key = keys.find((k) => k.relationship === r);
      if (key) refs.push(keyRef(key));
      continue;
    }
    if (r.throughEntityId) continue; // the join table's own refs say it
    const from = entities.get(r.fromEntityId);
    const to = entities.get(r.toEntityId);
    const fromFields = r.fromFieldIds.map((id) => from?.fields.find((f) => f.id === id));
    const toFields = r.toFieldIds.map((id) => to?.fields.find((f) => f.id === id));
    if (!from || !to || !fromFields.length || !toFields.length || [...fromFields, ...toFields].some((f) => !f)) {
      notes.push(`relationship ${r.name || r.id} (N:M) names no columns; DBML needs them`);
      continue;
    }
    refs.push(`Ref${r.name ? ` ${ident(r.name)}` : ''}: ${endpoint(from, fromFields as Field[])} <> ${endpoint(to, toFields as Field[])}`);
  }
  for (const k of keys) if (!k.relationship) refs.push(keyRef(k));
  if (refs.length) blocks.push(refs.join('\n'));

  const header = ['// DBML exported by Hatch', ...notes.map((n) => `// ${n}`)].join('\n');
  return [header, ...blocks].join('\n\n') + '\n';
}

function enumBlock(e: EnumFact): string {
  return `Enum ${ident(e.name)} {\n${e.values.map((v) => `  ${ident(v)}`).join('\n')}\n}`;
}

function tableBlock(entity: Entity, implied: Set<string>, notes: string[]): string {
  const pk = entity.fields.filter((f) => f.primaryKey);
  const lines: string[] = [];
  for (const f of entity.fields) {
    const settings: string[] = [];
    let type = f.type.trim();
    const def = f.default?.trim() ?? '';
    const serialBase = BASE_OF_SERIAL[canonicalTypeName(type)];
    if (pk.length === 1 && f.primaryKey) settings.push('pk');
    if (serialBase || IDENTITY_DEFAULT.test(def)) settings.push('increment');
    if (serialBase) type = serialBase;
    if (!f.nullable && !(pk.length === 1 && f.primaryKey)) settings.push('not null');
    if (f.unique) settings.push('unique');
    if (def && !IDENTITY_DEFAULT.test(def)) {
      const setting = GENERATED_DEFAULT.test(def) ? null : defaultSetting(def);
      if (setting) settings.push(setting);
      else notes.push(`the default of ${entity.name}.${f.name} (${def.split('\n')[0]}) is not expressible in DBML`);
    }
    for (const c of entity.constraints) {
      if (c.kind !== 'check' || implied.has(c.id) || c.name || c.fieldIds.length !== 1 || c.fieldIds[0] !== f.id) continue;
      if (c.expression.trim() && !c.expression.includes('`')) settings.push(`check: \`${oneLine(c.expression)}\``);
    }
    if (f.description) settings.push(`note: ${str(f.description)}`);
    lines.push(`  ${ident(f.name)} ${typeText(type)}${settings.length ? ` [${settings.join(', ')}]` : ''}`);
  }

  const fieldsOf = (ids: readonly string[]) => ids.map((id) => entity.fields.find((f) => f.id === id)).filter((f): f is Field => !!f);
  const indexes: string[] = [];
  if (pk.length > 1) indexes.push(`    ${columnList(pk)} [pk]`);
  for (const c of entity.constraints) {
    if (c.kind !== 'unique') continue;
    const cols = fieldsOf(c.fieldIds);
    if (cols.length) indexes.push(`    ${columnList(cols)} [unique${c.name ? `, name: ${str(c.name)}` : ''}]`);
  }
  for (const ix of entity.indexes) {
    const cols = fieldsOf(ix.fieldIds);
    if (!cols.length) continue;
    if (ix.where.trim()) notes.push(`index ${ix.name || 'on ' + entity.name}: its WHERE (${ix.where.trim()}) is not expressible in DBML`);
    const settings = [ix.method !== 'btree' ? `type: ${ix.method}` : '', ix.unique ? 'unique' : '', ix.name ? `name: ${str(ix.name)}` : ''].filter(Boolean);
    indexes.push(`    ${columnList(cols)}${settings.length ? ` [${settings.join(', ')}]` : ''}`);
  }
  const checks: string[] = [];
  for (const c of entity.constraints) {
    if (c.kind === 'exclusion') notes.push(`exclusion ${c.name || 'on ' + entity.name} is not expressible in DBML`);
    if (c.kind !== 'check' || implied.has(c.id)) continue;
    if (!c.name && c.fieldIds.length === 1 && entity.fields.some((f) => f.id === c.fieldIds[0])) {
      if (c.expression.includes('`')) notes.push(`check on ${entity.name} is not expressible in DBML`);
      continue; // written on its column
    }
    if (!c.expression.trim() || c.expression.includes('`')) {
      notes.push(`check ${c.name || 'on ' + entity.name} is not expressible in DBML`);
      continue;
    }
    checks.push(`    \`${oneLine(c.expression)}\`${c.name ? ` [name: ${str(c.name)}]` : ''}`);
  }

  const parts = [lines.join('\n')];
  if (entity.description) parts.push(`  Note: ${str(entity.description)}`);
  if (indexes.length) parts.push(`  indexes {\n${indexes.join('\n')}\n  }`);
  if (checks.length) parts.push(`  checks {\n${checks.join('\n')}\n  }`);
  return `Table ${ident(entity.name)} {\n${parts.filter(Boolean).join('\n\n')}\n}`;
}
