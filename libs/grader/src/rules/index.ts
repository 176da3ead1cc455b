import { auditAppendOnlyRule, usageIdempotencyRule } from './history.rule';
import { columnTypeConsistencyRule, createdAtRule, moneyTypeRule, timestamptzRule } from './column-types.rule';
import { eventEntityRule, eventNameFormatRule, eventNameStaticRule, eventNameUniqueRule, eventPropertiesRule } from './event-naming.rule';
import { fkDeclaredRule, fkValidRule, onDeleteRule } from './foreign-keys.rule';
import { fkIndexedRule, nullableUniqueRule, redundantIndexRule } from './indexes.rule';
import { namingConsistencyRule, reservedWordsRule } from './naming.rule';
import { primaryKeyRule } from './primary-key.rule';
import type { SchemaRule } from './schema-rule';
import { tenantFkRule, tenantUniqueKeysRule } from './tenant-scoping.rule';

export { ruleCheck, type RuleFindings, type SchemaRule, type Violation } from './schema-rule';

/** Every general rule, in the order their checks are reported. */
export const SCHEMA_RULES: readonly SchemaRule[] = [
  primaryKeyRule,
  fkDeclaredRule,
  fkValidRule,
  onDeleteRule,
  columnTypeConsistencyRule,
  namingConsistencyRule,
  reservedWordsRule,
  moneyTypeRule,
  timestamptzRule,
  createdAtRule,
  usageIdempotencyRule,
  eventNameFormatRule,
  eventNameUniqueRule,
  eventNameStaticRule,
  eventPropertiesRule,
  eventEntityRule,
  fkIndexedRule,
  redundantIndexRule,
  nullableUniqueRule,
  tenantFkRule,
  tenantUniqueKeysRule,
  auditAppendOnlyRule,
];
