import type * as Y from 'yjs';
import type { z } from 'zod';
import type { AccessPattern, Actor, Rule } from './model.schema';
import { accessPatternSchema, actorSchema, frameSchema, MODEL_LIMITS, ruleSchema } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import {
  checkEntityIds,
  claimId,
  idArg,
  insertElement,
  ListDescriptor,
  parseElement,
  readArgs,
  removeElement,
  updateElement,
} from './operation-support';
import { toJSON } from './yjs-binding';
import { ACCESS_PATTERN_SPEC, ACTOR_SPEC, RULE_SPEC, sharedTypes } from './yjs-layout';
import { setYText } from './yjs-text';

type Tenancy = z.input<typeof frameSchema>['tenancy'];

export interface SetFrameDomainArgs {
  domain: string;
}

export interface AddActorArgs extends Omit<z.input<typeof actorSchema>, 'id'> {
  id?: string;
}
export interface UpdateActorArgs extends Partial<Omit<z.input<typeof actorSchema>, 'id'>> {
  actorId: string;
}
export interface RemoveActorArgs {
  actorId: string;
}

export interface AddRuleArgs extends Omit<z.input<typeof ruleSchema>, 'id'> {
  id?: string;
}
export interface UpdateRuleArgs extends Partial<Omit<z.input<typeof ruleSchema>, 'id'>> {
  ruleId: string;
}
export interface RemoveRuleArgs {
  ruleId: string;
}

export interface AddAccessPatternArgs extends Omit<z.input<typeof accessPatternSchema>, 'id'> {
  id?: string;
}
export interface UpdateAccessPatternArgs extends Partial<Omit<z.input<typeof accessPatternSchema>, 'id'>> {
  accessPatternId: string;
}
export interface RemoveAccessPatternArgs {
  accessPatternId: string;
}

/** Keys left undefined stay as they are; `strategy: null` clears the strategy. */
export type SetTenancyArgs = Partial<NonNullable<Tenancy>>;

const ACTORS: ListDescriptor<Actor> = {
  spec: ACTOR_SPEC,
  schema: actorSchema,
  what: 'actor',
  max: MODEL_LIMITS.listItems,
  notFound: 'ACTOR_NOT_FOUND',
  array: (types) => types.frameActors,
  items: (model) => model.frame.actors,
};

const RULES: ListDescriptor<Rule> = {
  spec: RULE_SPEC,
  schema: ruleSchema,
  what: 'rule',
  max: MODEL_LIMITS.listItems,
  notFound: 'RULE_NOT_FOUND',
  array: (types) => types.frameRules,
  items: (model) => model.frame.rules,
};

const ACCESS_PATTERNS: ListDescriptor<AccessPattern> = {
  spec: ACCESS_PATTERN_SPEC,
  schema: accessPatternSchema,
  what: 'access pattern',
  max: MODEL_LIMITS.listItems,
  notFound: 'ACCESS_PATTERN_NOT_FOUND',
  array: (types) => types.frameAccessPatterns,
  items: (model) => model.frame.accessPatterns,
};

/** Sets the frame's domain prose with a minimal text edit. */
export function setFrameDomain(doc: Y.Doc, args: SetFrameDomainArgs, origin?: unknown): void {
  const operation = 'setFrameDomain';
  readArgs(operation, args, ['domain']);
  const domain = parseElement(frameSchema.shape.domain, args.domain, `${operation}: domain`);
  doc.transact(() => setYText(sharedTypes(doc).frameDomain, domain), origin);
}

export function addActor(doc: Y.Doc, args: AddActorArgs, origin?: unknown): string {
  const operation = 'addActor';
  readArgs(operation, args, ['id', 'name', 'description']);
  const model = toJSON(doc);
  const id = claimId(model, args.id, ID_PREFIXES.actor, operation);
  insertElement(doc, ACTORS, model, parseElement(actorSchema, { ...args, id }, operation), origin);
  return id;
}

export function updateActor(doc: Y.Doc, args: UpdateActorArgs, origin?: unknown): string {
  const operation = 'updateActor';
  readArgs(operation, args, ['actorId', 'name', 'description']);
  const actorId = idArg(operation, args, 'actorId');
  const { actorId: _id, ...patch } = args;
  updateElement(doc, ACTORS, toJSON(doc), actorId, patch as Partial<Actor>, operation, origin);
  return actorId;
}

