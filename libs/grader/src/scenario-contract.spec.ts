import { type Entity, type Field, type Model, modelSchema, onDeleteActions } from '@hatch/model';
import type { Scenario } from '@hatch/scenarios';
import fc from 'fast-check';
import { STAGES, grade } from './grader';
import { type Grade, MOVES, type Stage } from './grade.types';
import {
  addField,
  allScenarios,
  checkOf,
  clone,
  dropForeignKey,
  openChecks,
  removeEntity,
  removeField,
  renameEntity,
  renameField,
  scoresOf,
} from './grader.test-util';
import { inflectionOf, nameKey, splitWords } from './name-normalizer';
import { RESERVED_WORDS } from './rules/naming.rule';

/**
 * Contract suite over every scenario file in scenarios/ (loaded with loadScenarioLibrary). Test
 * names cite the check or rule ids they exercise, so a failure points at the check.
 */

const scenarios = allScenarios();

interface Defect {
  kind: string;
  name: string;
  stage: Stage;
  /** Check ids the defect must leave failed or partial (the first is required, the others when present). */
  checks: string[];
  model: Model;
}

const firstCheck = (result: Grade, stage: Stage, prefix: string) => result.stages[stage].checks.find((check) => check.id.startsWith(prefix));

/** Every single-defect variant of the reference model that applies to this scenario. */
function defectsOf(scenario: Scenario, reference: Grade): Defect[] {
  const model = scenario.referenceModel;
  const defects: Defect[] = [];

  const scoped = firstCheck(reference, 'optimize', 'tenant-scoped.');
  const tenantField = scoped?.evidence.find((e) => e.kind === 'field' && e.id);
  if (scoped && tenantField?.id) {
    defects.push({ kind: 'tenant-id-dropped', name: `drop ${tenantField.name} (tenant id of a tenant-scoped table)`, stage: 'optimize', checks: [scoped.id], model: removeField(model, tenantField.id) });
  }

  const money = firstCheck(reference, 'list', 'money.');
  const amount = money?.evidence.find((e) => e.kind === 'field' && e.id);
  if (money && amount?.id) {
    const floated = clone(model);
    for (const entity of floated.entities) for (const field of entity.fields) if (field.id === amount.id) field.type = 'double precision';
    defects.push({ kind: 'money-float', name: `make ${amount.name} a float`, stage: 'list', checks: ['money-type', money.id], model: floated });
  }

  const audit = firstCheck(reference, 'optimize', 'append-only.');
  const auditEntity = audit?.evidence.find((e) => e.kind === 'entity' && e.id);
  if (audit && auditEntity?.id) {
    defects.push({
      kind: 'audit-mutable',
      name: `make ${auditEntity.name} mutable (add updated_at)`,
      stage: 'optimize',
      checks: [audit.id, 'audit-append-only'],
      model: addField(model, auditEntity.id, { id: 'f_injected_updated_at', name: 'updated_at', type: 'timestamptz', default: 'now()' }),
    });
    defects.push({ kind: 'audit-dropped', name: `drop ${auditEntity.name}`, stage: 'optimize', checks: [audit.id], model: removeEntity(model, auditEntity.id) });
  }

  // A column-level foreign key whose column names its table (plan_id → plans), not also covered by a composite key.
  const byKey = new Map(model.entities.map((e) => [nameKey(e.name), e]));
  const fkField = model.entities
    .flatMap((entity) => entity.fields.map((field) => ({ entity, field })))
    .find(({ entity, field }) => {
      if (!field.references || field.primaryKey) return false;
      const words = splitWords(field.name);
      const target = byKey.get(nameKey(words.slice(0, -1).join('_')));
      const composite = entity.constraints.some((c) => c.kind === 'foreign_key' && c.fieldIds.includes(field.id));
      return words[words.length - 1] === 'id' && target?.id === field.references.entityId && !composite;
    });
  if (fkField) {
    defects.push({ kind: 'fk-dropped', name: `drop the foreign key of ${fkField.entity.name}.${fkField.field.name}`, stage: 'list', checks: ['fk-declared'], model: dropForeignKey(model, fkField.field.id) });
  }

  // An access pattern served by exactly one key, and that key is a plain index.
  for (const pattern of scenario.accessPatterns) {
    const run = pattern.keyFields.filter((key) => key.concept === pattern.keyFields[0]?.concept).map((key) => key.fieldId);
    const entity = model.entities.find((e) => e.fields.some((f) => f.id === run[0]));
    if (!entity || run.length === 0) continue;
    const leads = (ids: readonly string[]) => run.every((id, i) => ids[i] === id);
    const indexes = entity.indexes.filter((index) => index.method === 'btree' && leads(index.fieldIds));
    const pk = entity.fields.filter((f) => f.primaryKey).map((f) => f.id);
    const otherKeys = [
      ...entity.constraints.filter((c) => c.kind === 'unique').map((c) => c.fieldIds),
      ...entity.fields.filter((f) => f.unique).map((f) => [f.id]),
      ...(pk.length ? [pk] : []),
    ].filter(leads);
    if (indexes.length !== 1 || otherKeys.length > 0) continue;
    const without = clone(model);
    const target = without.entities.find((e) => e.id === entity.id) as Entity;
    target.indexes = target.indexes.filter((index) => index.id !== indexes[0].id);
    defects.push({ kind: 'index-dropped', name: `drop index ${indexes[0].name} serving ${pattern.id}`, stage: 'optimize', checks: [`access-pattern.${pattern.id}`], model: without });
    break;
  }

  const idempotency = firstCheck(reference, 'list', 'idempotency.');
  const keyField = idempotency?.evidence.find((e) => e.kind === 'field' && e.id);
  if (idempotency && keyField?.id) {
    defects.push({ kind: 'idempotency-dropped', name: `drop ${keyField.name} (usage idempotency key)`, stage: 'list', checks: [idempotency.id, 'usage-idempotency'], model: removeField(model, keyField.id) });
  }

  if (model.events.length > 0) {
    const renamed = clone(model);
    renamed.events[0].name = `${renamed.events[0].name}_2024`;
    defects.push({ kind: 'event-dynamic', name: `rename event ${model.events[0].name} to a dynamic name`, stage: 'list', checks: ['event-name-static'], model: renamed });
  }
  return defects;
}

