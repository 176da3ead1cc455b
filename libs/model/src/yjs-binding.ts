import * as Y from 'yjs';
import type { Model, ModelInput } from './model.schema';
import { MODEL_LIMITS, MODEL_VERSION } from './model.schema';
import { repairModel } from './model-repair';
import { parseModel } from './model-validation';
import {
  ACCESS_PATTERN_SPEC,
  ACTOR_SPEC,
  ENTITY_SPEC,
  EVENT_SPEC,
  LAYOUT_VERSION,
  ModelSharedTypes,
  readList,
  readText,
  readValue,
  reconcileList,
  RELATIONSHIP_SPEC,
  RULE_SPEC,
  SHARED_TYPE_NAMES,
  sharedTypes,
  TENANCY_STRATEGY_SCHEMA,
  WIN_ANSWER_SPEC,
} from './yjs-layout';
import { setYText } from './yjs-text';

/**
 * The model held by a shared document, as plain JSON. Never throws: whatever a foreign client wrote,
 * unreadable items are skipped, invalid values fall back to their defaults, and references are repaired
 * (see `repairModel`), so the result always has the schema's shape and its references resolve.
 */
export function toJSON(doc: Y.Doc): Model {
  const types = readableSharedTypes(doc);
  const strategy = readValue(TENANCY_STRATEGY_SCHEMA, types.frameTenancy instanceof Y.Map ? types.frameTenancy.get('strategy') : null);
  const model: Model = {
    version: MODEL_VERSION,
    entities: readList(ENTITY_SPEC, types.entities, MODEL_LIMITS.entities),
    relationships: readList(RELATIONSHIP_SPEC, types.relationships, MODEL_LIMITS.relationships),
    events: readList(EVENT_SPEC, types.events, MODEL_LIMITS.events),
    frame: {
      domain: readText(types.frameDomain, MODEL_LIMITS.longText),
      actors: readList(ACTOR_SPEC, types.frameActors, MODEL_LIMITS.listItems),
      rules: readList(RULE_SPEC, types.frameRules, MODEL_LIMITS.listItems),
      accessPatterns: readList(ACCESS_PATTERN_SPEC, types.frameAccessPatterns, MODEL_LIMITS.listItems),
      tenancy: {
        strategy: (strategy.ok ? strategy.value : null) as Model['frame']['tenancy']['strategy'],
        notes: readText(types.frameTenancyNotes, MODEL_LIMITS.longText),
      },
    },
    win: { answers: readList(WIN_ANSWER_SPEC, types.winAnswers, MODEL_LIMITS.listItems) },
  };
  return repairModel(model);
}

/**
 * The shared types for reading; one that this process already defined with another Yjs type (which
 * makes `doc.getArray` throw) reads as missing.
 */
function readableSharedTypes(doc: Y.Doc): { [K in keyof ModelSharedTypes]: unknown } {
  const get = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch {
      return undefined;
    }
  };
  const n = SHARED_TYPE_NAMES;
  return {
    meta: get(() => doc.getMap(n.meta)),
    entities: get(() => doc.getArray(n.entities)),
    relationships: get(() => doc.getArray(n.relationships)),
    events: get(() => doc.getArray(n.events)),
    frameDomain: get(() => doc.getText(n.frameDomain)),
    frameActors: get(() => doc.getArray(n.frameActors)),
    frameRules: get(() => doc.getArray(n.frameRules)),
    frameAccessPatterns: get(() => doc.getArray(n.frameAccessPatterns)),
    frameTenancy: get(() => doc.getMap(n.frameTenancy)),
    frameTenancyNotes: get(() => doc.getText(n.frameTenancyNotes)),
    winAnswers: get(() => doc.getArray(n.winAnswers)),
  };
}

/**
 * Reconciles the document to `model` by id, in one transaction: elements whose id survives keep their
 * Y.Map and Y.Text instances and only what differs is written (prose as minimal text edits), new ones
 * are inserted, removed ones deleted. Concurrent edits to parts the model does not change survive.
 * Throws `ModelValidationError` (and leaves the document alone) when `model` is invalid.
 */
export function applyModel(doc: Y.Doc, model: ModelInput | Model, origin?: unknown): Y.Doc {
  const next = parseModel(model);
  const types = sharedTypes(doc);
  doc.transact(() => {
    if (types.meta.get('layoutVersion') !== LAYOUT_VERSION) types.meta.set('layoutVersion', LAYOUT_VERSION);
    reconcileList(ENTITY_SPEC, types.entities, next.entities);
    reconcileList(RELATIONSHIP_SPEC, types.relationships, next.relationships);
    reconcileList(EVENT_SPEC, types.events, next.events);
    setYText(types.frameDomain, next.frame.domain);
    reconcileList(ACTOR_SPEC, types.frameActors, next.frame.actors);
    reconcileList(RULE_SPEC, types.frameRules, next.frame.rules);
    reconcileList(ACCESS_PATTERN_SPEC, types.frameAccessPatterns, next.frame.accessPatterns);
    if (types.frameTenancy.get('strategy') !== next.frame.tenancy.strategy) types.frameTenancy.set('strategy', next.frame.tenancy.strategy);
    setYText(types.frameTenancyNotes, next.frame.tenancy.notes);
    reconcileList(WIN_ANSWER_SPEC, types.winAnswers, next.win.answers);
  }, origin);
  return doc;
}

/** A new document holding `model` (an empty model by default). */
export function createModelDoc(model: ModelInput | Model = {}, origin?: unknown): Y.Doc {
  return applyModel(new Y.Doc(), model, origin);
}
