/** One problem with one scenario file. */
export interface ScenarioProblem {
  /** The file as the caller named it (`scenarios/saas.yaml`). */
  file: string;
  /** Where in the file, e.g. `accessPatterns[2].frequency`; empty for the whole file. */
  path: string;
  reason: string;
  /** 1-based position in the file, when known. */
  line?: number;
  column?: number;
}

export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `['accessPatterns', 2, 'frequency']` → `accessPatterns[2].frequency`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

export function formatProblem(problem: ScenarioProblem): string {
  const where = problem.path ? `${problem.path}: ` : '';
  const position = problem.line ? ` (line ${problem.line}, column ${problem.column ?? 1})` : '';
  return `${problem.file}: ${where}${problem.reason}${position}`;
}

/** Thrown when scenario files cannot be loaded; lists every problem found, not just the first. */
export class ScenarioLoadError extends Error {
  readonly code = 'SCENARIO_INVALID' as const;
  readonly problems: readonly ScenarioProblem[];

  constructor(problems: readonly ScenarioProblem[]) {
    if (problems.length === 0) throw new TypeError('ScenarioLoadError needs at least one problem');
    const lines = problems.map(formatProblem);
    super(lines.length === 1 ? lines[0] : `${lines.length} problems in scenario files:\n  ${lines.join('\n  ')}`);
    this.name = 'ScenarioLoadError';
    this.problems = problems;
  }

  /** The first problem's file, path and reason, for callers that report one. */
  get file(): string {
    return this.problems[0].file;
  }

  get path(): string {
    return this.problems[0].path;
  }

  get reason(): string {
    return this.problems[0].reason;
  }
}
