import { frequencies, ruleKinds, tenancyStrategies, type AccessPattern, type Rule } from '@hatch/model';
import { NotesError, type NotesProblem } from './notes.errors';

/*
 * The notes file: Markdown carrying the Frame and Win notes of a model, one `##` section each
 * (docs/cli.md documents it for users). Parsing is purely syntactic; `applyNotes` resolves table
 * names and question ids against a model and a scenario.
 */

export type Frequency = AccessPattern['frequency'];
export type RuleKind = Rule['kind'];
export type TenancyStrategy = (typeof tenancyStrategies)[number];

export interface NoteActor {
  name: string;
  description: string;
  line: number;
}

export interface NoteRule {
  kind: RuleKind;
  text: string;
  line: number;
}

export interface NoteAccessPattern {
  description: string;
  frequency: Frequency;
  /** Table names from a `(tables: a, b)` marker, as written. */
  tables: string[];
  line: number;
}

export interface NoteAnswer {
  /** The `###` heading as written. */
  heading: string;
  /** A question id when the heading is `some-id` or `some-id: question text`. */
  questionId: string | null;
  /** The question text of the heading (empty for a bare id). */
  question: string;
  answer: string;
  /** The fenced ```sql blocks, joined by a blank line. */
  sql: string;
  line: number;
}

/** The sections a notes file had; a section it lacks is absent (the model keeps its own). */
export interface NotesDocument {
  domain?: { text: string; line: number };
  actors?: { items: NoteActor[]; line: number };
  rules?: { items: NoteRule[]; line: number };
  accessPatterns?: { items: NoteAccessPattern[]; line: number };
  tenancy?: { strategy: TenancyStrategy | null; notes: string; line: number };
  win?: { answers: NoteAnswer[]; line: number };
}

type SectionKey = 'domain' | 'actors' | 'rules' | 'invariants' | 'accessPatterns' | 'tenancy' | 'win';

/** Accepted headings (compared lower-case, without a trailing colon), by section. */
export const SECTION_HEADINGS: Record<SectionKey, readonly string[]> = {
  domain: ['domain', 'product domain'],
  actors: ['actors'],
  rules: ['rules', 'business rules', 'rules and invariants'],
  invariants: ['invariants'],
  accessPatterns: ['access patterns', 'access pattern', 'queries'],
  tenancy: ['tenancy', 'multi-tenancy', 'tenant isolation'],
  win: ['win', 'win answers', 'product questions'],
};

