import { ID_PREFIXES, ModelValidationError, validateModel, type Model, type ModelInput } from '@hatch/model';
import type { ProductQuestion, Scenario } from '@hatch/scenarios';
import type { NoteAnswer, NotesDocument } from './notes-parser';
import { NotesError, type NotesProblem } from './notes.errors';

export interface ApplyNotesOptions {
  /** Resolves `### <question id>` headings; without it an id-like heading is taken as the id as written. */
  scenario?: Scenario;
}

/**
 * The model with the notes' sections in place of its own: a section the notes have replaces that part
 * of `frame` or `win`; a section they lack leaves the model's as it was. Throws a {@link NotesError}
 * (with lines) for a table or question the notes name that does not exist, or a note over a model limit.
 */
export function applyNotes(model: Model, notes: NotesDocument, options: ApplyNotesOptions = {}): Model {
  const problems: NotesProblem[] = [];
  const lineOf = new Map<string, number>();
  const ids = new IdPool(model, notes);
  const frame: ModelInput['frame'] = { ...model.frame, tenancy: { ...model.frame.tenancy } };
  const win: ModelInput['win'] = { answers: [...model.win.answers] };

  if (notes.domain) {
    frame.domain = notes.domain.text;
    lineOf.set('frame.domain', notes.domain.line);
  }
  if (notes.actors) {
    frame.actors = notes.actors.items.map((actor, i) => {
      lineOf.set(`frame.actors[${i}]`, actor.line);
      return { id: ids.next(ID_PREFIXES.actor), name: actor.name, description: actor.description };
    });
  }
  if (notes.rules) {
    frame.rules = notes.rules.items.map((rule, i) => {
      lineOf.set(`frame.rules[${i}]`, rule.line);
      return { id: ids.next(ID_PREFIXES.rule), kind: rule.kind, text: rule.text };
    });
  }
  if (notes.accessPatterns) {
    const entityByName = new Map(model.entities.map((entity) => [entity.name.toLowerCase(), entity.id]));
    frame.accessPatterns = notes.accessPatterns.items.map((pattern, i) => {
      lineOf.set(`frame.accessPatterns[${i}]`, pattern.line);
      const entityIds: string[] = [];
      for (const table of pattern.tables) {
        const id = entityByName.get(table.toLowerCase());
        if (!id) {
          const known = model.entities.map((entity) => entity.name);
          problems.push({
            line: pattern.line,
            message: `Access patterns: the model has no table "${table}"${known.length ? ` (tables: ${shortList(known)})` : ' (the model has no tables)'}`,
          });
        } else if (!entityIds.includes(id)) entityIds.push(id);
      }
      return { id: ids.next(ID_PREFIXES.accessPattern), description: pattern.description, frequency: pattern.frequency, entityIds };
    });
  }
  if (notes.tenancy) {
    frame.tenancy = { strategy: notes.tenancy.strategy, notes: notes.tenancy.notes };
    lineOf.set('frame.tenancy', notes.tenancy.line);
  }
  if (notes.win) {
    const answered = new Map<string, number>();
    win.answers = notes.win.answers.map((note, i) => {
      lineOf.set(`win.answers[${i}]`, note.line);
      const { questionId, question } = resolveQuestion(note, options.scenario, problems);
      const key = questionId ?? question.toLowerCase();
      const first = answered.get(key);
      if (first !== undefined) problems.push({ line: note.line, message: `Win: "${note.heading}" is already answered at line ${first}` });
      else answered.set(key, note.line);
      return { id: ids.next(ID_PREFIXES.winAnswer), questionId, question, answer: note.answer, sql: note.sql };
    });
  }
  if (problems.length > 0) throw new NotesError(problems);

  const result = validateModel({ ...model, frame, win });
  if (result.ok) return result.model;
  const mapped: NotesProblem[] = [];
  for (const issue of result.issues) {
    const line = lineFor(issue.path, lineOf);
    if (line === undefined) throw new ModelValidationError(result.issues); // not the notes' doing
    mapped.push({ line, message: `${describePath(issue.path)}: ${issue.message}` });
  }
  throw new NotesError(mapped);
}

function resolveQuestion(note: NoteAnswer, scenario: Scenario | undefined, problems: NotesProblem[]): { questionId: string | null; question: string } {
  if (!scenario) return { questionId: note.questionId, question: note.question };
  const questions = scenario.productQuestions;
  const byId = (id: string) => questions.find((q) => q.id === id) ?? questions.find((q) => q.id.toLowerCase() === id.toLowerCase());
  if (note.questionId) {
    const question = byId(note.questionId);
    if (question) return { questionId: question.id, question: note.question || question.question };
    problems.push({
      line: note.line,
      message: `Win: scenario "${scenario.id}" has no question "${note.questionId}" (its questions: ${questions.map((q) => q.id).join(', ')})`,
    });
    return { questionId: null, question: note.question };
  }
  const exact = byId(note.question) ?? questions.find((q) => sameQuestion(q, note.question));
  if (exact) return { questionId: exact.id, question: exact.question };
  return { questionId: null, question: note.question };
}

const normalizeQuestion = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

function sameQuestion(question: ProductQuestion, text: string): boolean {
  return normalizeQuestion(question.question) === normalizeQuestion(text);
}

/** The line of the deepest notes element that contains `path` (`frame.actors[2].name` → the bullet's line). */
function lineFor(path: string, lineOf: Map<string, number>): number | undefined {
  let prefix = path;
  for (;;) {
    const line = lineOf.get(prefix);
    if (line !== undefined) return line;
    const parent = prefix.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
    if (parent === prefix || parent === '') return undefined;
    prefix = parent;
  }
}

const PATH_LABELS: [RegExp, string][] = [
  [/^frame\.domain/, 'Domain'],
  [/^frame\.actors\[\d+\]\.name/, 'Actors: the name'],
  [/^frame\.actors/, 'Actors'],
  [/^frame\.rules/, 'Rules'],
  [/^frame\.accessPatterns/, 'Access patterns'],
  [/^frame\.tenancy/, 'Tenancy'],
  [/^win\.answers\[\d+\]\.question/, 'Win: the question'],
  [/^win/, 'Win'],
];

function describePath(path: string): string {
  return PATH_LABELS.find(([pattern]) => pattern.test(path))?.[1] ?? path;
}

function shortList(names: string[]): string {
  return names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
}

/** Fresh, readable ids (`act_n1`, `rul_n2`) that no element the merged model keeps already uses. */
class IdPool {
  private readonly taken = new Set<string>();
  private counter = 0;

  constructor(model: Model, notes: NotesDocument) {
    const keep = <T extends { id: string }>(items: T[], replaced: boolean) => {
      if (!replaced) for (const item of items) this.taken.add(item.id);
    };
    for (const entity of model.entities) {
      this.taken.add(entity.id);
      for (const part of [...entity.fields, ...entity.constraints, ...entity.indexes]) this.taken.add(part.id);
    }
    for (const relationship of model.relationships) this.taken.add(relationship.id);
    for (const event of model.events) {
      this.taken.add(event.id);
      for (const property of event.properties) this.taken.add(property.id);
    }
    keep(model.frame.actors, !!notes.actors);
    keep(model.frame.rules, !!notes.rules);
    keep(model.frame.accessPatterns, !!notes.accessPatterns);
    keep(model.win.answers, !!notes.win);
  }

  next(prefix: string): string {
    let id: string;
    do id = `${prefix}_n${++this.counter}`;
    while (this.taken.has(id));
    this.taken.add(id);
    return id;
  }
}
