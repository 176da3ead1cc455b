import type { Field } from '@hatch/model';
import { canonicalType, isFloatType, isRangeType, isTimestampType } from './column-types';
import type { EntityFacts } from './model-facts';
import { nameTokens } from './name-normalizer';

/**
 * What a column is for, read from its name and type. Shared by the derived rubric checks (on the
 * reference model) and the general rules (on the candidate's), so both sides read names alike.
 */

const MONEY_TOKENS = new Set([
  'amount', 'price', 'total', 'subtotal', 'tax', 'cost', 'fee', 'balance', 'minor', 'cent', 'revenue', 'charge', 'refund',
  'discount', 'credit', 'debit', 'mrr', 'arr', 'payout', 'commission', 'salary', 'wage', 'tip', 'fare', 'gmv',
]);
const NOT_MONEY_TOKENS = new Set(['quantity', 'count', 'size', 'number', 'rate', 'percent', 'percentage', 'ratio', 'bp', 'bps']);

const NUMERIC_TYPE = /^(smallint|integer|bigint|numeric|real|double precision|money)$/;

/** An amount of money: a money word in the name and a numeric type (`total_minor bigint`, `price float`); `tax_rate` is not. */
const moneyNames = new Map<string, boolean>();
const numericTypes = new Map<string, boolean>();

export function isMoneyField(field: Field): boolean {
  let numeric = numericTypes.get(field.type);
  if (numeric === undefined) {
    numeric = NUMERIC_TYPE.test(canonicalType(field.type));
    if (numericTypes.size < 10_000) numericTypes.set(field.type, numeric);
  }
  if (!numeric) return false;
  if (canonicalType(field.type) === 'money') return true;
  let money = moneyNames.get(field.name);
  if (money === undefined) {
    const tokens = nameTokens(field.name);
    money = !tokens.some((token) => NOT_MONEY_TOKENS.has(token)) && tokens.some((token) => MONEY_TOKENS.has(token));
    if (moneyNames.size < 50_000) moneyNames.set(field.name, money);
  }
  return money;
}

/** A money column stored as an inexact or locale-bound type. */
export function isBadMoneyType(field: Field): boolean {
  return isFloatType(field.type);
}

export function isCurrencyField(field: Field): boolean {
  const tokens = nameTokens(field.name);
  return tokens.includes('currency') || (tokens.includes('iso') && tokens.includes('code'));
}

/** Created-at or its equivalent for facts (`occurred_at`, `received_at`, `inserted_at`, ...). */
const CREATION_NAMES = new Set([
  'created_at', 'created_on', 'created', 'creation_time', 'created_date', 'inserted_at', 'occurred_at', 'received_at',
  'recorded_at', 'logged_at', 'happened_at', 'timestamp', 'event_time', 'ingested_at', 'sent_at', 'performed_at',
]);
export function isCreationTimestamp(field: Field): boolean {
  return isTimestampType(field.type) && CREATION_NAMES.has(field.name.toLowerCase());
}

export function isUpdatedAt(field: Field): boolean {
  return /^(updated|modified|changed|edited|last_updated|last_modified)(_at|_on|_date|_time)?$/.test(field.name.toLowerCase()) || /^(updatedAt|modifiedAt)$/.test(field.name);
}

/** Timestamps that record a state change (`paid_at`, `canceled_at`), as opposed to bookkeeping or schedule times. */
const NOT_TRANSITION = /^(created|updated|modified|inserted|deleted|expires?|due|last_.*|next_.*|.*_period_.*|period_.*|current_.*|valid_.*|effective_.*|active_.*|starts?|ends?|received|occurred|scheduled_for|bucket_.*)(_at|_on|_date|_time)?$/;
export function isTransitionTimestamp(field: Field): boolean {
  const name = field.name.toLowerCase();
  return isTimestampType(field.type) && /_(at|on)$/.test(name) && !NOT_TRANSITION.test(name);
}

export function isStatusField(field: Field): boolean {
  const tokens = nameTokens(field.name);
  const last = tokens[tokens.length - 1];
  return last === 'status' || last === 'state' || last === 'stage' || last === 'phase';
}

const IDEMPOTENCY = /(idempoten|dedup|dedupe|deduplication|client_event_id|client_request_id|request_key|event_key)/;
export function isIdempotencyField(field: Field): boolean {
  return IDEMPOTENCY.test(field.name.toLowerCase()) || /^idempotency/i.test(field.name);
}

/** Values unique across all tenants by nature: secrets' hashes, tokens, provider ids. */
const GLOBAL_VALUE = /(hash|token|secret|digest|external|provider|stripe|psp|global|uuid|fingerprint|checksum|email)/;
const globalValues = new Map<string, boolean>();
export function isGloballyUniqueValue(field: Field): boolean {
  let result = globalValues.get(field.name);
  if (result === undefined) {
    result = GLOBAL_VALUE.test(field.name.toLowerCase());
    if (globalValues.size < 50_000) globalValues.set(field.name, result);
  }
  return result;
}

