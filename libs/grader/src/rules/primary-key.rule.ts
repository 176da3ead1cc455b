import { displayName } from '../name-normalizer';
import { entityRef, entitySubject } from './rule-subjects';
import { type SchemaRule, tables } from './schema-rule';

export const primaryKeyRule: SchemaRule = {
  id: 'primary-key',
  title: 'Every table has a primary key',
  doc: 'Each table declares a primary key, so rows can be referenced, updated and deduplicated.',
  stage: 'list',
  move: 'keys-and-constraints',
  weight: 3,
  strikes: 2,
  keywords: ['no primary key', 'without a primary key'],
  evaluate(ctx) {
    const all = tables(ctx);
    return {
      applicable: all.length,
      violations: all
        .filter((entity) => entity.primaryKey.length === 0)
        .map((entity) => ({
          subject: entitySubject(entity),
          evidence: () => entityRef(entity, 'no primary key'),
          hint: () => `${displayName(entity.entity.name)} has no primary key: add id (uuid or bigint identity) as its primary key.`,
        })),
    };
  },
};
