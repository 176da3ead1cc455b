import { type Model, modelSchema, validateModel } from '@hatch/model';
import { authoredPath, convertCompactModel, type ResolvedEntity } from './compact-model.converter';
import type { CompactModel } from './compact-model.schema';
import { derivedId, didYouMean } from './derived-names';
import type { PathSegment } from './scenario-load.error';
import type { RubricCheck } from './rubric.schema';
import type { ScenarioFile, Stage } from './scenario.schema';
import type { Concept, Drill, KeyField, Scenario, ScenarioAccessPattern } from './scenario.types';
import { type IssueProblem, issuesToProblems } from './zod-issues';

export interface BuildResult {
  scenario?: Scenario;
  problems: IssueProblem[];
}

/** Normalizes a name for alias comparison: `Line Items`, `line-items` and `line_items` are one name. */
const normalizeName = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');

/**
 * Turns a schema-valid scenario file into a `Scenario`: converts and validates the reference model
 * and drill models, and checks every cross-reference (concept ids, entities, fields, indexes).
 */
export function buildScenario(file: ScenarioFile): BuildResult {
  const problems: IssueProblem[] = [];
  const report = (path: PathSegment[], reason: string) => problems.push({ path, reason });

  reportDuplicateIds(file, report);

  const converted = convertCompactModel(file.referenceModel, ['referenceModel']);
  problems.push(...converted.problems);
  const entities = converted.entities;

  const concepts = resolveConcepts(file, entities, report);
  const conceptIds = new Set(file.concepts.map((concept) => concept.id));
  const checkConceptIds = (list: readonly string[], path: PathSegment[]) =>
    list.forEach((id, i) => {
      if (!conceptIds.has(id)) report([...path, i], `unknown concept "${id}"${didYouMean(id, conceptIds)}`);
    });

  file.rules.forEach((rule, i) => checkConceptIds(rule.concepts, ['rules', i, 'concepts']));
  file.productQuestions.forEach((question, i) => checkConceptIds(question.concepts, ['productQuestions', i, 'concepts']));
  file.followUps.forEach((followUp, i) => checkConceptIds(followUp.concepts, ['followUps', i, 'concepts']));
  file.drills?.forEach((drill, i) => checkConceptIds(drill.concepts, ['drills', i, 'concepts']));
  const rubric = file.rubric ? checkRubric(file, concepts, conceptIds, converted.model, checkConceptIds, report) : { frame: [], list: [], optimize: [], win: [] };
  const accessPatterns = file.accessPatterns.map((pattern, i) => {
    checkConceptIds(pattern.concepts, ['accessPatterns', i, 'concepts']);
    return resolveAccessPattern(pattern, i, concepts, conceptIds, converted.model, report);
  });

  const referenceModel = checkModel(
    {
      ...converted.model,
      frame: {
        domain: file.domain,
        actors: file.actors.map(({ id, name, description }) => ({ id, name, description })),
        rules: file.rules.map(({ id, kind, text }) => ({ id, kind, text })),
        accessPatterns: accessPatterns.map((pattern) => ({
          id: pattern.id,
          description: pattern.description,
          frequency: pattern.frequency,
          entityIds: [...new Set(pattern.concepts.map((id) => concepts.get(id)?.entityId).filter((id): id is string => !!id))],
        })),
        tenancy: { strategy: file.tenancy.strategy, notes: file.tenancy.why },
      },
      win: {
        answers: file.productQuestions
          .filter((question) => question.referenceAnswer || question.referenceSql)
          .map((question) => ({
            id: derivedId('w', question.id),
            questionId: question.id,
            question: question.question,
            answer: question.referenceAnswer,
            sql: question.referenceSql,
          })),
      },
    },
    (canonical) => {
      const [section, , index] = canonical;
      if (section === 'frame') return frameOrigin(canonical);
      if (section === 'win' && typeof index === 'number') {
        const answered = file.productQuestions.flatMap((q, i) => (q.referenceAnswer || q.referenceSql ? [i] : []));
        const [key, ...rest] = canonical.slice(3);
        const renamed = key === 'answer' ? 'referenceAnswer' : key === 'sql' ? 'referenceSql' : key;
        return ['productQuestions', answered[index], ...(renamed === undefined ? [] : [renamed]), ...rest];
      }
      return authoredPath(converted.origins, canonical, ['referenceModel']);
    },
    // Scenario-level checks (duplicate actor ids, ...) already reported what the frame repeats.
    (path, reason) => {
      const key = path.join('.');
      if (!problems.some((problem) => problem.path.join('.') === key)) report(path, reason);
    },
  );

  const drills: Drill[] = (file.drills ?? []).map((drill, i) => ({
    id: drill.id,
    stage: drill.stage,
    title: drill.title,
    task: drill.task,
    minutes: drill.minutes,
    concepts: drill.concepts,
    startModel: convertDrillModel(drill.startModel, ['drills', i, 'startModel'], problems),
  }));

  if (problems.length > 0 || !referenceModel) return { problems };
  return {
    problems,
    scenario: {
      formatVersion: file.formatVersion,
      id: file.id,
      version: file.version,
      title: file.title,
      prompt: file.prompt,
      formats: file.formats,
      difficulty: file.difficulty,
      timePerStage: file.timePerStage,
      domain: file.domain,
      actors: file.actors,
      rules: file.rules,
      accessPatterns,
      tenancy: file.tenancy,
      referenceModel,
      concepts: [...concepts.values()],
      productQuestions: file.productQuestions,
      followUps: file.followUps.map((followUp) => ({ ...followUp, move: followUp.move ?? followUp.stage })),
      rubric,
      drills,
    },
  };
}

