import type { frequencies, Model, ruleKinds, tenancyStrategies } from '@hatch/model';
import type { RubricCheck } from './rubric.schema';
import type { ConceptImportance, ConceptRole, Difficulty, ProductQuestionCategory, ScenarioFormat, Stage } from './scenario.schema';

/**
 * A loaded, validated scenario: the scenario file with its compact reference model converted to a
 * canonical `Model` and its names resolved to the model's ids. Treat it as read-only; the library
 * hands the same objects to every caller.
 */
export interface Scenario {
  formatVersion: 1;
  id: string;
  version: number;
  title: string;
  prompt: string;
  formats: ScenarioFormat[];
  difficulty: Difficulty;
  timePerStage: TimePerStage;
  domain: string;
  actors: ScenarioActor[];
  rules: ScenarioRule[];
  accessPatterns: ScenarioAccessPattern[];
  tenancy: { strategy: TenancyStrategy; why: string };
  /** The answer key as a Hatch model, with `frame` and `win` filled from this scenario. */
  referenceModel: Model;
  concepts: Concept[];
  productQuestions: ProductQuestion[];
  followUps: FollowUp[];
  rubric: Record<Stage, RubricCheck[]>;
  drills: Drill[];
}

export type TimePerStage = Record<Stage, number>;
export type Frequency = (typeof frequencies)[number];
export type RuleKind = (typeof ruleKinds)[number];
export type TenancyStrategy = (typeof tenancyStrategies)[number];

export interface ScenarioActor {
  id: string;
  name: string;
  aliases: string[];
  description: string;
}

export interface ScenarioRule {
  id: string;
  kind: RuleKind;
  text: string;
  concepts: string[];
}

export interface ScenarioAccessPattern {
  id: string;
  description: string;
  frequency: Frequency;
  concepts: string[];
  /** Leading index columns, in order; the reference model has an index for each concept's run. */
  keyFields: KeyField[];
}

export interface KeyField {
  concept: string;
  field: string;
  /** The reference model field id. */
  fieldId: string;
}

export interface Concept {
  id: string;
  /** Reference entity name and id. */
  entity: string;
  entityId: string;
  importance: ConceptImportance;
  /** `audit-log`: the grader checks the entries' parts and that they are append-only; null for an ordinary concept. */
  role: ConceptRole | null;
  aliases: string[];
  description: string;
  fields: ConceptField[];
}

export interface ConceptField {
  name: string;
  fieldId: string;
  aliases: string[];
  description: string;
}

export interface ProductQuestion {
  id: string;
  category: ProductQuestionCategory;
  question: string;
  concepts: string[];
  referenceAnswer: string;
  referenceSql: string;
}

export interface FollowUp {
  id: string;
  stage: Stage;
  /** The FLOW move it probes (the stage unless the file says otherwise). */
  move: Stage;
  /** The grader's weak moves it probes (names from `MOVES` in @hatch/grader), empty when none applies. */
  probes: string[];
  question: string;
  concepts: string[];
  lookFor: string[];
}

export interface Drill {
  id: string;
  stage: Stage;
  title: string;
  task: string;
  minutes: number;
  concepts: string[];
  /** The prepared model the drill starts from (an empty model when the file gives none). */
  startModel: Model;
}

/** What a candidate may see before and during the interview: no answer key. */
export interface PublicScenario {
  id: string;
  version: number;
  title: string;
  prompt: string;
  formats: ScenarioFormat[];
  difficulty: Difficulty;
  timePerStage: TimePerStage;
  productQuestions: PublicProductQuestion[];
}

export interface PublicProductQuestion {
  id: string;
  category: ProductQuestionCategory;
  question: string;
}

/** One line of a scenario list (lobby, CLI). */
export interface ScenarioSummary {
  id: string;
  version: number;
  title: string;
  formats: ScenarioFormat[];
  difficulty: Difficulty;
  totalMinutes: number;
}

export interface ScenarioLibrary {
  /** Every scenario, sorted by id. */
  list(): Scenario[];
  get(id: string): Scenario | undefined;
  summary(scenario: Scenario): ScenarioSummary;
  toPublicScenario(scenario: Scenario): PublicScenario;
}
