import type { Model } from '@hatch/model';

/**
 * A model's Frame and Win notes as a notes file that `parseNotes` reads back to the same notes
 * (line breaks inside a bullet become spaces). Sections with nothing in them are left out.
 */
export function renderNotes(model: Model, title = 'Notes'): string {
  const { frame, win } = model;
  const entityName = new Map(model.entities.map((entity) => [entity.id, entity.name]));
  const out: string[] = [`# ${oneLine(title)}`];
  const section = (heading: string, body: string[]) => {
    if (body.length) out.push('', `## ${heading}`, '', ...body);
  };

  section('Domain', frame.domain.trim() ? [frame.domain.trim()] : []);
  section(
    'Actors',
    frame.actors.map((actor) => `- **${oneLine(actor.name)}**${actor.description.trim() ? `: ${oneLine(actor.description)}` : ''}`),
  );
  section(
    'Rules',
    frame.rules.map((rule) => `- ${rule.kind === 'invariant' ? '(invariant) ' : ''}${oneLine(rule.text)}`),
  );
  section(
    'Access patterns',
    frame.accessPatterns.map((pattern) => {
      const tables = pattern.entityIds.map((id) => entityName.get(id)).filter((name): name is string => !!name);
      return `- (${pattern.frequency}) ${oneLine(pattern.description)}${tables.length ? ` (tables: ${tables.join(', ')})` : ''}`;
    }),
  );
  const tenancy: string[] = [];
  if (frame.tenancy.strategy) tenancy.push(`Strategy: ${frame.tenancy.strategy}`);
  if (frame.tenancy.notes.trim()) tenancy.push(...(tenancy.length ? [''] : []), frame.tenancy.notes.trim());
  section('Tenancy', tenancy);

  const answers: string[] = [];
  for (const answer of win.answers) {
    const heading = answer.questionId
      ? `${answer.questionId}${answer.question.trim() ? `: ${oneLine(answer.question)}` : ''}`
      : oneLine(answer.question) || answer.id;
    answers.push(...(answers.length ? [''] : []), `### ${heading}`);
    if (answer.answer.trim()) answers.push('', answer.answer.trim());
    if (answer.sql.trim()) answers.push('', fence(answer.sql.trim()));
  }
  section('Win', answers);
  return `${out.join('\n')}\n`;
}

const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ').trim();

/** A ```sql block whose fence is longer than any backtick run inside it. */
function fence(sql: string): string {
  const longest = Math.max(2, ...[...sql.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}sql\n${sql}\n${ticks}`;
}
