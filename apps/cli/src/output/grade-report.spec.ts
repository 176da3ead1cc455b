import { grade, type Grade } from '@hatch/grader';
import { parseModel, type Model } from '@hatch/model';
import type { Scenario } from '@hatch/scenarios';
import { DEFAULT_SCENARIOS_DIR, loadScenario } from '../input/scenario-source';
import { formatGradeReport, type GradeReportInput } from './grade-report';
import { scoreBar } from './score-bar';
import { createStyle } from './style';
import { stripAnsi } from './text-layout';

let scenario: Scenario;
let model: Model;
let result: Grade;

beforeAll(() => {
  scenario = loadScenario(DEFAULT_SCENARIOS_DIR, 'saas-billing-metering-audit');
  // The reference model without its Win answers: some checks fail, most pass.
  model = parseModel({ ...scenario.referenceModel, win: { answers: [] } });
  result = grade(model, scenario);
});

const report = (overrides: Partial<GradeReportInput> = {}) =>
  formatGradeReport({
    grade: result,
    scenario: { id: scenario.id, version: scenario.version, title: scenario.title },
    source: { name: 'model.json', format: 'json', skipped: 0, warnings: [] },
    model,
    verbose: false,
    style: createStyle(false),
    width: 100,
    ...overrides,
  });

describe('formatGradeReport', () => {
  it('draws a bar and the score for each stage, then the total', () => {
    const lines = report().split('\n');
    for (const [label, stage] of [['Frame', 'frame'], ['List', 'list'], ['Optimize', 'optimize'], ['Win', 'win']] as const) {
      const score = result.stages[stage].score;
      const line = lines.find((l) => l.trimStart().startsWith(label));
      expect(line).toContain(scoreBar(score, 24));
      expect(line?.trimEnd().endsWith(` ${score}`)).toBe(true);
    }
    expect(lines.find((l) => l.trimStart().startsWith('Total'))?.trim().split(/\s+/)).toEqual(['Total', String(result.total)]);
  });

  it('names the scenario, the model file and what it holds', () => {
    const text = report({ source: { name: 'schema.sql', format: 'sql', skipped: 3, warnings: [] }, notesFile: 'notes.md' });
    expect(text).toContain(scenario.title);
    expect(text).toContain(`scenario ${scenario.id} v${scenario.version}`);
    expect(text).toContain(`model schema.sql (DDL: ${model.entities.length} tables`);
    expect(text).toContain('3 statements skipped');
    expect(text).toContain('notes notes.md');
  });

  it('coaches the weak moves, costliest first', () => {
    const text = report();
    expect(result.weakMoves.length).toBeGreaterThan(0);
    const first = result.weakMoves[0];
    expect(text).toContain(`1. ${first.move} (−${first.pointsLost.toFixed(1)} stage points`);
    expect(text.replace(/\s+/g, ' ')).toContain(first.summary.replace(/\s+/g, ' '));
  });

  it('lists failed checks with their hints before partial ones, and passed checks only when verbose', () => {
    const failed = result.stages.win.checks.find((check) => check.status === 'failed');
    const passed = result.stages.list.checks.find((check) => check.status === 'passed');
    if (!failed || !passed) throw new Error('the fixture should fail a Win check and pass a List check');

    const text = report();
    expect(text).toContain(`[${failed.id}]`);
    expect(text.replace(/\s+/g, ' ')).toContain(failed.hint.replace(/\s+/g, ' '));
    expect(text).not.toContain(`[${passed.id}]`);
    expect(text).toContain('--verbose lists them all');
    const marks = text.split('\n').filter((line) => /^ {2}[✗◐~✓] /.test(line)).map((line) => line.trim()[0]);
    expect(marks.join('')).toMatch(/^✗*◐*$/);

    const verbose = report({ verbose: true });
    expect(verbose).toContain(`✓ List      ${passed.title} [${passed.id}]`);
    expect(verbose).toContain('evidence: ');
  });

  it('colors only when asked', () => {
    expect(report()).not.toContain('\u001b[');
    const colored = report({ style: createStyle(true) });
    expect(['\u001b[31m█', '\u001b[32m█', '\u001b[33m█'].some((bar) => colored.includes(bar))).toBe(true);
    expect(stripAnsi(colored)).toBe(report());
  });

  it('says so when every check passed', () => {
    const perfect: Grade = { ...result, weakMoves: [] };
    expect(report({ grade: perfect })).toContain('none: every check passed');
  });
});