const SECTION_NAMES = 'Domain, Actors, Rules, Invariants, Access patterns, Tenancy, Win';
const SQL_FENCE_LANGUAGES = new Set(['', 'sql', 'postgres', 'postgresql', 'pgsql', 'psql', 'plpgsql']);
const FREQUENCIES = new Set<string>(frequencies);
const RULE_KINDS = new Set<string>(ruleKinds);
const STRATEGIES = new Set<string>(tenancyStrategies);

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*(?:[ \t]#+[ \t]*)?$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})[ \t]*([^`\s]*)[^`]*$/;
const BULLET = /^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(.*)$/;
const QUESTION_ID = /^([A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)+)(?:[ \t]*:[ \t]*(.*))?$/;
const STRATEGY_LINE = /^(?:[-*+][ \t]+)?(?:\*\*|__)?strategy(?:\*\*|__)?[ \t]*:(?:\*\*|__)?[ \t]*(.*)$/i;

interface Line {
  text: string;
  number: number;
  /** Inside a fenced block (a `#` there is code, not a heading). */
  fenced: boolean;
  /** The line opens or closes a fence. */
  fence?: { open: boolean; language: string };
}

interface Section {
  key: SectionKey;
  line: number;
  lines: Line[];
}

/** Parses a notes file. Throws a {@link NotesError} listing every problem with its line. */
export function parseNotes(text: string): NotesDocument {
  const problems: NotesProblem[] = [];
  const lines = splitLines(text.replace(/^\uFEFF/, ''), problems);
  const sections = splitSections(lines, problems);
  const doc: NotesDocument = {};
  for (const section of sections) {
    switch (section.key) {
      case 'domain':
        doc.domain = { text: prose(section.lines), line: section.line };
        break;
      case 'actors':
        doc.actors = { items: bullets(section, problems).map(toActor), line: section.line };
        break;
      case 'rules':
      case 'invariants': {
        const items = bullets(section, problems).map((b) => toRule(b, section.key === 'invariants' ? 'invariant' : 'rule'));
        doc.rules = { items: [...(doc.rules?.items ?? []), ...items], line: doc.rules?.line ?? section.line };
        break;
      }
      case 'accessPatterns':
        doc.accessPatterns = { items: bullets(section, problems).map(toAccessPattern), line: section.line };
        break;
      case 'tenancy':
        doc.tenancy = { ...tenancy(section, problems), line: section.line };
        break;
      case 'win':
        doc.win = { answers: answers(section, problems), line: section.line };
        break;
    }
  }
  if (sections.length === 0 && problems.length === 0) {
    problems.push({ line: null, message: `no notes sections found: start each with a heading such as "## Domain" (sections: ${SECTION_NAMES})` });
  }
  if (problems.length > 0) throw new NotesError([...problems].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  return doc;
}

/** Lines with HTML comments blanked (keeping line numbers) and fences marked. */
function splitLines(text: string, problems: NotesProblem[]): Line[] {
  const uncommented = text.replace(/<!--[\s\S]*?-->/g, (comment) => comment.replace(/[^\n]/g, ''));
  const raw = uncommented.split(/\r?\n/);
  const lines: Line[] = [];
  let open: { char: string; length: number; line: number } | null = null;
  raw.forEach((textLine, i) => {
    const number = i + 1;
    const fence = FENCE.exec(textLine);
    if (!open && fence) {
      open = { char: fence[1][0], length: fence[1].length, line: number };
      lines.push({ text: textLine, number, fenced: false, fence: { open: true, language: fence[2].toLowerCase() } });
    } else if (open && fence && fence[1][0] === open.char && fence[1].length >= open.length && fence[2] === '') {
      open = null;
      lines.push({ text: textLine, number, fenced: false, fence: { open: false, language: '' } });
    } else {
      lines.push({ text: textLine, number, fenced: open !== null });
    }
  });
  if (open) problems.push({ line: (open as { line: number }).line, message: 'this code block is never closed (a line with the same ``` fence ends it)' });
  return lines;
}

function sectionOf(title: string): SectionKey | null {
  const key = title.toLowerCase().replace(/[*_`]/g, '').replace(/:$/, '').replace(/\s+/g, ' ').trim();
  for (const [section, names] of Object.entries(SECTION_HEADINGS) as [SectionKey, readonly string[]][]) {
    if (names.includes(key)) return section;
  }
  return null;
}

function splitSections(lines: Line[], problems: NotesProblem[]): Section[] {
  const sections: Section[] = [];
  const seen = new Map<SectionKey, number>();
  let current: Section | null = null;
  for (const line of lines) {
    const heading = line.fenced || line.fence ? null : HEADING.exec(line.text);
    if (heading && heading[1].length <= 2) {
      const title = heading[2] ?? '';
      const key = sectionOf(title);
      if (key) {
        const first = seen.get(key);
        if (first !== undefined) problems.push({ line: line.number, message: `"${title}" repeats the section started at line ${first}` });
        else seen.set(key, line.number);
        current = { key, line: line.number, lines: [] };
        sections.push(current);
        continue;
      }
      // A `# Title` before the first section is the document's title; any other unknown heading is likely a typo.
      if (heading[1].length === 1 && sections.length === 0) continue;
      problems.push({ line: line.number, message: `unknown section "${title}" (sections: ${SECTION_NAMES})` });
      current = null;
      continue;
    }
    current?.lines.push(line);
  }
  return sections;
}

/** Prose as written, with outer blank lines removed. */
function prose(lines: Line[]): string {
  return lines
    .map((line) => line.text.replace(/[ \t]+$/, ''))
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

interface Bullet {
  text: string;
  line: number;
}

/** Bullets of a list section; a continuation line joins the bullet above it. */
function bullets(section: Section, problems: NotesProblem[]): Bullet[] {
  const out: Bullet[] = [];
  const title = sectionTitle(section.key);
  for (const line of section.lines) {
    if (line.fence) continue;
    if (line.text.trim() === '') continue;
    if (!line.fenced && HEADING.test(line.text)) {
      problems.push({ line: line.number, message: `${title}: sub-headings are not used here; write one bullet ("- …") per item` });
      continue;
    }
    const bullet = line.fenced ? null : BULLET.exec(line.text);
    if (bullet) {
      out.push({ text: bullet[1].trim(), line: line.number });
    } else if (out.length > 0) {
      const last = out[out.length - 1];
      last.text = `${last.text} ${line.text.trim()}`.trim();
    } else {
      problems.push({ line: line.number, message: `${title}: expected a bullet such as "${BULLET_EXAMPLES[section.key]}"` });
    }
  }
  return out.filter((bullet) => {
    if (bullet.text !== '') return true;
    problems.push({ line: bullet.line, message: `${title}: empty bullet` });
    return false;
  });
}

const BULLET_EXAMPLES: Record<SectionKey, string> = {
  domain: '',
  actors: '- Tenant admin: manages members and billing',
  rules: '- (invariant) A usage event is counted once',
  invariants: '- A usage event is counted once',
  accessPatterns: '- (high) Look up an API key by its hash (tables: api_keys)',
  tenancy: '',
  win: '',
};

function sectionTitle(key: SectionKey): string {
  return { domain: 'Domain', actors: 'Actors', rules: 'Rules', invariants: 'Invariants', accessPatterns: 'Access patterns', tenancy: 'Tenancy', win: 'Win' }[key];
}

/** `**Name**: description`, `Name: description`, `Name — description` or just `Name`. */
function toActor(bullet: Bullet): NoteActor {
  const bold = /^(\*\*|__)(.+?)\1[ \t]*(?:[:—–-][ \t]*)?(.*)$/.exec(bullet.text);
  if (bold) return { name: bold[2].trim(), description: bold[3].trim(), line: bullet.line };
  const split = /^(.+?)(?::[ \t]+|:$|[ \t]+[—–-][ \t]+)(.*)$/.exec(bullet.text);
  if (split) return { name: split[1].trim(), description: split[2].trim(), line: bullet.line };
  return { name: bullet.text, description: '', line: bullet.line };
}

/** Leading and trailing `(…)` markers of a bullet, and the text between them. */
function markers(text: string, isMarker: (inner: string) => boolean): { text: string; markers: string[] } {
  const found: string[] = [];
  let rest = text.trim();
  for (;;) {
    const leading = /^\(([^()]*)\)[ \t]*/.exec(rest);
    if (leading && isMarker(leading[1])) {
      found.push(leading[1]);
      rest = rest.slice(leading[0].length);
      continue;
    }
    const trailing = /[ \t]*\(([^()]*)\)[.]?$/.exec(rest);
    if (trailing && isMarker(trailing[1])) {
      found.push(trailing[1]);
      rest = rest.slice(0, trailing.index);
      continue;
    }
    return { text: rest.trim(), markers: found.map((m) => m.trim()) };
  }
}

const isRuleMarker = (inner: string) => RULE_KINDS.has(inner.trim().toLowerCase());

const isPatternMarker = (inner: string) => {
  const value = inner.trim().toLowerCase();
  return FREQUENCIES.has(value.replace(/\s+frequency$/, '')) || /^(tables?|entities)\s*:/.test(value);
};

function toRule(bullet: Bullet, fallback: RuleKind): NoteRule {
  const { text, markers: found } = markers(bullet.text, isRuleMarker);
  const kind = found.map((m) => m.toLowerCase()).find((m) => RULE_KINDS.has(m)) as RuleKind | undefined;
  return { kind: kind ?? fallback, text: found.length && text ? text : bullet.text, line: bullet.line };
}

function toAccessPattern(bullet: Bullet): NoteAccessPattern {
  const { text, markers: found } = markers(bullet.text, isPatternMarker);
  let frequency: Frequency = 'medium';
  const tables: string[] = [];
  for (const marker of found) {
    const lower = marker.toLowerCase().replace(/\s+frequency$/, '');
    if (FREQUENCIES.has(lower)) frequency = lower as Frequency;
    const list = /^(?:tables?|entities)\s*:\s*(.*)$/i.exec(marker);
    if (list) tables.push(...list[1].split(',').map((name) => name.trim().replace(/^`|`$/g, '')).filter(Boolean));
  }
  return { description: text || bullet.text, frequency, tables, line: bullet.line };
}

function tenancy(section: Section, problems: NotesProblem[]): { strategy: TenancyStrategy | null; notes: string } {
  let strategy: TenancyStrategy | null = null;
  let found = false;
  const rest: Line[] = [];
  for (const line of section.lines) {
    const match = !found && !line.fenced && !line.fence ? STRATEGY_LINE.exec(line.text.trim()) : null;
    if (!match) {
      rest.push(line);
      continue;
    }
    found = true;
    const value = match[1]
      .replace(/[*_`.]+$|^[*_`]+/g, '')
      .trim()
      .toLowerCase()
      .replace(/\s+/g, '-');
    if (STRATEGIES.has(value)) strategy = value as TenancyStrategy;
    else problems.push({ line: line.number, message: `Tenancy: unknown strategy "${match[1].trim()}" (one of ${tenancyStrategies.join(', ')})` });
  }
  return { strategy, notes: prose(rest) };
}

function answers(section: Section, problems: NotesProblem[]): NoteAnswer[] {
  const out: NoteAnswer[] = [];
  let current: { answer: NoteAnswer; prose: string[]; sql: string[]; block: string[] | null; sqlBlock: boolean } | null = null;
  const finish = () => {
    if (!current) return;
    current.answer.answer = current.prose.join('\n').replace(/^\n+|\n+$/g, '').replace(/\n{3,}/g, '\n\n');
    current.answer.sql = current.sql.join('\n\n');
    out.push(current.answer);
  };
  for (const line of section.lines) {
    const heading = !line.fenced && !line.fence ? HEADING.exec(line.text) : null;
    if (heading) {
      finish();
      const title = (heading[2] ?? '').trim();
      if (!title) problems.push({ line: line.number, message: 'Win: an answer heading needs a question id or the question' });
      const id = QUESTION_ID.exec(title);
      current = {
        answer: { heading: title, questionId: id ? id[1] : null, question: id ? (id[2] ?? '').trim() : title, answer: '', sql: '', line: line.number },
        prose: [],
        sql: [],
        block: null,
        sqlBlock: false,
      };
      continue;
    }
    if (!current) {
      if (line.text.trim() !== '') {
        problems.push({ line: line.number, message: 'Win: start each answer with a heading "### <question id or question>"' });
      }
      continue;
    }
    if (line.fence?.open) {
      current.sqlBlock = SQL_FENCE_LANGUAGES.has(line.fence.language);
      current.block = [];
      if (!current.sqlBlock) current.prose.push(line.text);
    } else if (line.fence && !line.fence.open) {
      if (current.sqlBlock && current.block) {
        const sql = current.block.join('\n').replace(/^\n+|\s+$/g, '');
        if (sql) current.sql.push(sql);
      } else current.prose.push(line.text);
      current.block = null;
    } else if (current.block && current.sqlBlock) current.block.push(line.text);
    else current.prose.push(line.text.replace(/[ \t]+$/, ''));
  }
  finish();
  return out;
}
