import type { Field } from '@hatch/model';
import { canonicalType, isExactNumericType, isFloatType, timeZoneKind } from '../column-types';
import { isCreationTimestamp, isMoneyField } from '../field-roles';
import type { EntityFacts } from '../model-facts';
import { displayName } from '../name-normalizer';
import { currencyNearby } from '../scenario-facts';
import { entityRef, entitySubject, fieldRef, fieldSubject } from './rule-subjects';
import { type SchemaRule, tables, type Violation } from './schema-rule';

export const columnTypeConsistencyRule: SchemaRule = {
  id: 'column-type-consistent',
  title: 'A column name has one type everywhere',
  doc: 'Columns with the same name (tenant_id, currency, status) have the same type in every table.',
  stage: 'list',
  move: 'naming',
  weight: 1,
  strikes: 2,
  keywords: [],
  evaluate(ctx) {
    // First pass: one type and a count per name; only names with several types are looked at again.
    const seen = new Map<string, { type: string; count: number; mixed: boolean }>();
    const all = tables(ctx);
    for (const entity of all) {
      for (const field of entity.entity.fields) {
        const name = field.name.toLowerCase();
        const type = canonicalType(field.type);
        const entry = seen.get(name);
        if (!entry) seen.set(name, { type, count: 1, mixed: false });
        else {
          entry.count++;
          if (entry.type !== type) entry.mixed = true;
        }
      }
    }
    let applicable = 0;
    const mixed = new Map<string, { entity: EntityFacts; field: Field; type: string }[]>();
    for (const [name, entry] of seen) {
      if (entry.count > 1) applicable++;
      if (entry.mixed) mixed.set(name, []);
    }
    if (mixed.size > 0) {
      for (const entity of all) {
        for (const field of entity.entity.fields) mixed.get(field.name.toLowerCase())?.push({ entity, field, type: canonicalType(field.type) });
      }
    }
    const violations: Violation[] = [];
    for (const [name, uses] of mixed) {
      const counts = new Map<string, number>();
      for (const use of uses) counts.set(use.type, (counts.get(use.type) ?? 0) + 1);
      if (counts.size === 1) continue;
      // The most common type wins; on a tie, the first one used.
      let majority = uses[0].type;
      for (const [type, count] of counts) if (count > (counts.get(majority) ?? 0)) majority = type;
      for (const use of uses) {
        if (use.type === majority) continue;
        violations.push({
          subject: fieldSubject(use.entity, use.field),
          evidence: () => fieldRef(use.entity, use.field, `${use.field.type}; elsewhere ${majority}`),
          hint: () => `${use.entity.entity.name}.${use.field.name} is ${use.field.type} but ${name} is ${majority} elsewhere: use one type.`,
        });
      }
    }
    return { applicable, violations };
  },
};

export const timestamptzRule: SchemaRule = {
  id: 'timestamptz',
  title: 'Timestamps carry their time zone',
  doc: 'Points in time are timestamptz; timestamp without time zone silently depends on the session time zone.',
  stage: 'list',
  move: 'money-and-time',
  weight: 2,
  strikes: 3,
  keywords: ['local time', 'wall-clock', 'wall clock', 'without time zone'],
  evaluate(ctx) {
    let applicable = 0;
    const violations: Violation[] = [];
    for (const entity of tables(ctx)) {
      for (const field of entity.entity.fields) {
        const kind = timeZoneKind(field.type);
        if (kind === 'other') continue;
        applicable++;
        if (kind === 'zoned') continue;
        violations.push({
          subject: fieldSubject(entity, field),
          evidence: () => fieldRef(entity, field, field.type),
          hint: () => `${entity.entity.name}.${field.name} is ${field.type}: use timestamptz so the instant does not depend on the server's time zone.`,
        });
      }
    }
    return { applicable, violations };
  },
};

export const moneyTypeRule: SchemaRule = {
  id: 'money-type',
  title: 'Money is exact and has a currency',
  doc: 'Amounts are integer minor units (or numeric) next to a currency; never float, real, double precision or money.',
  stage: 'list',
  move: 'money-and-time',
  weight: 3,
  strikes: 2,
  keywords: ['single currency', 'one currency'],
  evaluate(ctx) {
    let applicable = 0;
    const violations: Violation[] = [];
    for (const entity of tables(ctx)) {
      const money = entity.entity.fields.filter(isMoneyField);
      if (money.length === 0) continue;
      applicable += money.length;
      for (const field of money) {
        if (isExactNumericType(field.type) && !isFloatType(field.type)) continue;
        violations.push({
          subject: fieldSubject(entity, field),
          evidence: () => fieldRef(entity, field, `${field.type}: inexact`),
          hint: () => `${entity.entity.name}.${field.name} is ${field.type}: money must be exact — store integer minor units (bigint) or numeric.`,
        });
      }
      if (!currencyNearby(ctx.facts, entity)) {
        violations.push({
          subject: entitySubject(entity),
          evidence: () => entityRef(entity, 'amounts without a currency'),
          hint: () => `${displayName(entity.entity.name)} store amounts without a currency: add currency char(3) (ISO 4217).`,
        });
      }
    }
    return { applicable, violations };
  },
};

export const createdAtRule: SchemaRule = {
  id: 'created-at',
  title: 'Rows record when they were created',
  doc: 'Each table has created_at (or, for facts, occurred_at/received_at) as timestamptz, for debugging, auditing and analytics.',
  stage: 'list',
  move: 'history',
  weight: 1,
  strikes: 3,
  keywords: ['derived', 'rebuilt', 'recomputed', 'lookup table', 'static'],
  evaluate(ctx) {
    const all = tables(ctx);
    return {
      applicable: all.length,
      violations: all
        .filter((entity) => !entity.entity.fields.some(isCreationTimestamp))
        .map((entity) => ({
          subject: entitySubject(entity),
          evidence: () => entityRef(entity, 'no created_at'),
          hint: () => `When was a row of ${entity.entity.name} created? Add created_at timestamptz NOT NULL DEFAULT now().`,
        })),
    };
  },
};