/** frame.actors[i] → actors[i], frame.tenancy.notes → tenancy.why, ... */
function frameOrigin(canonical: PathSegment[]): PathSegment[] {
  const [, part, ...rest] = canonical;
  if (part === 'tenancy') return ['tenancy', rest[0] === 'notes' ? 'why' : 'strategy'];
  if (part === 'accessPatterns' && rest[1] === 'entityIds') return ['accessPatterns', rest[0], 'concepts'];
  return [part, ...rest];
}

/**
 * Validates a converted model: the schema first (for readable messages), then `validateModel`
 * from `@hatch/model` for referential integrity. Issues are reported where they were authored.
 */
function checkModel(
  model: Model,
  originOf: (canonical: PathSegment[]) => PathSegment[],
  report: (path: PathSegment[], reason: string) => void,
): Model | undefined {
  const parsed = modelSchema.safeParse(model, { reportInput: true });
  if (!parsed.success) {
    for (const issue of issuesToProblems(parsed.error.issues)) report(originOf(issue.path), issue.reason);
    return undefined;
  }
  const result = validateModel(parsed.data);
  if (result.ok) return result.model;
  for (const issue of result.issues) report(originOf(parseIssuePath(issue.path)), issue.message);
  return undefined;
}

/** `entities[0].fields[1].name` → `['entities', 0, 'fields', 1, 'name']`. */
export function parseIssuePath(path: string): PathSegment[] {
  return [...path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)].map((match) => (match[2] === undefined ? match[1] : Number(match[2])));
}

function convertDrillModel(compact: CompactModel | undefined, base: PathSegment[], problems: IssueProblem[]): Model {
  if (!compact) return modelSchema.parse({});
  const converted = convertCompactModel(compact, base);
  problems.push(...converted.problems);
  return (
    checkModel(converted.model, (canonical) => authoredPath(converted.origins, canonical, base), (path, reason) =>
      problems.push({ path, reason }),
    ) ?? converted.model
  );
}

function reportDuplicateIds(file: ScenarioFile, report: (path: PathSegment[], reason: string) => void) {
  const lists: [string, readonly { id: string }[]][] = [
    ['actors', file.actors],
    ['rules', file.rules],
    ['accessPatterns', file.accessPatterns],
    ['concepts', file.concepts],
    ['productQuestions', file.productQuestions],
    ['followUps', file.followUps],
    ['drills', file.drills ?? []],
  ];
  for (const [key, items] of lists) {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const first = seen.get(item.id);
      if (first === undefined) seen.set(item.id, i);
      else report([key, i, 'id'], `duplicate id "${item.id}" (also ${key}[${first}])`);
    });
  }
  if (file.rubric) {
    const seen = new Map<string, string>();
    for (const [stage, checks] of Object.entries(file.rubric)) {
      checks.forEach((check, i) => {
        const first = seen.get(check.id);
        if (first) report(['rubric', stage, i, 'id'], `duplicate id "${check.id}" (also ${first})`);
        else seen.set(check.id, `rubric.${stage}[${i}]`);
      });
    }
  }
}