export interface ValidityRange {
  from: Field;
  to: Field | null;
}

const FROM_SUFFIX = /^(.*?)(_)?(from|start|starts|start_at|starts_at|start_date|begin|begins_at|since)$/;
const TO_SUFFIX = /^(.*?)(_)?(to|until|end|ends|end_at|ends_at|end_date|thru|through)$/;

/**
 * A validity range of type-2 history: `valid_from`/`valid_to`, `effective_from`/`effective_to`,
 * `active_from`/`active_to`, `starts_at`/`ends_at`, or one range column (`tstzrange`).
 * `strict` (the reference side) accepts only `_from`/`_to` pairs and `valid_`/`effective_` names.
 */
export function validityRange(facts: EntityFacts, strict = false): ValidityRange | null {
  const fields = facts.entity.fields;
  for (const field of fields) {
    if (isRangeType(field.type) && /(valid|period|during|effective|active|range)/.test(field.name.toLowerCase())) return { from: field, to: field };
  }
  let startOnly: ValidityRange | null = null;
  for (const field of fields) {
    if (!isTimestampType(field.type)) continue;
    const name = field.name.toLowerCase();
    const from = FROM_SUFFIX.exec(name);
    if (!from) continue;
    const prefix = from[1];
    const word = from[3];
    if (strict && word !== 'from' && !/^(valid|effective)/.test(prefix)) continue;
    if (!strict && /period|trial|bucket|window/.test(prefix)) continue;
    const partner = fields.find((other) => {
      if (other === field || !isTimestampType(other.type)) return false;
      const to = TO_SUFFIX.exec(other.name.toLowerCase());
      return !!to && to[1] === prefix;
    });
    if (partner) return { from: field, to: partner };
    if (/^(valid|effective|active)/.test(prefix) && !startOnly) startOnly = { from: field, to: null };
  }
  return startOnly;
}

/** Columns an audit entry needs, found by name. */
export const AUDIT_PARTS: { part: string; pattern: RegExp }[] = [
  { part: 'actor', pattern: /(actor|performed_by|changed_by|created_by|submitted_by|user_id|principal|author|initiator|who)/ },
  { part: 'action', pattern: /(action|event_type|verb|operation|activity|event_name|^event$|^type$|^kind$|status|^to_)/ },
  { part: 'target', pattern: /(target|resource|object|entity|subject|record|item_id|table_name)/ },
  { part: 'changes', pattern: /(change|diff|before|after|payload|old_|new_|^from_|previous|delta|metadata|details|data|body|content)/ },
];

export const AUDIT_PART_NAMES = ['actor', 'action', 'target', 'changes', 'time'];

/**
 * Which audit parts an entity has: actor, action, target, changes, time. A history table's
 * target is the row it hangs off, so a foreign key column (not the actor's) counts as the target.
 */
export function auditParts(facts: EntityFacts): { present: string[]; missing: string[] } {
  const present: string[] = [];
  const missing: string[] = [];
  const names = facts.entity.fields.map((field) => field.name.toLowerCase());
  for (const { part, pattern } of AUDIT_PARTS) {
    let found = names.some((name) => pattern.test(name));
    if (!found && part === 'target') {
      found = facts.outgoing.some((key) =>
        key.fieldIds.some((id) => {
          const name = facts.field(id)?.name.toLowerCase() ?? '';
          return !AUDIT_PARTS[0].pattern.test(name) && !/tenant|account|org|workspace/.test(name);
        }),
      );
    }
    (found ? present : missing).push(part);
  }
  (facts.timestampFields.length > 0 ? present : missing).push('time');
  return { present, missing };
}

const AUDIT_HEADS = new Set(['log', 'trail', 'event', 'entry', 'record', 'history']);

/**
 * Table names of an audit log, for tables no scenario concept speaks for: `audits`, `audit_logs`,
 * `audit_log_entries`, `audit_trail`, `security_audit_events`, `activity_log`, `change_log` — an
 * audit word qualifying a log-like head noun. `audit_exports` or `audit_checkpoints` are not.
 */
export function looksLikeAuditLog(facts: EntityFacts): boolean {
  const tokens = facts.tokens;
  const head = tokens[tokens.length - 1];
  if (tokens.length === 1) return head === 'audit' || head === 'activity';
  const qualifiers = tokens.slice(0, -1);
  if (qualifiers.includes('audit')) return AUDIT_HEADS.has(head);
  return (qualifiers.includes('activity') || qualifiers.includes('change')) && head === 'log';
}

/** Table names of raw usage: `usage_events`, `usage_records`, `meter_events`, `metering_events`. */
export function looksLikeUsageEvents(facts: EntityFacts): boolean {
  const tokens = facts.tokens;
  const usage = tokens.includes('usage') || tokens.includes('meter') || tokens.includes('metering');
  const raw = tokens.some((token) => token === 'event' || token === 'record' || token === 'log');
  return usage && raw;
}
