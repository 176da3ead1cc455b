import {
  MODEL_LIMITS,
  modelSchema,
  type Cardinality,
  type Constraint,
  type Entity,
  type Field,
  type Index,
  type Model,
  type OnDelete,
  type Relationship,
} from '../model.schema';
import { IdAllocator } from './identifiers';
import { checkIntegrity, formatIssuePath } from '../model-validation';
import { ImportedModelInvalidError } from './io.errors';
import { composeViewDescription, enumCheckDescription, enumCheckExpression, isUniqueColumnSet } from './model-facts';
import { canonicalTypeName, isArrayType } from './postgres-types';

/*
 * What an importer (DDL or DBML) knows, by table and column name. `buildModel` turns it into a
 * model with stable ids, and derives what both formats derive the same way: relationships and their
 * cardinality, join tables (N:M), column references and enum CHECKs.
 */

export interface DraftColumn {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
  description: string;
  /** Set when the source marks the column unique by itself (DBML `[unique]`); DDL uses `uniques`. */
  unique?: boolean;
}

export interface DraftKey {
  name: string;
  columns: string[];
  description?: string;
}

export interface DraftExpressionConstraint extends DraftKey {
  expression: string;
}

export interface DraftIndex {
  name: string;
  columns: string[];
  unique: boolean;
  where: string;
  method: Index['method'];
}

export interface DraftTable {
  name: string;
  kind: Entity['kind'];
  description: string;
  /** A view's SQL (kept in the description, see model-facts). */
  definition: string;
  columns: DraftColumn[];
  primaryKey: DraftKey | null;
  uniques: DraftKey[];
  checks: DraftExpressionConstraint[];
  exclusions: DraftExpressionConstraint[];
  indexes: DraftIndex[];
}

export interface DraftForeignKey extends DraftKey {
  table: string;
  refTable: string;
  /** Empty means the referenced table's primary key, as in `REFERENCES customers`. */
  refColumns: string[];
  onDelete: OnDelete | null;
  /** The source's own cardinality (DBML `-` is 1:1); derived from keys when absent. */
  cardinality?: Cardinality;
}

export interface ModelDraft {
  tables: DraftTable[];
  foreignKeys: DraftForeignKey[];
  enums: Map<string, string[]>;
}

export function emptyTable(name: string, kind: Entity['kind'] = 'table'): DraftTable {
  return { name, kind, description: '', definition: '', columns: [], primaryKey: null, uniques: [], checks: [], exclusions: [], indexes: [] };
}

function fit(text: string, max: number, what: string, warnings: string[]): string {
  if (text.length <= max) return text;
  warnings.push(`${what} is longer than ${max} characters and was shortened`);
  return text.slice(0, max);
}

interface Built {
  entity: Entity;
  fieldByName: Map<string, Field>;
}