function resolveConcepts(
  file: ScenarioFile,
  entities: Map<string, ResolvedEntity>,
  report: (path: PathSegment[], reason: string) => void,
): Map<string, Concept> {
  const concepts = new Map<string, Concept>();
  // A name must point to one entity, or the grader cannot tell which concept a candidate meant.
  const claimed = new Map<string, { concept: string; entity: string }>();
  file.concepts.forEach((spec, i) => {
    const names: [string, PathSegment[]][] = [
      [spec.entity, ['concepts', i, 'entity']],
      ...spec.aliases.map((alias, k): [string, PathSegment[]] => [alias, ['concepts', i, 'aliases', k]]),
    ];
    for (const [name, path] of names) {
      const key = normalizeName(name);
      const owner = claimed.get(key);
      if (owner && owner.entity !== spec.entity) report(path, `"${name}" is also a name of concept "${owner.concept}"`);
      else if (!owner) claimed.set(key, { concept: spec.id, entity: spec.entity });
    }

    const entity = entities.get(spec.entity);
    if (!entity) {
      report(['concepts', i, 'entity'], `unknown reference entity "${spec.entity}"${didYouMean(spec.entity, entities.keys())}`);
      return;
    }
    const fields = spec.fields.flatMap((field, j) => {
      const fieldId = entity.fields.get(field.name);
      if (!fieldId) {
        report(['concepts', i, 'fields', j, 'name'], `unknown field "${field.name}" of ${spec.entity}${didYouMean(field.name, entity.fields.keys())}`);
        return [];
      }
      return [{ name: field.name, fieldId, aliases: field.aliases, description: field.description }];
    });
    concepts.set(spec.id, {
      id: spec.id,
      entity: spec.entity,
      entityId: entity.id,
      importance: spec.importance,
      role: spec.role ?? null,
      aliases: spec.aliases,
      description: spec.description,
      fields,
    });
  });
  return concepts;
}

function resolveAccessPattern(
  pattern: ScenarioFile['accessPatterns'][number],
  index: number,
  concepts: Map<string, Concept>,
  declaredConcepts: Set<string>,
  model: Model,
  report: (path: PathSegment[], reason: string) => void,
): ScenarioAccessPattern {
  const keyFields: KeyField[] = [];
  pattern.keyFields.forEach((ref, k) => {
    const path: PathSegment[] = ['accessPatterns', index, 'keyFields', k];
    const dot = ref.indexOf('.');
    const conceptId = ref.slice(0, dot);
    const fieldName = ref.slice(dot + 1);
    const concept = concepts.get(conceptId);
    if (!concept) {
      // A declared concept that failed to resolve was already reported at its definition.
      if (!declaredConcepts.has(conceptId)) report(path, `unknown concept "${conceptId}"${didYouMean(conceptId, declaredConcepts)}`);
      return;
    }
    if (!pattern.concepts.includes(conceptId)) report(path, `concept "${conceptId}" is not among the pattern's concepts`);
    const entity = model.entities.find((e) => e.id === concept.entityId);
    const field = entity?.fields.find((f) => f.name === fieldName);
    if (!entity || !field) {
      report(path, `unknown field "${fieldName}" of ${concept.entity}${didYouMean(fieldName, entity?.fields.map((f) => f.name) ?? [])}`);
      return;
    }
    keyFields.push({ concept: conceptId, field: fieldName, fieldId: field.id });
  });

  // Consecutive key fields of one concept form one index key; the reference model must have it.
  if (keyFields.length === pattern.keyFields.length) {
    for (const run of runsByConcept(keyFields)) {
      const concept = concepts.get(run[0].concept) as Concept;
      const entity = model.entities.find((e) => e.id === concept.entityId);
      const wanted = run.map((key) => key.fieldId);
      if (entity && !leadingKeys(entity).some((key) => wanted.every((id, i) => key[i] === id))) {
        report(
          ['accessPatterns', index, 'keyFields'],
          `no index, unique key or primary key of ${entity.name} leads with (${run.map((key) => key.field).join(', ')})`,
        );
      }
    }
  }
  return { id: pattern.id, description: pattern.description, frequency: pattern.frequency, concepts: pattern.concepts, keyFields };
}

function runsByConcept(keyFields: KeyField[]): KeyField[][] {
  const runs: KeyField[][] = [];
  for (const key of keyFields) {
    const last = runs[runs.length - 1];
    if (last && last[0].concept === key.concept) last.push(key);
    else runs.push([key]);
  }
  return runs;
}

/** Column lists PostgreSQL can search by prefix: indexes, unique constraints and the primary key. */
function leadingKeys(entity: Model['entities'][number]): string[][] {
  const keys = entity.indexes.filter((index) => index.method === 'btree').map((index) => index.fieldIds);
  for (const constraint of entity.constraints) if (constraint.kind === 'unique') keys.push(constraint.fieldIds);
  const pk = entity.fields.filter((field) => field.primaryKey).map((field) => field.id);
  if (pk.length > 0) keys.push(pk);
  for (const field of entity.fields) if (field.unique) keys.push([field.id]);
  return keys;
}

/**
 * Rubric entries name concepts, reference fields of a concept's entity, product questions and rules:
 * all must exist. Returns the rubric with each foreign key's `references` resolved to a concept id.
 */
