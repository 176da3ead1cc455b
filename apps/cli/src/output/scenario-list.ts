import type { PublicScenario, ScenarioSummary } from '@hatch/scenarios';
import type { Style } from './style';
import { padEnd, wrap } from './text-layout';

/** One line per scenario: id, difficulty, minutes, formats, title. */
export function formatScenarioList(summaries: readonly ScenarioSummary[], style: Style): string {
  if (summaries.length === 0) return 'no scenarios\n';
  const rows = summaries.map((s) => [s.id, s.difficulty, `${s.totalMinutes} min`, s.formats.join(', '), s.title]);
  const header = ['ID', 'DIFFICULTY', 'TIME', 'FORMATS', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : padEnd(cell, widths[i])))
      .join('  ')
      .trimEnd();
  return `${[style.bold(line(header)), ...rows.map(line)].join('\n')}\n`;
}

/** A scenario as a candidate may see it (no answer key), with the question ids a notes file's Win answers use. */
export function formatScenarioDetail(scenario: PublicScenario, style: Style, width: number): string {
  const { frame, list, optimize, win } = scenario.timePerStage;
  const lines = [
    style.bold(scenario.title),
    style.dim(`${scenario.id} v${scenario.version} · ${scenario.difficulty} · ${scenario.formats.join(', ')}`),
    style.dim(`time: frame ${frame} min, list ${list} min, optimize ${optimize} min, win ${win} min`),
    '',
    ...scenario.prompt
      .trim()
      .split(/\n\s*\n/)
      .flatMap((paragraph, i) => [...(i > 0 ? [''] : []), ...wrap(paragraph.replace(/\s*\n\s*/g, ' '), width)]),
    '',
    style.bold('Product questions') + style.dim(' (answer each under "### <id>" in the notes\' ## Win section)'),
  ];
  for (const question of scenario.productQuestions) {
    lines.push(`  ${style.cyan(question.id)} ${style.dim(`(${question.category})`)}`);
    lines.push(...wrap(question.question, width, '    '));
  }
  return `${lines.join('\n')}\n`;
}