/** An alias a careful candidate could use for the table: same inflection and casing, not reserved, not taken. */
function synonymRenames(scenario: Scenario) {
  const model = scenario.referenceModel;
  const taken = new Set(model.entities.map((e) => nameKey(e.name)));
  const renames: { concept: string; from: string; to: string; entityId: string; singularFrom: string; singularTo: string }[] = [];
  for (const concept of scenario.concepts) {
    const entity = model.entities.find((e) => e.id === concept.entityId) as Entity;
    const alias = concept.aliases.find(
      (a) => /^[a-z][a-z0-9_]*$/.test(a) && inflectionOf(a) === inflectionOf(entity.name) && !RESERVED_WORDS.has(a) && !taken.has(nameKey(a)) && nameKey(a) !== nameKey(entity.name),
    );
    if (!alias) continue;
    renames.push({ concept: concept.id, from: entity.name, to: alias, entityId: entity.id, singularFrom: nameKey(entity.name), singularTo: nameKey(alias) });
  }
  return renames;
}

/** A field alias for a column whose name no other table uses (so the SQL of the answers can follow the rename). */
function fieldSynonymRenames(scenario: Scenario) {
  const model = scenario.referenceModel;
  const uses = new Map<string, number>();
  for (const field of model.entities.flatMap((e) => e.fields)) uses.set(field.name, (uses.get(field.name) ?? 0) + 1);
  const renames: { concept: string; from: string; to: string; fieldId: string }[] = [];
  for (const concept of scenario.concepts) {
    const entity = model.entities.find((e) => e.id === concept.entityId) as Entity;
    for (const field of concept.fields) {
      if (uses.get(field.name) !== 1) continue;
      const alias = field.aliases.find((a) => /^[a-z][a-z0-9_]*$/.test(a) && !RESERVED_WORDS.has(a) && !entity.fields.some((f) => nameKey(f.name) === nameKey(a)) && !uses.has(a));
      if (!alias) continue;
      renames.push({ concept: concept.id, from: `${entity.name}.${field.name}`, to: alias, fieldId: field.fieldId });
      break;
    }
  }
  return renames;
}

