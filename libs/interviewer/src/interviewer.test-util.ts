import { join } from 'node:path';
import { grade, type Grade } from '@hatch/grader';
import type { Field, Model } from '@hatch/model';
import { loadScenarioLibrary, type Scenario, type ScenarioLibrary } from '@hatch/scenarios';
import { probeBaseline } from './grade-view';
import type { AskedFollowUp, ConversationTurn, InterviewerMove, InterviewState } from './interviewer.types';

export const SCENARIOS_DIR = join(__dirname, '../../../scenarios');
export const MIN = 60_000;
export const SEC = 1000;

let library: ScenarioLibrary | undefined;

export function scenario(id: string): Scenario {
  library ??= loadScenarioLibrary(SCENARIOS_DIR);
  const found = library.get(id);
  if (!found) throw new Error(`no scenario ${id}`);
  return found;
}

/** A session state at `now`, graded from `model` (the scenario's reference model by default). */
export function stateOf(s: Scenario, overrides: Partial<InterviewState> = {}): InterviewState {
  const model = overrides.model ?? s.referenceModel;
  return {
    scenario: s,
    mode: 'mock',
    now: 0,
    stage: 'frame',
    sessionStartedAt: 0,
    stageStartedAt: 0,
    grade: overrides.grade === undefined ? grade(model, s) : overrides.grade,
    model,
    history: [],
    conversation: [],
    followUps: [],
    lastProgressAt: null,
    lastInterviewerMoveAt: null,
    ...overrides,
  };
}

/** Records a follow-up move as asked at `at`, the way the api stores it (with its baseline). */
export function asked(move: InterviewerMove, at: number, id: string, grade: Grade | null): AskedFollowUp {
  if (move.kind !== 'followup') throw new Error(`expected a follow-up, got ${move.kind}: ${move.why}`);
  return { id, bankId: move.bankId, question: move.question, probe: move.probe, askedAt: at, baseline: grade ? probeBaseline(grade, move.probe) : null, closed: null };
}

export const turn = (at: number, speaker: ConversationTurn['speaker'], kind: ConversationTurn['kind'], text: string, followUpId?: string): ConversationTurn => ({ at, speaker, kind, text, ...(followUpId ? { followUpId } : {}) });

// ------------------------------------------------------------------ single defects (pure: they return a new model)

const field = (id: string, name: string, type: string): Field => ({ id, name, type, nullable: false, default: null, primaryKey: false, unique: false, references: null, description: '' });

/** Tenant ids keep their column and indexes but lose the foreign key to the tenant. */
export function dropTenantForeignKeys(input: Model): Model {
  const model = structuredClone(input);
  const dropped = new Set<string>();
  for (const entity of model.entities) {
    for (const f of entity.fields) {
      if (f.name === 'tenant_id' && f.references) {
        f.references = null;
        dropped.add(f.id);
      }
    }
  }
  model.relationships = model.relationships.filter((r) => !(r.toFieldIds.length === 1 && dropped.has(r.toFieldIds[0])));
  return model;
}

/** The audit log concept's table gets an `updated_at`: no longer append-only. */
export function makeAuditLogMutable(input: Model, s: Scenario): Model {
  const model = structuredClone(input);
  const audit = s.concepts.find((c) => c.role === 'audit-log');
  const entity = model.entities.find((e) => e.id === audit?.entityId);
  if (!entity) throw new Error(`${s.id} has no audit log`);
  entity.fields.push({ ...field('f_injected_updated_at', 'updated_at', 'timestamptz'), default: 'now()' });
  return model;
}

export function dropIndexes(input: Model): Model {
  const model = structuredClone(input);
  for (const entity of model.entities) entity.indexes = [];
  return model;
}

/** Amounts in minor units become floats. */
export function floatMoney(input: Model): Model {
  const model = structuredClone(input);
  for (const entity of model.entities) for (const f of entity.fields) if (/_minor$|^amount/.test(f.name)) f.type = 'double precision';
  return model;
}

/** Unique keys and unique indexes over an idempotency key are dropped. */
export function dropIdempotencyKeys(input: Model): Model {
  const model = structuredClone(input);
  for (const entity of model.entities) {
    const keyed = (ids: readonly string[]) => ids.some((id) => /idempotency/.test(entity.fields.find((f) => f.id === id)?.name ?? ''));
    entity.constraints = entity.constraints.filter((c) => !(c.kind === 'unique' && keyed(c.fieldIds)));
    entity.indexes = entity.indexes.filter((i) => !(i.unique && keyed(i.fieldIds)));
  }
  return model;
}

/** Every other event renamed to PascalCase: two casings in one tracking plan. */
export function mixEventCasing(input: Model): Model {
  const model = structuredClone(input);
  model.events.forEach((event, i) => {
    if (i % 2 === 0) event.name = event.name.split('_').map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  });
  return model;
}

export function clearFrame(input: Model): Model {
  const model = structuredClone(input);
  model.frame = { domain: '', actors: [], rules: [], accessPatterns: [], tenancy: { strategy: null, notes: '' } };
  return model;
}

export function clearWinAnswers(input: Model): Model {
  const model = structuredClone(input);
  model.win.answers = [];
  return model;
}

/** A model with only the first `count` tables of the reference (and no frame or answers): weak in every stage. */
export function firstTables(input: Model, count: number): Model {
  const model = clearWinAnswers(clearFrame(input));
  const keep = new Set(model.entities.slice(0, count).map((e) => e.id));
  model.entities = model.entities.filter((e) => keep.has(e.id));
  for (const entity of model.entities) {
    for (const f of entity.fields) if (f.references && !keep.has(f.references.entityId)) f.references = null;
    entity.constraints = entity.constraints.filter((c) => !c.references || keep.has(c.references.entityId));
  }
  model.relationships = model.relationships.filter((r) => keep.has(r.fromEntityId) && keep.has(r.toEntityId) && (!r.throughEntityId || keep.has(r.throughEntityId)));
  model.events = model.events.filter((e) => !e.entityId || keep.has(e.entityId));
  return model;
}
