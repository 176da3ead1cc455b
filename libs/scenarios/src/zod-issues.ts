import type { z } from 'zod';
import type { PathSegment } from './scenario-load.error';

export interface IssueProblem {
  path: PathSegment[];
  reason: string;
}

type Issue = z.core.$ZodIssue;

// Our own messages start lowercase; zod's defaults ("Invalid input: ...") are rewritten below.
const isCustom = (message: string) => /^[a-z]/.test(message);

const KIND_NAMES: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'text', number: 'a number', boolean: 'true or false' };

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return String(value);
}

function reasonFor(issue: Issue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (isCustom(issue.message)) return issue.message;
      if (issue.input === undefined) return 'required';
      return `expected ${KIND_NAMES[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_value': {
      const values = issue.values.map(String);
      const expected = values.length === 1 ? `expected ${values[0]}` : `expected one of ${values.join('|')}`;
      return 'input' in issue && issue.input !== undefined ? `${expected}, got ${describe(issue.input)}` : expected;
    }
    case 'too_small':
    case 'too_big': {
      if (isCustom(issue.message)) return issue.message;
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const bound = issue.code === 'too_small' ? 'at least' : 'at most';
      if (issue.origin === 'string' && issue.code === 'too_small' && Number(limit) === 1) return 'must not be empty';
      if (issue.origin === 'string') return `must be ${bound} ${limit} characters`;
      if (issue.origin === 'array') return `needs ${bound} ${limit} item(s)`;
      return `must be ${bound} ${limit}`;
    }
    default:
      return issue.message;
  }
}

/**
 * Turns zod issues into problems with readable reasons. Unknown keys become one problem per key;
 * a failed union reports the branch that got furthest instead of every alternative.
 */
export function issuesToProblems(issues: readonly Issue[], base: readonly PathSegment[] = []): IssueProblem[] {
  const problems: IssueProblem[] = [];
  for (const issue of issues) {
    const path = [...base, ...(issue.path as PathSegment[])];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) problems.push({ path: [...path, key], reason: 'unknown key' });
    } else if (issue.code === 'invalid_union' && 'discriminator' in issue && Array.isArray((issue as { options?: unknown }).options)) {
      // A discriminated union (rubric checks): name the known values of the discriminator.
      const options = (issue as unknown as { options: unknown[] }).options;
      const expected = `expected one of ${options.map(String).join('|')}`;
      problems.push({ path, reason: issue.input === undefined ? `required: ${expected}` : `${expected}, got ${describe(issue.input)}` });
    } else if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const deepest = issue.errors.find((branch) => branch.some((inner) => inner.path.length > 0 || inner.code !== 'invalid_type'));
      if (deepest) problems.push(...issuesToProblems(deepest, path));
      else {
        const expected = issue.errors.flatMap((branch) => branch.map((inner) => (inner.code === 'invalid_type' ? inner.expected : '')));
        problems.push({ path, reason: `expected ${[...new Set(expected.filter(Boolean))].join(' or ')}` });
      }
    } else {
      problems.push({ path, reason: reasonFor(issue) });
    }
  }
  return problems;
}