export function buildModel(draft: ModelDraft, format: 'ddl' | 'dbml', warnings: string[]): Model {
  const ids = new IdAllocator();
  const built = new Map<string, Built>();
  const entities: Entity[] = [];
  const relationships: Relationship[] = [];

  /** Field ids of the named columns, each once; null (with a warning) when one is missing. */
  const columnIds = (b: Built, columns: readonly string[], what: string): string[] | null => {
    const out: string[] = [];
    for (const name of new Set(columns)) {
      const f = b.fieldByName.get(name);
      if (!f) {
        warnings.push(`${what}: table "${b.entity.name}" has no column "${name}"`);
        return null;
      }
      out.push(f.id);
    }
    return out;
  };

  const tableKeys = new Set<string>();
  for (const t of draft.tables) {
    if (tableKeys.has(t.name.toLowerCase())) {
      warnings.push(`table "${t.name}" repeats a table name (model names ignore case); it was ignored`);
      continue;
    }
    tableKeys.add(t.name.toLowerCase());
    const entityId = ids.next('e', t.name);
    const name = fit(t.name, MODEL_LIMITS.nameLength, `table name "${t.name}"`, warnings);
    const comment = fit(t.description, MODEL_LIMITS.longText, `description of "${t.name}"`, warnings);
    const entity: Entity = {
      id: entityId,
      name,
      kind: t.kind,
      description: t.kind === 'view' ? composeViewDescription(comment, t.definition) : comment,
      fields: [],
      constraints: [],
      indexes: [],
    };
    const b: Built = { entity, fieldByName: new Map() };
    const columnKeys = new Set<string>();
    for (const c of t.columns) {
      if (columnKeys.has(c.name.toLowerCase())) {
        warnings.push(`table "${t.name}": column "${c.name}" repeats a column name (model names ignore case); it was ignored`);
        continue;
      }
      columnKeys.add(c.name.toLowerCase());
      let def = c.default;
      if (def !== null && def.length > MODEL_LIMITS.shortText) {
        warnings.push(`the default of ${t.name}.${c.name} is longer than ${MODEL_LIMITS.shortText} characters and was dropped`);
        def = null;
      }
      const field: Field = {
        id: ids.next('f', t.name, c.name),
        name: fit(c.name, MODEL_LIMITS.nameLength, `column name "${c.name}"`, warnings),
        type: c.type,
        nullable: c.nullable,
        default: def,
        primaryKey: false,
        unique: c.unique ?? false,
        references: null,
        description: fit(c.description, MODEL_LIMITS.shortText, `description of ${t.name}.${c.name}`, warnings),
      };
      entity.fields.push(field);
      b.fieldByName.set(c.name, field);
    }

    if (t.primaryKey) {
      const pk = columnIds(b, t.primaryKey.columns, 'primary key');
      if (pk) {
        for (const f of entity.fields) {
          if (pk.includes(f.id)) {
            f.primaryKey = true;
            f.nullable = false;
          }
        }
        const inFieldOrder = entity.fields.filter((f) => f.primaryKey).map((f) => f.name);
        if (inFieldOrder.join('\u0000') !== t.primaryKey.columns.join('\u0000')) {
          warnings.push(
            `primary key of "${t.name}" is (${t.primaryKey.columns.join(', ')}); the model keeps key columns in column order (${inFieldOrder.join(', ')})`,
          );
        }
      }
    }
    for (const u of t.uniques) {
      const cols = columnIds(b, u.columns, `unique constraint ${u.name}`.trim());
      if (!cols) continue;
      const single = cols.length === 1 && !u.description ? entity.fields.find((f) => f.id === cols[0]) : undefined;
      if (single) {
        single.unique = true;
        continue;
      }
      entity.constraints.push(constraint(ids, t.name, u, 'unique', cols, ''));
    }
    for (const c of t.checks) {
      const cols = c.columns.map((n) => b.fieldByName.get(n)?.id).filter((id): id is string => !!id);
      if (c.expression.length > MODEL_LIMITS.shortText) {
        warnings.push(`check ${c.name || c.expression.slice(0, 40)} on "${t.name}" is longer than ${MODEL_LIMITS.shortText} characters and was dropped`);
        continue;
      }
      entity.constraints.push(constraint(ids, t.name, c, 'check', cols, c.expression));
    }
    for (const x of t.exclusions) {
      const cols = x.columns.map((n) => b.fieldByName.get(n)?.id).filter((id): id is string => !!id);
      entity.constraints.push(constraint(ids, t.name, x, 'exclusion', cols, x.expression));
    }
    for (const ix of t.indexes) {
      const cols = columnIds(b, ix.columns, `index ${ix.name}`.trim());
      if (!cols || !cols.length) {
        warnings.push(`index ${ix.name || '(unnamed)'} on "${t.name}" has no plain columns and was dropped`);
        continue;
      }
      entity.indexes.push({
        id: ids.next('i', t.name, localName(t.name, ix.name) || ix.columns.join('_')),
        name: ix.name,
        fieldIds: cols,
        unique: ix.unique,
        where: ix.where,
        method: ix.method,
      });
    }
    entities.push(entity);
    built.set(t.name, b);
  }

  addEnumChecks(draft.enums, built, ids, warnings);

  // Foreign keys: single columns become field references, composite ones constraints; each is an edge.
  interface ResolvedFk {
    child: Built;
    parent: Built;
    cols: string[];
    refCols: string[];
    fk: DraftForeignKey;
  }
  const resolved: ResolvedFk[] = [];
  for (const fk of draft.foreignKeys) {
    const child = built.get(fk.table);
    const parent = built.get(fk.refTable);
    const label = `foreign key ${fk.name || `${fk.table}(${fk.columns.join(', ')})`}`;
    if (!child) continue; // the table itself was reported when its statement was skipped
    if (!parent) {
      warnings.push(`${label} references unknown table "${fk.refTable}" and was dropped`);
      continue;
    }
    const cols = columnIds(child, fk.columns, label);
    let refNames = fk.refColumns;
    if (!refNames.length) refNames = parent.entity.fields.filter((f) => f.primaryKey).map((f) => f.name);
    const refCols = columnIds(parent, refNames, label);
    if (!cols || !refCols) continue;
    if (!cols.length || cols.length !== refCols.length) {
      warnings.push(`${label} has ${cols.length} columns but references ${refCols.length}; dropped`);
      continue;
    }
    const field = cols.length === 1 ? child.entity.fields.find((f) => f.id === cols[0]) : undefined;
    if (field && !field.references) {
      field.references = { entityId: parent.entity.id, fieldId: refCols[0], onDelete: fk.onDelete };
    } else {
      const c = constraint(ids, fk.table, { ...fk, name: fk.name }, 'foreign_key', cols, '');
      c.references = { entityId: parent.entity.id, fieldIds: refCols, onDelete: fk.onDelete };
      child.entity.constraints.push(c);
    }
    relationships.push({
      id: ids.next('r', fk.table, ...fk.columns),
      name: '',
      fromEntityId: parent.entity.id,
      fromFieldIds: refCols,
      toEntityId: child.entity.id,
      toFieldIds: cols,
      cardinality: fk.cardinality ?? (isUniqueColumnSet(child.entity, cols) ? '1:1' : '1:N'),
      throughEntityId: null,
      onDelete: fk.onDelete,
      description: '',
    });
    resolved.push({ child, parent, cols, refCols, fk });
  }

  // A join table: exactly two foreign keys whose columns together are its primary key.
  for (const b of built.values()) {
    const fks = resolved.filter((r) => r.child === b);
    if (fks.length !== 2 || b.entity.kind !== 'table') continue;
    const pk = b.entity.fields.filter((f) => f.primaryKey).map((f) => f.id);
    const [x, y] = fks;
    const union = new Set([...x.cols, ...y.cols]);
    const disjoint = union.size === x.cols.length + y.cols.length;
    if (!disjoint || union.size !== pk.length || !pk.every((id) => union.has(id))) continue;
    const [first, second] = pk.indexOf(x.cols[0]) <= pk.indexOf(y.cols[0]) ? [x, y] : [y, x];
    const ends = [first.parent.entity.id, second.parent.entity.id].sort().join('\u0000');
    const explicit = relationships.some(
      (r) => r.cardinality === 'N:M' && [r.fromEntityId, r.toEntityId].sort().join('\u0000') === ends,
    );
    if (explicit) continue;
    relationships.push({
      id: ids.next('r', b.entity.name, 'nm'),
      name: '',
      fromEntityId: first.parent.entity.id,
      fromFieldIds: [],
      toEntityId: second.parent.entity.id,
      toFieldIds: [],
      cardinality: 'N:M',
      throughEntityId: b.entity.id,
      onDelete: null,
      description: `Many-to-many through ${b.entity.name}.`,
    });
  }

  const parsed = modelSchema.safeParse({ version: 1, entities, relationships });
  if (!parsed.success) {
    throw new ImportedModelInvalidError(
      format,
      parsed.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message, code: 'schema' as const })),
    );
  }
  // The builder should never produce a dangling id; if it does, fail here rather than downstream.
  const issues = checkIntegrity(parsed.data);
  if (issues.length) throw new ImportedModelInvalidError(format, issues);
  return parsed.data;
}

