import { STAGES, type Check, type CheckStatus, type Grade, type Stage } from '@hatch/grader';
import type { Model } from '@hatch/model';
import { scoreBar } from './score-bar';
import { scoreColor, type Style } from './style';
import { padEnd, padStart, wrap } from './text-layout';

export interface GradeReportInput {
  grade: Grade;
  scenario: { id: string; version: number; title: string };
  /** The model file as named, its format and what the import skipped. */
  source: { name: string; format: string; skipped: number; warnings: string[] };
  model: Model;
  notesFile?: string;
  verbose: boolean;
  style: Style;
  width: number;
}

const STAGE_LABELS: Record<Stage, string> = { frame: 'Frame', list: 'List', optimize: 'Optimize', win: 'Win' };
const FORMAT_LABELS: Record<string, string> = { json: 'model JSON', sql: 'DDL', dbml: 'DBML' };
const STATUS_ORDER: Record<CheckStatus, number> = { failed: 0, partial: 1, justified: 2, passed: 3 };
const BAR_WIDTH = 24;

/** The human-readable grade: stage bars, total, weak moves with coaching, and the checks (failed first). */
export function formatGradeReport(input: GradeReportInput): string {
  const { grade, style, width } = input;
  const lines: string[] = [];
  lines.push(style.bold(`FLOW grade · ${input.scenario.title}`));
  lines.push(style.dim(`scenario ${input.scenario.id} v${input.scenario.version} · ${describeSource(input)}`));
  lines.push('');

  for (const stage of STAGES) {
    const score = grade.stages[stage].score;
    const paint = scoreColor(style, score);
    lines.push(`  ${padEnd(STAGE_LABELS[stage], 9)} ${paint(scoreBar(score, BAR_WIDTH))} ${paint(padStart(String(score), 3))}`);
  }
  lines.push(`  ${padEnd('Total', 9)} ${' '.repeat(BAR_WIDTH)} ${style.bold(scoreColor(style, grade.total)(padStart(String(grade.total), 3)))}`);

  lines.push('', style.bold('Weak moves'));
  if (grade.weakMoves.length === 0) lines.push('  none: every check passed');
  grade.weakMoves.forEach((move, i) => {
    lines.push(`  ${i + 1}. ${style.bold(String(move.move))} ${style.dim(`(−${move.pointsLost.toFixed(1)} stage points, ${move.checks.length} check${move.checks.length === 1 ? '' : 's'})`)}`);
    lines.push(...wrap(move.summary, width, '     '));
  });

  const missing = grade.unmatched.missing.concepts;
  const matched = new Set(grade.mapping.entities.map((match) => match.concept)).size;
  lines.push('', `${style.bold('Concepts')} ${matched} of ${matched + missing.length} matched${missing.length ? `; not modeled: ${missing.join(', ')}` : ''}`);
  if (grade.unmatched.entities.length) {
    lines.push(...wrap(`unmatched tables: ${grade.unmatched.entities.map((e) => e.name).join(', ')}`, width, '  ').map(style.dim));
  }

  const checks = STAGES.flatMap((stage) => withCost(grade.stages[stage].checks));
  checks.sort((a, b) => STATUS_ORDER[a.check.status] - STATUS_ORDER[b.check.status] || b.cost - a.cost || STAGES.indexOf(a.check.stage) - STAGES.indexOf(b.check.stage));
  const count = (status: CheckStatus) => checks.filter((c) => c.check.status === status).length;
  const shown = input.verbose ? checks : checks.filter((c) => c.check.status === 'failed' || c.check.status === 'partial');
  const tally = [`${count('failed')} failed`, `${count('partial')} partial`, `${count('justified')} justified`, `${count('passed')} passed`].join(', ');
  lines.push('', `${style.bold('Checks')} ${tally}${input.verbose ? '' : style.dim(' (--verbose lists them all)')}`);
  for (const { check, cost } of shown) lines.push(...formatCheck(check, cost, input));

  if (input.verbose && (input.source.skipped > 0 || input.source.warnings.length > 0)) {
    lines.push('', style.bold('Import notes'));
    if (input.source.skipped > 0) lines.push(`  ${input.source.skipped} statement(s) skipped: not part of a data model`);
    for (const warning of input.source.warnings) lines.push(...wrap(warning, width, '  '));
  }
  return `${lines.join('\n')}\n`;
}

function describeSource(input: GradeReportInput): string {
  const { model, source } = input;
  const parts = [`${model.entities.length} table${model.entities.length === 1 ? '' : 's'}`, `${model.relationships.length} relationship${model.relationships.length === 1 ? '' : 's'}`, `${model.events.length} event${model.events.length === 1 ? '' : 's'}`];
  const skipped = source.skipped ? `; ${source.skipped} statement${source.skipped === 1 ? '' : 's'} skipped` : '';
  const notes = input.notesFile ? ` · notes ${input.notesFile}` : '';
  return `model ${source.name} (${FORMAT_LABELS[source.format] ?? source.format}: ${parts.join(', ')}${skipped})${notes}`;
}

/** Each check with the stage points it cost: weight × (1 − ratio) as a share of the stage's weight. */
function withCost(checks: readonly Check[]): { check: Check; cost: number }[] {
  const total = checks.reduce((sum, check) => sum + check.weight, 0);
  return checks.map((check) => ({ check, cost: total === 0 ? 0 : (100 * check.weight * (1 - check.ratio)) / total }));
}

function formatCheck(check: Check, cost: number, input: GradeReportInput): string[] {
  const { style, width } = input;
  const marks: Record<CheckStatus, string> = { failed: style.red('✗'), partial: style.yellow('◐'), justified: style.cyan('~'), passed: style.green('✓') };
  const costText = cost >= 0.05 ? style.dim(` −${cost.toFixed(1)}`) : '';
  const indent = ' '.repeat(14);
  // Titles can quote a whole product question: wrap them under themselves, the id and cost after the last word.
  const out = wrap(check.title, width, indent).map((line) => indent + style.bold(line.slice(indent.length)));
  out[0] = `  ${marks[check.status]} ${padEnd(STAGE_LABELS[check.stage], 9)} ${out[0].slice(indent.length)}`;
  out[out.length - 1] += ` ${style.dim(`[${check.id}]`)}${costText}`;
  if (check.hint && check.status !== 'passed') out.push(...wrap(check.hint, width, indent));
  if (input.verbose && check.evidence.length) {
    const evidence = check.evidence
      .slice(0, 8)
      .map((e) => `${e.name}${e.concept ? ` → ${e.concept}` : ''}${e.note ? ` (${e.note})` : ''}`)
      .join('; ');
    const more = check.evidence.length > 8 ? `; and ${check.evidence.length - 8} more` : '';
    out.push(...wrap(`evidence: ${evidence}${more}`, width, indent).map(style.dim));
  }
  return out;
}
