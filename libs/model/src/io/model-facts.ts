import type { Constraint, Entity, Field, Model, OnDelete, Relationship } from '../model.schema';
import { quoteIdent, quoteLiteral } from './identifiers';
import { canonicalTypeName, isArrayType, isBuiltinType } from './postgres-types';

/*
 * Conventions the importers and exporters share, for things the model schema has no slot for:
 * - an enum type is a field type (`invoice_status`) plus a CHECK `status IN ('draft', 'paid')` on that field;
 * - a view's SQL is a fenced ```sql block inside the view entity's description.
 */

// ---------------------------------------------------------------- enums

export function enumCheckExpression(column: string, values: readonly string[]): string {
  return `${quoteIdent(column)} IN (${values.map(quoteLiteral).join(', ')})`;
}

export function enumCheckDescription(typeName: string): string {
  return `Values of enum type ${typeName}.`;
}

function unquoteIdent(ident: string): string {
  return ident.startsWith('"') ? ident.slice(1, -1).replace(/""/g, '"') : ident.toLowerCase();
}

/** Reads `status IN ('a', 'b')` (optionally parenthesized); null for any other expression. */
export function parseEnumCheck(expression: string): { column: string; values: string[] } | null {
  let text = expression.trim();
  while (text.startsWith('(') && text.endsWith(')') && balanced(text.slice(1, -1))) text = text.slice(1, -1).trim();
  const m = /^("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)\s+IN\s*\(([\s\S]*)\)$/i.exec(text);
  if (!m) return null;
  const values: string[] = [];
  const list = /\s*'((?:[^']|'')*)'\s*(?:,|$)/gy;
  let rest = m[2].trim();
  if (!rest) return null;
  let consumed = 0;
  for (let hit = list.exec(rest); hit; hit = list.exec(rest)) {
    values.push(hit[1].replace(/''/g, "'"));
    consumed = list.lastIndex;
    if (consumed >= rest.length) break;
  }
  rest = rest.slice(consumed).trim();
  if (rest || values.length === 0) return null;
  return { column: unquoteIdent(m[1]), values };
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** `public."Mood"` → `Mood`, `invoice_status` → `invoice_status`: the type's own name, unquoted. */
function typeIdentifier(type: string): string {
  const t = type.trim().replace(/^public\./i, '');
  return t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

export interface EnumFact {
  /** The type name as the fields write it, without a schema. */
  name: string;
  values: string[];
  /** Ids of CHECK constraints the enum type itself enforces (same value list): exporters leave them out. */
  impliedCheckIds: Set<string>;
}

/** Enum types carried by the model: non-built-in field types with an `IN (…)` CHECK on that field. */
export function collectEnums(model: Model): EnumFact[] {
  const byName = new Map<string, EnumFact>();
  const candidates: { fact: EnumFact; check: Constraint; values: string[] }[] = [];
  for (const entity of model.entities) {
    for (const field of entity.fields) {
      if (isArrayType(field.type) || isBuiltinType(field.type)) continue;
      for (const check of entity.constraints) {
        if (check.kind !== 'check' || check.fieldIds.length !== 1 || check.fieldIds[0] !== field.id) continue;
        const parsed = parseEnumCheck(check.expression);
        if (!parsed || parsed.column !== field.name) continue;
        const key = canonicalTypeName(field.type);
        let fact = byName.get(key);
        if (!fact) {
          fact = { name: typeIdentifier(field.type), values: [], impliedCheckIds: new Set() };
          byName.set(key, fact);
        }
        for (const v of parsed.values) if (!fact.values.includes(v)) fact.values.push(v);
        candidates.push({ fact, check, values: parsed.values });
        break;
      }
    }
  }
  for (const { fact, check, values } of candidates) {
    if (values.length === fact.values.length) fact.impliedCheckIds.add(check.id);
  }
  return [...byName.values()];
}

/** The enum a field's type names (also for arrays of it), if the model carries that enum. */
export function enumOfType(enums: readonly EnumFact[], type: string): EnumFact | undefined {
  const key = canonicalTypeName(type);
  return enums.find((e) => canonicalTypeName(e.name) === key);
}

// ---------------------------------------------------------------- views

const SQL_FENCE = /```sql[^\S\n]*\n([\s\S]*?)\n?```/i;

export function composeViewDescription(comment: string, definition: string): string {
  const text = comment.trim();
  if (!definition.trim()) return text;
  return `${text}${text ? '\n\n' : ''}\`\`\`sql\n${definition.trim()}\n\`\`\``;
}

/** Splits a view's description into its prose and the SQL of its fenced ```sql block (null without one). */
export function splitViewDescription(description: string): { comment: string; definition: string | null } {
  const m = SQL_FENCE.exec(description);
  if (!m) return { comment: description.trim(), definition: null };
  const definition = m[1].trim().replace(/;\s*$/, '');
  const comment = (description.slice(0, m.index) + description.slice(m.index + m[0].length)).trim();
  return { comment, definition: definition || null };
}

// ---------------------------------------------------------------- keys

/** Field-id sets the database enforces as unique: the primary key, unique fields, unique constraints, full unique indexes. */
export function uniqueKeySets(entity: Entity): string[][] {
  const sets: string[][] = [];
  const pk = entity.fields.filter((f) => f.primaryKey).map((f) => f.id);
  if (pk.length) sets.push(pk);
  for (const f of entity.fields) if (f.unique) sets.push([f.id]);
  for (const c of entity.constraints) if (c.kind === 'unique' && c.fieldIds.length) sets.push(c.fieldIds);
  for (const i of entity.indexes) if (i.unique && !i.where.trim() && i.fieldIds.length) sets.push(i.fieldIds);
  return sets;
}

/** True when the columns are unique as a whole: some unique key lies within them. */
export function isUniqueColumnSet(entity: Entity, fieldIds: readonly string[]): boolean {
  if (!fieldIds.length) return false;
  const cols = new Set(fieldIds);
  return uniqueKeySets(entity).some((key) => key.every((id) => cols.has(id)));
}

/** True when a unique key has exactly these columns: what PostgreSQL requires of a foreign key's target. */
export function isExactUniqueKey(entity: Entity, fieldIds: readonly string[]): boolean {
  const cols = new Set(fieldIds);
  return uniqueKeySets(entity).some((key) => key.length === cols.size && key.every((id) => cols.has(id)));
}

// ---------------------------------------------------------------- foreign keys

export interface ForeignKeyFact {
  /** The referencing table (the relationship's `to` side). */
  entity: Entity;
  fields: Field[];
  /** The referenced table (the relationship's `from` side). */
  refEntity: Entity;
  refFields: Field[];
  onDelete: OnDelete | null;
  name: string;
  source: 'field' | 'constraint' | 'relationship';
  /** The relationship drawn for this key, if any. */
  relationship: Relationship | null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/**
 * Every foreign key the model states: column references, `foreign_key` constraints, and 1:1 / 1:N
 * relationships with columns that no reference backs. Dangling ids are reported in `problems`.
 */
export function collectForeignKeys(model: Model): { keys: ForeignKeyFact[]; problems: string[] } {
  const entities = new Map(model.entities.map((e) => [e.id, e]));
  const keys: ForeignKeyFact[] = [];
  const problems: string[] = [];
  const fieldsOf = (entity: Entity, ids: readonly string[]): Field[] | null => {
    const out = ids.map((id) => entity.fields.find((f) => f.id === id));
    return out.every((f): f is Field => f !== undefined) ? out : null;
  };
  const relationshipFor = (entity: Entity, fieldIds: string[], refEntity: Entity): Relationship | null =>
    model.relationships.find(
      (r) => r.cardinality !== 'N:M' && r.toEntityId === entity.id && r.fromEntityId === refEntity.id && sameSet(r.toFieldIds, fieldIds),
    ) ?? null;

  for (const entity of model.entities) {
    for (const field of entity.fields) {
      const ref = field.references;
      if (!ref) continue;
      const refEntity = entities.get(ref.entityId);
      const refField = refEntity?.fields.find((f) => f.id === ref.fieldId);
      if (!refEntity || !refField) {
        problems.push(`${entity.name}.${field.name} references a missing entity or field (${ref.entityId}.${ref.fieldId})`);
        continue;
      }
      keys.push({
        entity, fields: [field], refEntity, refFields: [refField], onDelete: ref.onDelete, name: '', source: 'field',
        relationship: relationshipFor(entity, [field.id], refEntity),
      });
    }
    for (const c of entity.constraints) {
      if (c.kind !== 'foreign_key') continue;
      const refEntity = c.references ? entities.get(c.references.entityId) : undefined;
      const fields = fieldsOf(entity, c.fieldIds);
      const refFields = refEntity && c.references ? fieldsOf(refEntity, c.references.fieldIds) : null;
      if (!c.references || !refEntity || !fields || !refFields || !fields.length || fields.length !== refFields.length) {
        problems.push(`foreign key ${c.name || c.id} on ${entity.name} has missing or mismatched columns`);
        continue;
      }
      keys.push({
        entity, fields, refEntity, refFields, onDelete: c.references.onDelete, name: c.name, source: 'constraint',
        relationship: relationshipFor(entity, c.fieldIds, refEntity),
      });
    }
  }
  for (const r of model.relationships) {
    if (r.cardinality === 'N:M' || !r.toFieldIds.length || r.toFieldIds.length !== r.fromFieldIds.length) continue;
    if (keys.some((k) => k.relationship === r)) continue;
    const entity = entities.get(r.toEntityId);
    const refEntity = entities.get(r.fromEntityId);
    const fields = entity && fieldsOf(entity, r.toFieldIds);
    const refFields = refEntity && fieldsOf(refEntity, r.fromFieldIds);
    if (!entity || !refEntity || !fields || !refFields) {
      problems.push(`relationship ${r.name || r.id} names a missing entity or field`);
      continue;
    }
    const backed = keys.some((k) => k.entity === entity && k.refEntity === refEntity && sameSet(k.fields.map((f) => f.id), r.toFieldIds));
    if (backed) continue;
    keys.push({ entity, fields, refEntity, refFields, onDelete: r.onDelete, name: '', source: 'relationship', relationship: r });
  }
  return { keys, problems };
}
