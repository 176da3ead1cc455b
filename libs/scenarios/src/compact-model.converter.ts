import type {
  Cardinality,
  Constraint,
  Entity,
  Field,
  Index,
  Model,
  OnDelete,
  Relationship,
  TrackingEvent,
} from '@hatch/model';
import type { CompactEntity, CompactModel } from './compact-model.schema';
import { derivedId, didYouMean, pgName } from './derived-names';
import { formatPath, type PathSegment } from './scenario-load.error';

export interface ConversionProblem {
  path: PathSegment[];
  reason: string;
}

/** Where each canonical element came from, to report model issues at the authored location. */
export type ModelOrigins = Map<string, PathSegment[]>;

export interface ConvertedModel {
  /** The canonical model; `frame` and `win` are empty, the caller fills them. */
  model: Model;
  problems: ConversionProblem[];
  origins: ModelOrigins;
  /** Entity name → entity id and field name → field id, for resolving scenario names. */
  entities: Map<string, ResolvedEntity>;
}

export interface ResolvedEntity {
  id: string;
  fields: Map<string, string>;
}

interface EntityDraft {
  name: string;
  spec: CompactEntity;
  path: PathSegment[];
  entity: Entity;
  fields: Map<string, Field>;
}

interface ParsedTarget {
  entity: string;
  columns: string[];
}

/** `tenants.id` or `invoices(tenant_id, id)`. */
function parseTarget(target: string): ParsedTarget | undefined {
  const call = /^([^().\s]+)\s*\(([^()]*)\)$/.exec(target);
  if (call) {
    const columns = call[2].split(',').map((column) => column.trim());
    return columns.every(Boolean) ? { entity: call[1], columns } : undefined;
  }
  const dot = /^([^().\s]+)\.([^().\s]+)$/.exec(target);
  return dot ? { entity: dot[1], columns: [dot[2]] } : undefined;
}

const originKey = (path: readonly PathSegment[]) => path.join('.');

/**
 * Converts the compact authoring format to a canonical model: derives ids and PostgreSQL-style
 * names, resolves names to ids, and turns every foreign key into a relationship. Problems are
 * collected with the authored path (under `basePath`); unresolvable elements are left out.
 */
