import { parseNotes } from './notes-parser';
import { NotesError } from './notes.errors';

const problemsOf = (text: string) => {
  try {
    parseNotes(text);
  } catch (error) {
    if (error instanceof NotesError) return error.problems;
    throw error;
  }
  throw new Error('expected a NotesError');
};

describe('parseNotes', () => {
  it('reads every section of a complete notes file', () => {
    const doc = parseNotes(`# Notes for the SaaS mock

Some preamble that is not a section.

## Domain

A B2B API platform.
Tenants are the unit of isolation.

## Actors

- Tenant admin: manages members
- **Billing admin** — pays invoices
- API client

## Rules

- (invariant) A usage event is counted once
  per idempotency key.
- Money is integer minor units plus a currency.

## Access patterns

- (high) Authenticate an API request by key hash (tables: api_keys, tenants)
- List a tenant's invoices by status (low frequency)
- Browse the audit log

## Tenancy

Strategy: shared-schema

Every tenant table carries tenant_id.

## Win

### revenue-by-plan

Sum invoice lines per plan.

\`\`\`sql
SELECT 1 FROM invoices
\`\`\`

### How many tenants churned last month?

Count subscriptions ended.
`);

    expect(doc.domain).toEqual({ text: 'A B2B API platform.\nTenants are the unit of isolation.', line: 5 });
    expect(doc.actors?.items).toEqual([
      { name: 'Tenant admin', description: 'manages members', line: 12 },
      { name: 'Billing admin', description: 'pays invoices', line: 13 },
      { name: 'API client', description: '', line: 14 },
    ]);
    expect(doc.rules?.items).toEqual([
      { kind: 'invariant', text: 'A usage event is counted once per idempotency key.', line: 18 },
      { kind: 'rule', text: 'Money is integer minor units plus a currency.', line: 20 },
    ]);
    expect(doc.accessPatterns?.items).toEqual([
      { description: 'Authenticate an API request by key hash', frequency: 'high', tables: ['api_keys', 'tenants'], line: 24 },
      { description: "List a tenant's invoices by status", frequency: 'low', tables: [], line: 25 },
      { description: 'Browse the audit log', frequency: 'medium', tables: [], line: 26 },
    ]);
    expect(doc.tenancy).toEqual({ strategy: 'shared-schema', notes: 'Every tenant table carries tenant_id.', line: 28 });
    expect(doc.win?.answers).toEqual([
      { heading: 'revenue-by-plan', questionId: 'revenue-by-plan', question: '', answer: 'Sum invoice lines per plan.', sql: 'SELECT 1 FROM invoices', line: 36 },
      {
        heading: 'How many tenants churned last month?',
        questionId: null,
        question: 'How many tenants churned last month?',
        answer: 'Count subscriptions ended.',
        sql: '',
        line: 44,
      },
    ]);
  });

  it('leaves out the sections a file does not have', () => {
    const doc = parseNotes('## Tenancy\n\nstrategy: **schema per tenant**\n');
    expect(Object.keys(doc)).toEqual(['tenancy']);
    expect(doc.tenancy?.strategy).toBe('schema-per-tenant');
    expect(doc.tenancy?.notes).toBe('');
  });

  it('reads `id: question` headings, joins several SQL blocks and keeps other code blocks in the prose', () => {
    const doc = parseNotes(`## Win
### daily-usage: How much usage per day?
First:
\`\`\`postgresql
SELECT 1
\`\`\`
A chart:
\`\`\`json
{ "x": 1 }
\`\`\`
\`\`\`
SELECT 2
\`\`\`
`);
    const [answer] = doc.win?.answers ?? [];
    expect(answer.questionId).toBe('daily-usage');
    expect(answer.question).toBe('How much usage per day?');
    expect(answer.sql).toBe('SELECT 1\n\nSELECT 2');
    expect(answer.answer).toBe('First:\nA chart:\n```json\n{ "x": 1 }\n```');
  });

  it('does not read a "#" inside a code block as a heading', () => {
    const doc = parseNotes('## Win\n### q-one\n```sql\n## not a heading\nSELECT 1\n```\n');
    expect(doc.win?.answers[0].sql).toBe('## not a heading\nSELECT 1');
  });

  it('treats "## Invariants" bullets as invariants and merges them with "## Rules"', () => {
    const doc = parseNotes('## Rules\n- a rule of the product\n\n## Invariants\n- an invariant of the data\n- (rule) stated as a rule\n');
    expect(doc.rules?.items.map((rule) => [rule.kind, rule.text])).toEqual([
      ['rule', 'a rule of the product'],
      ['invariant', 'an invariant of the data'],
      ['rule', 'stated as a rule'],
    ]);
  });

  it('keeps parentheses that are not markers', () => {
    const doc = parseNotes('## Rules\n- A tenant has one live subscription (trialing or active)\n## Access patterns\n- Find the plan (by code) (high)\n');
    expect(doc.rules?.items[0].text).toBe('A tenant has one live subscription (trialing or active)');
    expect(doc.accessPatterns?.items[0]).toMatchObject({ description: 'Find the plan (by code)', frequency: 'high' });
  });

  it('ignores HTML comments, keeping line numbers', () => {
    const problems = problemsOf('<!--\n## Domain\n-->\n## Actors\nnot a bullet\n');
    expect(problems).toEqual([{ line: 5, message: expect.stringContaining('Actors: expected a bullet') }]);
  });

  it('accepts section headings in any case, with a trailing colon, at level one or two', () => {
    const doc = parseNotes('# DOMAIN:\nShop.\n## access Patterns\n- (HIGH) find orders\n');
    expect(doc.domain?.text).toBe('Shop.');
    expect(doc.accessPatterns?.items[0].frequency).toBe('high');
  });

  it.each([
    ['an unknown section', '## Domian\ntext\n', 1, 'unknown section "Domian"'],
    ['a repeated section', '## Actors\n- A\n## Actors\n- B\n', 3, 'repeats the section started at line 1'],
    ['text before the first bullet of a list', '## Rules\nThese are the rules:\n- one rule\n', 2, 'Rules: expected a bullet'],
    ['a sub-heading in a list section', '## Actors\n### Internal\n- Support agent\n', 2, 'sub-headings are not used here'],
    ['an empty bullet', '## Actors\n-  \n', 2, 'empty bullet'],
    ['an unknown tenancy strategy', '## Tenancy\nStrategy: pooled\n', 2, 'unknown strategy "pooled"'],
    ['prose in Win before the first answer', '## Win\nMy answers:\n### q-one\nx\n', 2, 'start each answer with a heading'],
    ['an unclosed code block', '## Win\n### q-one\n```sql\nSELECT 1\n', 3, 'never closed'],
    ['an unknown heading after the first section', '## Domain\nx\n# Appendix\n', 3, 'unknown section "Appendix"'],
  ])('reports %s with its line', (_name, text, line, message) => {
    const problems = problemsOf(text);
    expect(problems[0]).toEqual({ line, message: expect.stringContaining(message) });
  });

  it('reports a file without sections', () => {
    expect(problemsOf('just some text\n')).toEqual([{ line: null, message: expect.stringContaining('no notes sections found') }]);
  });

  it('reports every problem, not just the first', () => {
    const problems = problemsOf('## Actors\nintro\n## Tenancy\nStrategy: nope\n## Bogus\n');
    expect(problems.map((p) => p.line)).toEqual([2, 4, 5]);
  });
});
