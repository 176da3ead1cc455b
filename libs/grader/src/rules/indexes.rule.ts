import { type EntityFacts, type KeyFact, predicateImplied } from '../model-facts';
import { displayName } from '../name-normalizer';
import { columnNames, foreignKeySubject, keyRef, keySubject } from './rule-subjects';
import { type SchemaRule, tables, type Violation } from './schema-rule';

const searchable = (key: KeyFact) => key.method === 'btree' || (key.method === 'hash' && key.fieldIds.length === 1);

/**
 * Whether some b-tree key leads with exactly these columns, in any order, and serves an equality
 * lookup on them: no predicate, or one that only excludes their NULLs (`WHERE fk IS NOT NULL`).
 */
export function hasLeadingKey(entity: EntityFacts, fieldIds: readonly string[]): boolean {
  return entity.keys.some(
    (key) =>
      searchable(key) &&
      key.fieldIds.length >= fieldIds.length &&
      key.fieldIds.slice(0, fieldIds.length).every((id) => fieldIds.includes(id)) &&
      predicateImplied(key, fieldIds),
  );
}

export const fkIndexedRule: SchemaRule = {
  id: 'fk-indexed',
  title: 'Foreign key columns are indexed',
  doc: 'The columns of each foreign key lead some index (or the primary or a unique key; a partial one only if it just excludes their NULLs), so joins and parent deletes do not scan the table.',
  stage: 'optimize',
  move: 'access-pattern-indexes',
  weight: 2,
  strikes: 3,
  keywords: ['never deleted', 'not deleted', 'rarely queried', 'small table', 'no index'],
  evaluate(ctx) {
    const violations: Violation[] = [];
    let applicable = 0;
    // A parent documented as never deleted needs no index for its deletes.
    const neverDeleted = new Map<string, boolean>();
    const isNeverDeleted = (target: EntityFacts | undefined) => {
      if (!target) return false;
      let result = neverDeleted.get(target.entity.id);
      if (result === undefined) {
        result = /(never|not) (hard-)?deleted|archived/i.test(target.entity.description);
        neverDeleted.set(target.entity.id, result);
      }
      return result;
    };
    for (const entity of tables(ctx)) {
      for (const key of entity.outgoing) {
        applicable++;
        if (hasLeadingKey(entity, key.fieldIds)) continue;
        const target = ctx.facts.byId.get(key.targetEntityId);
        violations.push({
          subject: () => ({ ...foreignKeySubject(entity, key.fieldIds), description: isNeverDeleted(target) ? 'never deleted' : '' }),
          evidence: () => ({ kind: 'constraint', id: key.id, name: `${entity.entity.name}(${columnNames(entity, key.fieldIds)}) → ${target?.entity.name}`, note: 'no index leads with these columns' }),
          hint: () =>
            `Joining ${entity.entity.name} to ${target?.entity.name} (and every delete from ${target?.entity.name}) scans ${entity.entity.name}: add an index on (${columnNames(entity, key.fieldIds)}).`,
        });
      }
    }
    return { applicable, violations };
  },
};

const sameWhere = (a: string, b: string) => a.replace(/\s+/g, ' ').toLowerCase() === b.replace(/\s+/g, ' ').toLowerCase();

export const redundantIndexRule: SchemaRule = {
  id: 'redundant-index',
  title: 'No redundant indexes',
  doc: 'A non-unique index whose columns are a prefix of another key with the same predicate only slows writes.',
  stage: 'optimize',
  move: 'access-pattern-indexes',
  weight: 1,
  strikes: 2,
  keywords: ['covering', 'index-only'],
  evaluate(ctx) {
    const violations: Violation[] = [];
    let applicable = 0;
    for (const entity of tables(ctx)) {
      const indexes = entity.keys.filter((key) => key.kind === 'index');
      applicable += indexes.length;
      for (const index of indexes) {
        if (index.unique || index.method !== 'btree' || index.fieldIds.length === 0) continue;
        const wider = entity.keys.find(
          (other) =>
            other !== index &&
            other.method === 'btree' &&
            sameWhere(other.where, index.where) &&
            other.fieldIds.length >= index.fieldIds.length &&
            index.fieldIds.every((id, i) => other.fieldIds[i] === id) &&
            // Of two identical indexes, only the later one is redundant.
            (other.fieldIds.length > index.fieldIds.length || other.unique || entity.keys.indexOf(other) < entity.keys.indexOf(index)),
        );
        if (!wider) continue;
        violations.push({
          subject: keySubject(entity, index),
          evidence: () => keyRef(entity, index, `a prefix of ${wider.name}`),
          hint: () => `${index.name} on ${entity.entity.name} (${columnNames(entity, index.fieldIds)}) is covered by ${wider.name} (${columnNames(entity, wider.fieldIds)}): drop it.`,
        });
      }
    }
    return { applicable, violations };
  },
};

export const nullableUniqueRule: SchemaRule = {
  id: 'nullable-unique',
  title: 'Composite unique keys have no nullable columns',
  doc: 'NULLs are distinct in a unique key, so a nullable column lets duplicates through; make it NOT NULL (or use a partial index).',
  stage: 'optimize',
  move: 'keys-and-constraints',
  weight: 1,
  strikes: 2,
  keywords: ['nulls not distinct', 'null allowed', 'duplicates allowed'],
  evaluate(ctx) {
    const violations: Violation[] = [];
    let applicable = 0;
    for (const entity of tables(ctx)) {
      for (const key of entity.keys) {
        // One nullable column alone is "unique when present", usually intended; partial indexes chose their rows.
        if (!key.unique || key.kind === 'primary-key' || key.fieldIds.length < 2 || key.where !== '') continue;
        applicable++;
        const nullable = key.fieldIds.map((id) => entity.field(id)).filter((field) => field?.nullable);
        if (nullable.length === 0) continue;
        violations.push({
          // The nullable columns are the cause: their descriptions (not the others') may justify it.
          subject: keySubject(entity, key, nullable.map((field) => field?.id ?? '')),
          evidence: () => keyRef(entity, key, `${nullable.map((f) => f?.name).join(', ')} nullable`),
          hint: () => `${displayName(entity.entity.name)} can repeat (${columnNames(entity, key.fieldIds)}) while ${nullable[0]?.name} is NULL: make it NOT NULL or use a partial unique index.`,
        });
      }
    }
    return { applicable, violations };
  },
};