export function convertCompactModel(compact: CompactModel, basePath: readonly PathSegment[]): ConvertedModel {
  const problems: ConversionProblem[] = [];
  const origins: ModelOrigins = new Map();
  const report = (path: PathSegment[], reason: string) => problems.push({ path: [...basePath, ...path], reason });
  const origin = (canonical: PathSegment[], authored: PathSegment[]) => origins.set(originKey(canonical), [...basePath, ...authored]);

  const drafts = new Map<string, EntityDraft>();
  Object.entries(compact.entities).forEach(([name, spec], entityIndex) => {
    const path: PathSegment[] = ['entities', name];
    origin(['entities', entityIndex], path);
    const fields = new Map<string, Field>();
    Object.entries(spec.fields).forEach(([fieldName, fieldSpec], fieldIndex) => {
      origin(['entities', entityIndex, 'fields', fieldIndex], [...path, 'fields', fieldName]);
      if (fieldSpec.pk && fieldSpec.nullable) report([...path, 'fields', fieldName, 'nullable'], 'a primary key column cannot be nullable');
      if (fieldSpec.onDelete && !fieldSpec.references) report([...path, 'fields', fieldName, 'onDelete'], 'onDelete needs references');
      fields.set(fieldName, {
        id: fieldSpec.id ?? derivedId('f', name, fieldName),
        name: fieldName,
        type: fieldSpec.type,
        nullable: fieldSpec.nullable,
        default: fieldSpec.default ?? null,
        primaryKey: fieldSpec.pk,
        unique: fieldSpec.unique,
        references: null,
        description: fieldSpec.description,
      });
    });
    const entity: Entity = {
      id: spec.id ?? derivedId('e', name),
      name,
      kind: spec.kind,
      description: spec.description,
      fields: [...fields.values()],
      constraints: [],
      indexes: [],
    };
    drafts.set(name, { name, spec, path, entity, fields });
  });

  const entityNames = () => drafts.keys();
  const usedNames = new Set<string>();
  const uniqueName = (explicit: string | undefined, table: string, columns: string[], suffix: string) => {
    if (explicit) {
      usedNames.add(explicit);
      return explicit;
    }
    const base = pgName(table, columns, suffix);
    let name = base;
    for (let n = 1; usedNames.has(name); n++) name = `${base}${n}`;
    usedNames.add(name);
    return name;
  };

  /** Resolves columns of one entity to field ids, reporting the first unknown column. */
  const resolveColumns = (draft: EntityDraft, columns: string[], path: PathSegment[]): string[] | undefined => {
    const ids: string[] = [];
    for (const column of columns) {
      const field = draft.fields.get(column);
      if (!field) {
        report(path, `unknown column "${column}" in ${draft.name}${didYouMean(column, draft.fields.keys())}`);
        return undefined;
      }
      ids.push(field.id);
    }
    return ids;
  };

  const resolveTarget = (target: string, path: PathSegment[]) => {
    const parsed = parseTarget(target);
    if (!parsed) {
      report(path, `cannot read reference "${target}": write entity.column or entity(column, column)`);
      return undefined;
    }
    const draft = drafts.get(parsed.entity);
    if (!draft) {
      report(path, `unknown entity "${parsed.entity}"${didYouMean(parsed.entity, entityNames())}`);
      return undefined;
    }
    const fieldIds = resolveColumns(draft, parsed.columns, path);
    return fieldIds ? { draft, columns: parsed.columns, fieldIds } : undefined;
  };

  const derived: { relationship: Relationship; authored: PathSegment[] }[] = [];
  const deriveRelationship = (
    fkName: string,
    target: { draft: EntityDraft; fieldIds: string[] },
    owner: EntityDraft,
    ownerFieldIds: string[],
    cardinality: Cardinality,
    onDelete: OnDelete | null,
    authored: PathSegment[],
  ) => {
    derived.push({
      authored,
      relationship: {
        id: derivedId('r', fkName),
        name: '',
        fromEntityId: target.draft.entity.id,
        fromFieldIds: target.fieldIds,
        toEntityId: owner.entity.id,
        toFieldIds: ownerFieldIds,
        cardinality,
        throughEntityId: null,
        onDelete,
        description: '',
      },
    });
  };

  /** A foreign key is one-to-one when its columns are exactly a unique key of the owner. */
  const uniqueKeySets = (draft: EntityDraft): string[][] => {
    const sets = draft.spec.uniqueKeys.map((key) => key.columns);
    const pk = [...draft.fields.values()].filter((field) => field.primaryKey).map((field) => field.name);
    if (pk.length > 0) sets.push(pk);
    for (const field of draft.fields.values()) if (field.unique) sets.push([field.name]);
    return sets;
  };
  const isUniqueKey = (draft: EntityDraft, columns: string[]) =>
    uniqueKeySets(draft).some((set) => set.length === columns.length && set.every((column) => columns.includes(column)));

  const entityIndexOf = new Map([...drafts.keys()].map((name, index) => [name, index]));
  for (const draft of drafts.values()) {
    const { name, spec, path, entity } = draft;
    const entityIndex = entityIndexOf.get(name) as number;
    const addConstraint = (constraint: Constraint, authored: PathSegment[]) => {
      origin(['entities', entityIndex, 'constraints', entity.constraints.length], authored);
      entity.constraints.push(constraint);
    };
    const fieldNames = new Set(draft.fields.keys());
    const mentionedColumns = (expression: string) => {
      const withoutLiterals = expression.replace(/'(?:[^']|'')*'/g, ' ');
      return [...new Set(withoutLiterals.match(/[A-Za-z_][A-Za-z0-9_$]*/g) ?? [])].filter((token) => fieldNames.has(token));
    };

    for (const [fieldName, fieldSpec] of Object.entries(spec.fields)) {
      const field = draft.fields.get(fieldName) as Field;
      const fieldPath: PathSegment[] = [...path, 'fields', fieldName];
      if (fieldSpec.references) {
        const target = resolveTarget(fieldSpec.references, [...fieldPath, 'references']);
        if (target && target.fieldIds.length !== 1) {
          report([...fieldPath, 'references'], 'a column references one column; declare composite keys under foreignKeys');
        } else if (target) {
          const onDelete = fieldSpec.onDelete ?? null;
          field.references = { entityId: target.draft.entity.id, fieldId: target.fieldIds[0], onDelete };
          const oneToOne = field.unique || isUniqueKey(draft, [fieldName]);
          deriveRelationship(pgName(name, [fieldName], 'fkey'), target, draft, [field.id], oneToOne ? '1:1' : '1:N', onDelete, fieldPath);
        }
      }
      if (fieldSpec.check) {
        const constraintName = uniqueName(undefined, name, [fieldName], 'check');
        addConstraint(
          {
            id: derivedId('c', constraintName),
            name: constraintName,
            kind: 'check',
            fieldIds: [field.id],
            expression: fieldSpec.check,
            references: null,
            description: '',
          },
          [...fieldPath, 'check'],
        );
      }
    }

    spec.uniqueKeys.forEach((key, i) => {
      const keyPath = [...path, 'uniqueKeys', i];
      const fieldIds = resolveColumns(draft, key.columns, [...keyPath, 'columns']);
      if (!fieldIds) return;
      const constraintName = uniqueName(key.name, name, key.columns, 'key');
      addConstraint(
        {
          id: key.id ?? derivedId('c', constraintName),
          name: constraintName,
          kind: 'unique',
          fieldIds,
          expression: '',
          references: null,
          description: key.description,
        },
        keyPath,
      );
    });

    spec.checks.forEach((check, i) => {
      const checkPath = [...path, 'checks', i];
      const columns = check.columns ?? mentionedColumns(check.expression);
      const fieldIds = check.columns ? resolveColumns(draft, columns, [...checkPath, 'columns']) : columns.map((c) => draft.fields.get(c)?.id as string);
      if (!fieldIds) return;
      const constraintName = uniqueName(check.name, name, columns, 'check');
      addConstraint(
        {
          id: check.id ?? derivedId('c', constraintName),
          name: constraintName,
          kind: 'check',
          fieldIds,
          expression: check.expression,
          references: null,
          description: check.description,
        },
        checkPath,
      );
    });

    spec.foreignKeys.forEach((fk, i) => {
      const fkPath = [...path, 'foreignKeys', i];
      const fieldIds = resolveColumns(draft, fk.columns, [...fkPath, 'columns']);
      const target = resolveTarget(fk.references, [...fkPath, 'references']);
      if (!fieldIds || !target) return;
      if (target.fieldIds.length !== fieldIds.length) {
        report(fkPath, `${fk.columns.length} column(s) reference ${target.fieldIds.length} column(s) of ${target.draft.name}`);
        return;
      }
      const onDelete = fk.onDelete ?? null;
      const constraintName = uniqueName(fk.name, name, fk.columns, 'fkey');
      addConstraint(
        {
          id: fk.id ?? derivedId('c', constraintName),
          name: constraintName,
          kind: 'foreign_key',
          fieldIds,
          expression: '',
          references: { entityId: target.draft.entity.id, fieldIds: target.fieldIds, onDelete },
          description: fk.description,
        },
        fkPath,
      );
      const cardinality = isUniqueKey(draft, fk.columns) ? '1:1' : '1:N';
      deriveRelationship(constraintName, target, draft, fieldIds, cardinality, onDelete, fkPath);
    });

    spec.exclusions.forEach((exclusion, i) => {
      const exclusionPath = [...path, 'exclusions', i];
      const columns = exclusion.columns ?? mentionedColumns(exclusion.expression);
      const fieldIds = exclusion.columns
        ? resolveColumns(draft, columns, [...exclusionPath, 'columns'])
        : columns.map((c) => draft.fields.get(c)?.id as string);
      if (!fieldIds) return;
      const constraintName = uniqueName(exclusion.name, name, columns, 'excl');
      addConstraint(
        {
          id: exclusion.id ?? derivedId('c', constraintName),
          name: constraintName,
          kind: 'exclusion',
          fieldIds,
          expression: exclusion.expression,
          references: null,
          description: exclusion.description,
        },
        exclusionPath,
      );
    });

    spec.indexes.forEach((index, i) => {
      const indexPath = [...path, 'indexes', i];
      const fieldIds = resolveColumns(draft, index.columns, [...indexPath, 'columns']);
      if (!fieldIds) return;
      const indexName = uniqueName(index.name, name, index.columns, 'idx');
      origin(['entities', entityIndex, 'indexes', entity.indexes.length], indexPath);
      const canonical: Index = {
        id: index.id ?? derivedId('i', indexName),
        name: indexName,
        fieldIds,
        unique: index.unique,
        where: index.where,
        method: index.method,
      };
      entity.indexes.push(canonical);
    });
  }

  const explicit: { relationship: Relationship; authored: PathSegment[] }[] = [];
  compact.relationships.forEach((spec, i) => {
    const relPath: PathSegment[] = ['relationships', i];
    const from = drafts.get(spec.from);
    const to = drafts.get(spec.to);
    if (!from) report([...relPath, 'from'], `unknown entity "${spec.from}"${didYouMean(spec.from, entityNames())}`);
    if (!to) report([...relPath, 'to'], `unknown entity "${spec.to}"${didYouMean(spec.to, entityNames())}`);
    const through = spec.through === undefined ? null : drafts.get(spec.through);
    if (through === undefined) report([...relPath, 'through'], `unknown entity "${spec.through}"${didYouMean(spec.through ?? '', entityNames())}`);
    if (!from || !to || through === undefined) return;
    const fromFieldIds = spec.fromColumns ? resolveColumns(from, spec.fromColumns, [...relPath, 'fromColumns']) : [];
    const toFieldIds = spec.toColumns ? resolveColumns(to, spec.toColumns, [...relPath, 'toColumns']) : [];
    if (!fromFieldIds || !toFieldIds) return;
    explicit.push({
      authored: relPath,
      relationship: {
        id: spec.id ?? derivedId('r', spec.name ?? `${spec.from}_${spec.to}`),
        name: spec.name ?? '',
        fromEntityId: from.entity.id,
        fromFieldIds,
        toEntityId: to.entity.id,
        toFieldIds,
        cardinality: spec.cardinality,
        throughEntityId: through ? through.entity.id : null,
        onDelete: spec.onDelete ?? null,
        description: spec.description,
      },
    });
  });

  // An explicit relationship over the same columns as a foreign key replaces the derived one.
  const sameEdge = (a: Relationship, b: Relationship) =>
    a.fromEntityId === b.fromEntityId && a.toEntityId === b.toEntityId && a.toFieldIds.join() === b.toFieldIds.join();
  const relationships = [
    ...derived.filter((d) => !explicit.some((e) => sameEdge(e.relationship, d.relationship))),
    ...explicit,
  ];
  relationships.forEach((r, i) => origin(['relationships', i], r.authored));

  const events: TrackingEvent[] = [];
  Object.entries(compact.events).forEach(([name, spec]) => {
    const eventPath: PathSegment[] = ['events', name];
    let entityId: string | null = null;
    if (spec.entity !== undefined) {
      const draft = drafts.get(spec.entity);
      if (!draft) {
        report([...eventPath, 'entity'], `unknown entity "${spec.entity}"${didYouMean(spec.entity, entityNames())}`);
        return;
      }
      entityId = draft.entity.id;
    }
    origin(['events', events.length], eventPath);
    const eventId = spec.id ?? derivedId('ev', name);
    events.push({
      id: eventId,
      name,
      description: spec.description,
      trigger: spec.trigger,
      entityId,
      properties: Object.entries(spec.properties).map(([propertyName, property], i) => {
        origin(['events', events.length, 'properties', i], [...eventPath, 'properties', propertyName]);
        return {
          id: property.id ?? derivedId('p', name, propertyName),
          name: propertyName,
          type: property.type,
          required: property.required,
          description: property.description,
        };
      }),
    });
  });

  const model: Model = {
    version: 1,
    entities: [...drafts.values()].map((draft) => draft.entity),
    relationships: relationships.map((r) => r.relationship),
    events,
    frame: { domain: '', actors: [], rules: [], accessPatterns: [], tenancy: { strategy: null, notes: '' } },
    win: { answers: [] },
  };
  reportDuplicateIds(model, origins, basePath, problems);

  const entities = new Map<string, ResolvedEntity>();
  for (const draft of drafts.values()) {
    entities.set(draft.name, { id: draft.entity.id, fields: new Map([...draft.fields].map(([n, f]) => [n, f.id])) });
  }
  return { model, problems, origins, entities };
}