export function removeActor(doc: Y.Doc, args: RemoveActorArgs, origin?: unknown): string {
  const operation = 'removeActor';
  readArgs(operation, args, ['actorId']);
  const actorId = idArg(operation, args, 'actorId');
  removeElement(doc, ACTORS, toJSON(doc), actorId, origin);
  return actorId;
}

export function addRule(doc: Y.Doc, args: AddRuleArgs, origin?: unknown): string {
  const operation = 'addRule';
  readArgs(operation, args, ['id', 'kind', 'text']);
  const model = toJSON(doc);
  const id = claimId(model, args.id, ID_PREFIXES.rule, operation);
  insertElement(doc, RULES, model, parseElement(ruleSchema, { ...args, id }, operation), origin);
  return id;
}

export function updateRule(doc: Y.Doc, args: UpdateRuleArgs, origin?: unknown): string {
  const operation = 'updateRule';
  readArgs(operation, args, ['ruleId', 'kind', 'text']);
  const ruleId = idArg(operation, args, 'ruleId');
  const { ruleId: _id, ...patch } = args;
  updateElement(doc, RULES, toJSON(doc), ruleId, patch as Partial<Rule>, operation, origin);
  return ruleId;
}

export function removeRule(doc: Y.Doc, args: RemoveRuleArgs, origin?: unknown): string {
  const operation = 'removeRule';
  readArgs(operation, args, ['ruleId']);
  const ruleId = idArg(operation, args, 'ruleId');
  removeElement(doc, RULES, toJSON(doc), ruleId, origin);
  return ruleId;
}

export function addAccessPattern(doc: Y.Doc, args: AddAccessPatternArgs, origin?: unknown): string {
  const operation = 'addAccessPattern';
  readArgs(operation, args, ['id', 'description', 'frequency', 'entityIds']);
  const model = toJSON(doc);
  const id = claimId(model, args.id, ID_PREFIXES.accessPattern, operation);
  const pattern = parseElement(accessPatternSchema, { ...args, id }, operation);
  checkEntityIds(model, pattern.entityIds, operation);
  insertElement(doc, ACCESS_PATTERNS, model, pattern, origin);
  return id;
}

export function updateAccessPattern(doc: Y.Doc, args: UpdateAccessPatternArgs, origin?: unknown): string {
  const operation = 'updateAccessPattern';
  readArgs(operation, args, ['accessPatternId', 'description', 'frequency', 'entityIds']);
  const accessPatternId = idArg(operation, args, 'accessPatternId');
  const model = toJSON(doc);
  const { accessPatternId: _id, ...patch } = args;
  updateElement(doc, ACCESS_PATTERNS, model, accessPatternId, patch as Partial<AccessPattern>, operation, origin, (next) =>
    checkEntityIds(model, next.entityIds, operation),
  );
  return accessPatternId;
}

export function removeAccessPattern(doc: Y.Doc, args: RemoveAccessPatternArgs, origin?: unknown): string {
  const operation = 'removeAccessPattern';
  readArgs(operation, args, ['accessPatternId']);
  const accessPatternId = idArg(operation, args, 'accessPatternId');
  removeElement(doc, ACCESS_PATTERNS, toJSON(doc), accessPatternId, origin);
  return accessPatternId;
}

/** Sets the tenancy strategy and/or notes (notes with a minimal text edit). */
export function setTenancy(doc: Y.Doc, args: SetTenancyArgs, origin?: unknown): void {
  const operation = 'setTenancy';
  readArgs(operation, args, ['strategy', 'notes']);
  const tenancy = parseElement(frameSchema.shape.tenancy, { strategy: args.strategy, notes: args.notes }, operation);
  doc.transact(() => {
    const types = sharedTypes(doc);
    if (args.strategy !== undefined && types.frameTenancy.get('strategy') !== tenancy.strategy) types.frameTenancy.set('strategy', tenancy.strategy);
    if (args.notes !== undefined) setYText(types.frameTenancyNotes, tenancy.notes);
  }, origin);
}
