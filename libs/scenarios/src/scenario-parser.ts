import { LineCounter, parseDocument } from 'yaml';
import { buildScenario } from './scenario-builder';
import { formatPath, type PathSegment, ScenarioLoadError, type ScenarioProblem } from './scenario-load.error';
import { SCENARIO_FORMAT_VERSION, scenarioFileSchema } from './scenario.schema';
import type { Scenario } from './scenario.types';
import { positionOf } from './yaml-position';
import { issuesToProblems } from './zod-issues';

/** Scenario files are hand-written; anything this large is a mistake or an attack. */
export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;
const MAX_ALIAS_COUNT = 200;

export type ScenarioAnalysis = { ok: true; scenario: Scenario } | { ok: false; problems: ScenarioProblem[] };

/** The scenario id a file name implies: `scenarios/saas-billing.yaml` → `saas-billing`. */
export function scenarioIdFromFileName(fileName: string): string | undefined {
  return /([^/\\]+)\.ya?ml$/i.exec(fileName)?.[1];
}

/** Parses and validates one scenario file; returns every problem instead of throwing. */
export function analyzeScenario(text: string, fileName: string): ScenarioAnalysis {
  const fail = (problems: Omit<ScenarioProblem, 'file'>[]): ScenarioAnalysis => ({
    ok: false,
    problems: problems.map((problem) => ({ file: fileName, ...problem })),
  });

  if (Buffer.byteLength(text, 'utf8') > MAX_SCENARIO_FILE_BYTES) {
    return fail([{ path: '', reason: `file is larger than ${MAX_SCENARIO_FILE_BYTES} bytes` }]);
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return fail(
      doc.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return { path: '', reason: `YAML syntax error: ${error.message}`, line, column: col };
      }),
    );
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return fail([{ path: '', reason: `YAML error: ${(error as Error).message}` }]);
  }

  const locate = (path: PathSegment[]): Omit<ScenarioProblem, 'file'> => {
    const position = positionOf(doc, lineCounter, path);
    return { path: formatPath(path), reason: '', ...(position && { line: position.line, column: position.column }) };
  };
  const located = (problems: { path: PathSegment[]; reason: string }[]) =>
    fail(problems.map((problem) => ({ ...locate(problem.path), reason: problem.reason })));

  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return fail([{ path: '', reason: 'expected a mapping of scenario fields at the top level' }]);
  }
  const formatVersion = (data as Record<string, unknown>).formatVersion;
  if (typeof formatVersion === 'number' && formatVersion !== SCENARIO_FORMAT_VERSION) {
    return located([
      { path: ['formatVersion'], reason: `unsupported formatVersion ${formatVersion}; this loader reads formatVersion ${SCENARIO_FORMAT_VERSION}` },
    ]);
  }

  const parsed = scenarioFileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) return located(issuesToProblems(parsed.error.issues));

  const expectedId = scenarioIdFromFileName(fileName);
  const idProblems =
    expectedId === undefined
      ? [{ path: [], reason: 'a scenario file name ends with .yaml or .yml' }]
      : parsed.data.id !== expectedId
        ? [{ path: ['id'], reason: `id "${parsed.data.id}" must equal the file name without extension ("${expectedId}")` }]
        : [];

  const built = buildScenario(parsed.data);
  const problems = [...idProblems, ...built.problems];
  if (problems.length > 0 || !built.scenario) return located(problems);
  return { ok: true, scenario: built.scenario };
}

/**
 * Parses one scenario file's text. `fileName` names the file in errors and must match the
 * scenario id (`saas-billing.yaml` holds `id: saas-billing`). Throws `ScenarioLoadError`.
 */
export function parseScenario(text: string, fileName: string): Scenario {
  const analysis = analyzeScenario(text, fileName);
  if (!analysis.ok) throw new ScenarioLoadError(analysis.problems);
  return analysis.scenario;
}
