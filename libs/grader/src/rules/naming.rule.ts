import type { Field } from '@hatch/model';
import type { EntityFacts } from '../model-facts';
import { type Casing, casingOf, casingsAgree, inflectionOf } from '../name-normalizer';
import { entityRef, entitySubject, fieldRef, fieldSubject } from './rule-subjects';
import { type SchemaRule, tables, type Violation } from './schema-rule';

const CASING_NAMES: Record<Casing, string> = {
  snake: 'snake_case',
  camel: 'camelCase',
  pascal: 'PascalCase',
  kebab: 'kebab-case',
  'upper-snake': 'UPPER_SNAKE',
  title: 'Title Case',
  dotted: 'dotted.case',
  lower: 'lowercase',
  mixed: 'mixed case',
};

export const namingConsistencyRule: SchemaRule = {
  id: 'naming-consistency',
  title: 'Names follow one convention',
  doc: 'Table names are all plural or all singular, and tables and columns use one casing (e.g. snake_case).',
  stage: 'list',
  move: 'naming',
  weight: 1,
  strikes: 3,
  keywords: ['naming convention', 'legacy name'],
  evaluate(ctx) {
    const all = tables(ctx);
    const violations: Violation[] = [];
    // Inflection of table names: the majority wins, the first table breaks a tie.
    const inflections = all.map((entity) => inflectionOf(entity.entity.name));
    const plural = inflections.filter((i) => i === 'plural').length;
    const singular = inflections.filter((i) => i === 'singular').length;
    const first = inflections.find((i) => i !== 'neutral');
    const preferred = plural > singular ? 'plural' : singular > plural ? 'singular' : first;
    all.forEach((entity, i) => {
      if (inflections[i] === 'neutral' || inflections[i] === preferred) return;
      violations.push({
        subject: entitySubject(entity),
        evidence: () => entityRef(entity, `${inflections[i]} name among ${preferred} ones`),
        hint: () => `${entity.entity.name} is ${inflections[i]} while the other tables are ${preferred}: name every table the same way.`,
      });
    });
    // One casing across tables and columns; a lone lower-case word fits any lower-case style.
    const counts = new Map<Casing, number>();
    let applicable = 0;
    const count = (casing: Casing) => {
      applicable++;
      if (casing !== 'lower') counts.set(casing, (counts.get(casing) ?? 0) + 1);
    };
    for (const entity of all) {
      count(casingOf(entity.entity.name));
      for (const field of entity.entity.fields) count(casingOf(field.name));
    }
    let dominant: Casing | null = null;
    for (const [casing, n] of counts) if (!dominant || n > (counts.get(dominant) ?? 0)) dominant = casing;
    if (dominant && counts.size > 1) {
      const report = (entity: EntityFacts, field: Field | undefined, casing: Casing) => {
        const name = field ? `${entity.entity.name}.${field.name}` : entity.entity.name;
        violations.push({
          subject: field ? fieldSubject(entity, field) : entitySubject(entity),
          evidence: () => field ? fieldRef(entity, field, CASING_NAMES[casing]) : entityRef(entity, CASING_NAMES[casing]),
          hint: () => `${name} is ${CASING_NAMES[casing]} while the rest is ${CASING_NAMES[dominant as Casing]}: use one casing.`,
        });
      };
      for (const entity of all) {
        const casing = casingOf(entity.entity.name);
        if (!casingsAgree(casing, dominant)) report(entity, undefined, casing);
        for (const field of entity.entity.fields) {
          const fieldCasing = casingOf(field.name);
          if (!casingsAgree(fieldCasing, dominant)) report(entity, field, fieldCasing);
        }
      }
    }
    return { applicable, violations };
  },
};

/** PostgreSQL's reserved key words (they cannot be table or column names unquoted). */
export const RESERVED_WORDS = new Set(
  (
    'all analyse analyze and any array as asc asymmetric authorization binary both case cast check collate collation column ' +
    'concurrently constraint create cross current_catalog current_date current_role current_schema current_time ' +
    'current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign freeze from ' +
    'full grant group having ilike in initially inner intersect into is isnull join lateral leading left like limit localtime ' +
    'localtimestamp natural not notnull null offset on only or order outer overlaps placing primary references returning ' +
    'right select session_user similar some symmetric system_user table tablesample then to trailing true union unique user ' +
    'using variadic verbose when where window with'
  ).split(' '),
);

const reservedCache = new Map<string, boolean>();
const isReserved = (name: string) => {
  let reserved = reservedCache.get(name);
  if (reserved === undefined) {
    reserved = RESERVED_WORDS.has(name.toLowerCase());
    if (reservedCache.size < 50_000) reservedCache.set(name, reserved);
  }
  return reserved;
};

export const reservedWordsRule: SchemaRule = {
  id: 'reserved-words',
  title: 'No reserved words as names',
  doc: 'Table and column names avoid PostgreSQL reserved words (user, order, group, desc, …), which must otherwise always be quoted.',
  stage: 'list',
  move: 'naming',
  weight: 1,
  strikes: 2,
  keywords: ['quoted'],
  evaluate(ctx) {
    const all = tables(ctx);
    let applicable = 0;
    const violations: Violation[] = [];
    for (const entity of all) {
      applicable += 1 + entity.entity.fields.length;
      if (isReserved(entity.entity.name)) {
        violations.push({
          subject: entitySubject(entity),
          evidence: () => entityRef(entity, 'reserved word'),
          hint: () => `${entity.entity.name} is a reserved word in PostgreSQL: rename the table (e.g. ${entity.entity.name.toLowerCase()}s or app_${entity.entity.name.toLowerCase()}).`,
        });
      }
      for (const field of entity.entity.fields) {
        if (!isReserved(field.name)) continue;
        violations.push({
          subject: fieldSubject(entity, field),
          evidence: () => fieldRef(entity, field, 'reserved word'),
          hint: () => `${entity.entity.name}.${field.name} is a reserved word in PostgreSQL: rename it (e.g. ${entity.key}_${field.name.toLowerCase()}) or it must always be quoted.`,
        });
      }
    }
    return { applicable, violations };
  },
};