it('there are scenario files to run the contract over', () => {
  expect(scenarios.length).toBeGreaterThan(0);
});

const applied = new Set<string>();

describe.each(scenarios.map((scenario) => [scenario.id, scenario] as const))('%s', (_id, scenario) => {
  const reference = grade(scenario.referenceModel, scenario);
  const before = scoresOf(reference);

  it('[C1] the reference model scores at least 90 in every stage', () => {
    expect(STAGES.filter((stage) => before[stage] < 90).map((stage) => `${stage}: ${before[stage]}`)).toEqual([]);
  });

  it('[C6] the reference model scores at least 99 in every stage: every general rule is met or justified', () => {
    expect(STAGES.filter((stage) => before[stage] < 99).map((stage) => `${stage}: ${before[stage]} (${openChecks(reference, stage).join(', ')})`)).toEqual([]);
  });

  it('[C2] an empty model scores at most 5 in every stage', () => {
    const empty = scoresOf(grade(modelSchema.parse({}), scenario));
    expect(STAGES.filter((stage) => empty[stage] > 5).map((stage) => `${stage}: ${empty[stage]}`)).toEqual([]);
  });

  it('[C3] grading is deterministic: same input, same output', () => {
    const again = grade(clone(scenario.referenceModel), scenario);
    expect(JSON.stringify(again)).toBe(JSON.stringify(reference));
  });

  it('[C7] every follow-up probes only grader moves (MOVES), so the interviewer can aim it at a weak move', () => {
    const unknown = scenario.followUps.flatMap((followUp) => followUp.probes.filter((move) => !(MOVES as readonly string[]).includes(move)).map((move) => `${followUp.id}: ${move}`));
    expect(unknown).toEqual([]);
    expect(scenario.followUps.some((followUp) => followUp.probes.length > 0)).toBe(true);
  });

  it('[C4] every reference concept, key field and event is matched exactly', () => {
    expect(reference.unmatched.missing).toEqual({ concepts: [], fields: [], events: [] });
    expect(reference.mapping.entities.every((m) => m.why === 'exact')).toBe(true);
  });

  const defects = defectsOf(scenario, reference);
  for (const defect of defects) applied.add(defect.kind);
  if (defects.length > 0) {
    it.each(defects.map((d) => [`[${d.checks.join(', ')}] ${d.name} lowers ${d.stage}`, d] as const))('%s', (_name, defect) => {
      const after = grade(defect.model, scenario);
      expect(after.stages[defect.stage].score).toBeLessThan(before[defect.stage]);
      const open = openChecks(after, defect.stage);
      expect(open).toContain(defect.checks[0]);
      for (const id of defect.checks.slice(1)) if (checkOf(after, id)) expect(open).toContain(id);
      // The weak moves name the check that lost the points.
      expect(after.weakMoves.flatMap((move) => move.checks)).toContain(defect.checks[0]);
    });
  }

  const renames = synonymRenames(scenario);
  if (renames.length > 0) {
    it.each(renames.map((r) => [`${r.from} → ${r.to} (${r.concept})`, r] as const))('[matching] renaming %s changes no stage by more than 2 points', (_name, rename) => {
      const after = grade(renameEntity(scenario.referenceModel, rename.entityId, rename.to, rename.singularFrom, rename.singularTo), scenario);
      const scores = scoresOf(after);
      for (const stage of STAGES) expect({ stage, diff: Math.abs(scores[stage] - before[stage]) <= 2 }).toEqual({ stage, diff: true });
      expect(after.mapping.entities.find((m) => m.entityId === rename.entityId)).toMatchObject({ concept: rename.concept, why: 'alias' });
    });
  }

  const fieldRenames = fieldSynonymRenames(scenario);
  if (fieldRenames.length > 0) {
    it.each(fieldRenames.map((r) => [`${r.from} → ${r.to}`, r] as const))('[matching] renaming field %s changes no stage by more than 2 points', (_name, rename) => {
      const after = grade(renameField(scenario.referenceModel, rename.fieldId, rename.to), scenario);
      const scores = scoresOf(after);
      for (const stage of STAGES) expect({ stage, diff: Math.abs(scores[stage] - before[stage]) <= 2 }).toEqual({ stage, diff: true });
      expect(after.mapping.fields.find((m) => m.fieldId === rename.fieldId)).toMatchObject({ concept: rename.concept, why: 'alias' });
    });
  }

  it('[monotone] adding a well-formed extra table never lowers a stage score', () => {
    const model = scenario.referenceModel;
    const withPk = model.entities.filter((e) => e.kind === 'table' && e.fields.filter((f) => f.primaryKey).length === 1);
    const plural = inflectionOf(model.entities[0]?.name ?? 'items') !== 'singular';
    const heads = ['note', 'tag', 'bookmark', 'reminder', 'sticker', 'snapshot', 'draft', 'badge'];
    const modifiers = ['widget', 'gizmo', 'sprocket', 'lantern', 'quill', 'harbor', 'kiosk', 'pebble'];
    fc.assert(
      fc.property(
        fc.constantFrom(...modifiers),
        fc.constantFrom(...heads),
        fc.uniqueArray(fc.nat({ max: Math.max(0, withPk.length - 1) }), { maxLength: Math.min(3, withPk.length) }),
        fc.constantFrom(...onDeleteActions.filter((a) => a !== 'set default')),
        fc.boolean(),
        (modifier, head, targets, onDelete, withLabel) => {
          const name = `${modifier}_${head}${plural ? 's' : ''}`;
          if (model.entities.some((e) => nameKey(e.name) === nameKey(name))) return;
          const id = `e_extra_${modifier}_${head}`;
          const fields: Field[] = [
            { id: `${id}_id`, name: 'id', type: 'uuid', nullable: false, default: 'gen_random_uuid()', primaryKey: true, unique: false, references: null, description: 'Primary key.' },
            { id: `${id}_created_at`, name: 'created_at', type: 'timestamptz', nullable: false, default: 'now()', primaryKey: false, unique: false, references: null, description: '' },
          ];
          const indexes: Entity['indexes'] = [];
          for (const target of targets.map((i) => withPk[i])) {
            const pk = target.fields.find((f) => f.primaryKey) as Field;
            const column = `${nameKey(target.name)}_id`;
            if (fields.some((f) => f.name === column)) continue;
            const fieldId = `${id}_${column}`;
            const nullable = onDelete === 'set null';
            fields.push({ id: fieldId, name: column, type: pk.type, nullable, default: null, primaryKey: false, unique: false, references: { entityId: target.id, fieldId: pk.id, onDelete }, description: '' });
            indexes.push({ id: `i_${fieldId}`, name: `${name}_${column}_idx`, fieldIds: [fieldId], unique: false, where: '', method: 'btree' });
          }
          if (withLabel) fields.push({ id: `${id}_label`, name: `${modifier}_${head}_label`, type: 'text', nullable: true, default: null, primaryKey: false, unique: false, references: null, description: '' });
          const extended = clone(model);
          extended.entities.push({ id, name, kind: 'table', description: 'An extra table.', fields, constraints: [], indexes });
          const scores = scoresOf(grade(extended, scenario));
          for (const stage of STAGES) if (scores[stage] < before[stage]) throw new Error(`${stage} fell from ${before[stage]} to ${scores[stage]} after adding ${name}`);
        },
      ),
      { numRuns: 25, seed: 20251123 },
    );
  });
});

it('every defect kind of the contract applies to at least one scenario file', () => {
  expect([...applied].sort()).toEqual([
    'audit-dropped',
    'audit-mutable',
    'event-dynamic',
    'fk-dropped',
    'idempotency-dropped',
    'index-dropped',
    'money-float',
    'tenant-id-dropped',
  ]);
});