/** `invoices_total_check` on `invoices` → `total_check`: ids already carry the table name. */
function localName(table: string, name: string): string {
  return name.startsWith(`${table}_`) && name.length > table.length + 1 ? name.slice(table.length + 1) : name;
}

function constraint(
  ids: IdAllocator,
  table: string,
  source: DraftKey,
  kind: Constraint['kind'],
  fieldIds: string[],
  expression: string,
): Constraint {
  const suffix = { unique: 'key', check: 'check', foreign_key: 'fkey', exclusion: 'excl' }[kind];
  return {
    id: ids.next('c', table, localName(table, source.name) || [...source.columns, suffix].join('_')),
    name: source.name.slice(0, MODEL_LIMITS.nameLength),
    kind,
    fieldIds,
    expression,
    references: null,
    description: (source.description ?? '').slice(0, MODEL_LIMITS.shortText),
  };
}

function addEnumChecks(enums: Map<string, string[]>, built: Map<string, Built>, ids: IdAllocator, warnings: string[]): void {
  for (const [typeName, values] of enums) {
    const key = canonicalTypeName(typeName);
    let scalarUses = 0;
    let arrayUses = 0;
    for (const b of built.values()) {
      for (const f of b.entity.fields) {
        if (canonicalTypeName(f.type) !== key) continue;
        if (isArrayType(f.type)) {
          arrayUses++;
          continue;
        }
        scalarUses++;
        const expression = enumCheckExpression(f.name, values);
        const exists = b.entity.constraints.some((c) => c.kind === 'check' && c.expression === expression);
        if (exists) continue;
        b.entity.constraints.push({
          id: ids.next('c', b.entity.name, f.name, 'enum'),
          name: '',
          kind: 'check',
          fieldIds: [f.id],
          expression,
          references: null,
          description: enumCheckDescription(typeName),
        });
      }
    }
    if (!scalarUses) {
      warnings.push(
        arrayUses
          ? `enum type "${typeName}" is only used in arrays; its values (${values.join(', ')}) are not kept in the model`
          : `enum type "${typeName}" is not used by any column and was dropped`,
      );
    }
  }
}