/** Derived ids can collide (`a_b.c` and `a.b_c`); the author then sets an explicit id. */
function reportDuplicateIds(model: Model, origins: ModelOrigins, basePath: readonly PathSegment[], problems: ConversionProblem[]) {
  const seen = new Map<string, PathSegment[]>();
  const visit = (id: string, canonical: PathSegment[]) => {
    const authored = origins.get(originKey(canonical)) ?? [...basePath, ...canonical];
    const first = seen.get(id);
    if (first) {
      problems.push({ path: authored, reason: `id "${id}" is also used by ${formatPath(first)}; set an explicit id` });
    } else {
      seen.set(id, authored);
    }
  };
  model.entities.forEach((entity, e) => {
    visit(entity.id, ['entities', e]);
    entity.fields.forEach((field, f) => visit(field.id, ['entities', e, 'fields', f]));
    entity.constraints.forEach((constraint, c) => visit(constraint.id, ['entities', e, 'constraints', c]));
    entity.indexes.forEach((index, i) => visit(index.id, ['entities', e, 'indexes', i]));
  });
  model.relationships.forEach((relationship, r) => visit(relationship.id, ['relationships', r]));
  model.events.forEach((event, e) => {
    visit(event.id, ['events', e]);
    event.properties.forEach((property, p) => visit(property.id, ['events', e, 'properties', p]));
  });
}

/** Maps a canonical model issue path back to where the element was authored. */
export function authoredPath(origins: ModelOrigins, canonical: readonly PathSegment[], fallbackBase: readonly PathSegment[]): PathSegment[] {
  for (let length = canonical.length; length > 0; length--) {
    const authored = origins.get(originKey(canonical.slice(0, length)));
    if (authored) return [...authored, ...canonical.slice(length)];
  }
  return [...fallbackBase, ...canonical];
}