function checkRubric(
  file: ScenarioFile,
  concepts: Map<string, Concept>,
  conceptIds: Set<string>,
  model: Model,
  checkConceptIds: (list: readonly string[], path: PathSegment[]) => void,
  report: (path: PathSegment[], reason: string) => void,
): Record<Stage, RubricCheck[]> {
  const resolved: Record<Stage, RubricCheck[]> = { frame: [], list: [], optimize: [], win: [] };
  const questionIds = new Set(file.productQuestions.map((question) => question.id));
  const ruleIds = new Set(file.rules.map((rule) => rule.id));
  const checkConcept = (id: string, path: PathSegment[]) => {
    if (!conceptIds.has(id)) report(path, `unknown concept "${id}"${didYouMean(id, conceptIds)}`);
  };
  /** `names` is a list at `path`, or one field name at `path` when `single`. */
  const checkFields = (conceptId: string, names: readonly string[], path: PathSegment[], single = false) => {
    const concept = concepts.get(conceptId);
    const entity = concept && model.entities.find((e) => e.id === concept.entityId);
    if (!entity) return;
    names.forEach((name, k) => {
      if (!entity.fields.some((field) => field.name === name)) {
        report(single ? path : [...path, k], `unknown field "${name}" of ${entity.name}${didYouMean(name, entity.fields.map((f) => f.name))}`);
      }
    });
  };
  for (const [stage, checks] of Object.entries(file.rubric ?? {}) as [Stage, RubricCheck[]][]) {
    checks.forEach((check: RubricCheck, i) => {
      const at: PathSegment[] = ['rubric', stage, i];
      resolved[stage].push(check);
      checkConceptIds(check.concepts, [...at, 'concepts']);
      switch (check.kind) {
        case 'required-concepts':
        case 'money':
          if (check.concepts.length === 0) report([...at, 'concepts'], `name at least one concept the ${check.kind} check covers`);
          break;
        case 'required-fields':
        case 'index':
          checkConcept(check.concept, [...at, 'concept']);
          checkFields(check.concept, check.fields, [...at, 'fields']);
          break;
        case 'constraint':
          checkConcept(check.concept, [...at, 'concept']);
          checkFields(check.concept, check.fields, [...at, 'fields']);
          if (check.rule !== undefined && !ruleIds.has(check.rule)) report([...at, 'rule'], `unknown rule "${check.rule}"${didYouMean(check.rule, ruleIds)}`);
          if (check.constraint === 'foreign_key') {
            const target = foreignKeyTarget(check.references, concepts, model, [...at, 'references'], report);
            if (target) resolved[stage][i] = { ...check, references: target };
          } else if (check.references !== undefined) {
            report([...at, 'references'], 'references applies only to constraint: foreign_key');
          }
          break;
        case 'relationship':
          checkConcept(check.from, [...at, 'from']);
          checkConcept(check.to, [...at, 'to']);
          break;
        case 'unique-keys-include-tenant':
          checkConceptIds(check.except, [...at, 'except']);
          break;
        case 'append-only':
        case 'validity-range':
          checkConcept(check.concept, [...at, 'concept']);
          break;
        case 'state-history':
        case 'idempotency-key':
          checkConcept(check.concept, [...at, 'concept']);
          checkFields(check.concept, [check.field], [...at, 'field'], true);
          break;
        case 'answerable':
          if (!questionIds.has(check.question)) report([...at, 'question'], `unknown product question "${check.question}"${didYouMean(check.question, questionIds)}`);
          break;
        case 'event':
          if (check.concept !== undefined) checkConcept(check.concept, [...at, 'concept']);
          break;
        case 'tenant-scoped':
        case 'frame-mentions':
          break;
      }
    });
  }
  return resolved;
}

/**
 * The concept a foreign key rubric entry points at: named by its id, or by the reference table it
 * models. The grader finds a candidate's tables through concepts, so a table no concept models
 * cannot be a target.
 */
function foreignKeyTarget(
  name: string | undefined,
  concepts: Map<string, Concept>,
  model: Model,
  path: PathSegment[],
  report: (path: PathSegment[], reason: string) => void,
): string | undefined {
  if (name === undefined) {
    const example = [...concepts.keys()][0] ?? 'tenant';
    report(path, `a foreign_key constraint names the concept it points at, e.g. references: ${example}`);
    return undefined;
  }
  if (concepts.has(name)) return name;
  const byTable = [...concepts.values()].find((concept) => concept.entity === name);
  if (byTable) return byTable.id;
  if (model.entities.some((entity) => entity.name === name)) {
    report(path, `no concept models the reference table "${name}"; add a concept for it (the grader finds tables through concepts)`);
  } else {
    report(path, `unknown concept or reference table "${name}"${didYouMean(name, [...concepts.keys(), ...[...concepts.values()].map((c) => c.entity)])}`);
  }
  return undefined;
}
