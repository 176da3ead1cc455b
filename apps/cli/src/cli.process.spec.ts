import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Grade } from '@hatch/grader';
import { exportJson } from '@hatch/model';
import { loadScenarioLibrary, type Scenario } from '@hatch/scenarios';

/*
 * The `hatch` command as a user runs it: a separate node process started through the launcher
 * (apps/cli/bin/hatch.js, what `npx hatch` runs) on the built CLI, built once before the first spawn.
 */

const repoRoot = join(__dirname, '..', '..', '..');
const launcher = join(repoRoot, 'apps', 'cli', 'bin', 'hatch.js');
const scenariosDir = join(repoRoot, 'scenarios');
const SAAS = 'saas-billing-metering-audit';
const SPAWN_TIMEOUT = 180_000;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let building: Promise<void> | undefined;

/** `tsc -b apps/cli/tsconfig.lib.json`, once per run; type errors elsewhere in the workspace do not stop the emit. */
function buildCli(): Promise<void> {
  building ??= new Promise<void>((resolve, reject) => {
    const tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
    execFile(process.execPath, [tsc, '-b', join(repoRoot, 'apps/cli/tsconfig.lib.json')], { cwd: repoRoot }, (error, stdout, stderr) => {
      const entries = ['apps/cli/dist/main.js', 'libs/model/dist/index.js', 'libs/scenarios/dist/index.js', 'libs/grader/dist/index.js'];
      const missing = entries.filter((file) => !existsSync(join(repoRoot, file)));
      if (missing.length > 0) reject(new Error(`the CLI did not build (${missing.join(', ')} missing):\n${stdout}${stderr}`));
      else {
        if (error) process.stderr.write(`note: tsc -b reported type errors but emitted the CLI:\n${stdout}${stderr}\n`);
        resolve();
      }
    });
  });
  return building;
}

function hatch(args: string[], options: { stdin?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    if (!options.env?.FORCE_COLOR) delete env.FORCE_COLOR;
    if (!options.env?.HATCH_SCENARIOS_DIR) delete env.HATCH_SCENARIOS_DIR;
    const child = spawn(process.execPath, [launcher, ...args], { cwd: options.cwd ?? work, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Waits for the build and the fixtures itself: `it.concurrent` tests may start before beforeAll has finished. */
const run = async (args: string[], options?: Parameters<typeof hatch>[1]) => {
  await setup();
  return hatch(args, options);
};

let work: string;
let saas: Scenario;
let scenarioIds: string[];
let settingUp: Promise<void> | undefined;

const FILES: Record<string, string> = {
  'bad.sql': 'CREATE TABLE tenants (id uuid PRIMARY KEY);\nCREATE TABLEX invoices (id uuid);\n',
  'bad.dbml': 'Table tenants {\n  id uuid [pk\n}\n',
  'bad.json': '{\n  "entities": [,]\n}\n',
  'invalid.json': JSON.stringify({ entities: [{ id: 'e1', name: 'tenants', fields: [{ id: 'f1', name: 'id' }] }] }),
  'model.txt': 'CREATE TABLE t (id int);\n',
  'notes-bad-section.md': '## Domain\nA shop.\n## Acters\n- Buyer\n',
  'notes-bad-table.md': '## Access patterns\n- (high) Look up a key (tables: api_keyz)\n',
  'notes-bad-question.md': '## Win\n### revenue-per-plan\nSum it.\n',
  'tiny.sql': 'CREATE TABLE tenants (id uuid PRIMARY KEY, created_at timestamptz NOT NULL DEFAULT now());\n',
};

const setup = () => (settingUp ??= prepare());

async function prepare(): Promise<void> {
  const built = buildCli();
  work = await mkdtemp(join(tmpdir(), 'hatch-cli-'));
  const library = loadScenarioLibrary(scenariosDir);
  scenarioIds = library.list().map((s) => s.id);
  const found = library.get(SAAS);
  if (!found) throw new Error(`scenario ${SAAS} is missing`);
  saas = found;
  await writeFile(join(work, 'reference.json'), exportJson(saas.referenceModel));
  await mkdir(join(work, 'folder.sql'));
  for (const [name, text] of Object.entries(FILES)) await writeFile(join(work, name), text);
  const broken = join(work, 'broken-scenarios');
  await mkdir(broken);
  await writeFile(join(broken, 'broken.yaml'), 'formatVersion: 1\nid: broken\ntitle: 42\n');
  const single = join(work, 'single-scenario');
  await mkdir(single);
  await copyFile(join(scenariosDir, `${SAAS}.yaml`), join(single, `${SAAS}.yaml`));
  await built;
}

// A fresh clone builds the libraries too; concurrent tests wait for it inside their own time.
beforeAll(setup, SPAWN_TIMEOUT);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

const parseGrade = (r: Run): Grade => JSON.parse(r.stdout) as Grade;
const noStack = (r: Run) => expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('hatch scenarios', () => {
  it.concurrent('lists every scenario with its id, difficulty, time, formats and title', async () => {
    const r = await run(['scenarios']);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^ID\s+DIFFICULTY\s+TIME\s+FORMATS\s+TITLE$/);
    for (const id of scenarioIds) expect(r.stdout).toMatch(new RegExp(`^${id}\\s`, 'm'));
    expect(r.stdout).toContain(saas.title);
    expect(r.stdout).not.toContain('\u001b['); // not a terminal: no colors
  }, SPAWN_TIMEOUT);

  it.concurrent('prints JSON with --json', async () => {
    const r = await run(['scenarios', '--json']);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { id: string; title: string; formats: string[]; difficulty: string }[];
    expect(list.map((s) => s.id)).toEqual(scenarioIds);
    expect(list.find((s) => s.id === SAAS)).toMatchObject({ title: saas.title, formats: saas.formats, difficulty: saas.difficulty });
  }, SPAWN_TIMEOUT);

  it.concurrent('shows one scenario with its question ids and no answer key', async () => {
    const r = await run(['scenarios', SAAS, '--json']);
    expect(r.code).toBe(0);
    const scenario = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(scenario).toMatchObject({ id: SAAS, prompt: saas.prompt });
    expect(scenario).not.toHaveProperty('referenceModel');
    expect(scenario).not.toHaveProperty('rubric');
    const human = await run(['scenarios', SAAS]);
    for (const question of saas.productQuestions) expect(human.stdout).toContain(question.id);
  }, SPAWN_TIMEOUT);

  it.concurrent('reads the folder from --scenarios-dir or HATCH_SCENARIOS_DIR', async () => {
    const byOption = await run(['scenarios', '--json', '--scenarios-dir', 'single-scenario']);
    expect((JSON.parse(byOption.stdout) as { id: string }[]).map((s) => s.id)).toEqual([SAAS]);
    const byEnv = await run(['scenarios', '--json'], { env: { HATCH_SCENARIOS_DIR: join(work, 'single-scenario') } });
    expect((JSON.parse(byEnv.stdout) as { id: string }[]).map((s) => s.id)).toEqual([SAAS]);
  }, SPAWN_TIMEOUT);
});

describe('hatch export and grade on the reference model', () => {
  it.concurrent('exports the reference model to SQL and grades the SQL high on List and Optimize', async () => {
    const exported = await run(['export', '--to', 'sql', 'reference.json', '-o', 'reference.sql']);
    expect(exported).toMatchObject({ code: 0, stdout: '' });
    expect(await readFile(join(work, 'reference.sql'), 'utf8')).toMatch(/CREATE TABLE tenants/);

    const graded = await run(['grade', '--scenario', SAAS, 'reference.sql', '--json']);
    expect(graded.code).toBe(0);
    const result = parseGrade(graded);
    expect(result.scenarioId).toBe(SAAS);
    expect(result.stages.list.score).toBeGreaterThanOrEqual(90);
    expect(result.stages.optimize.score).toBeGreaterThanOrEqual(90);
    expect(result.stages.frame.score).toBeLessThan(10); // DDL carries no frame notes
  }, SPAWN_TIMEOUT);

  it.concurrent('with the notes exported from the same model, scores at least 90 in every stage', async () => {
    await run(['export', '--to', 'sql', 'reference.json', '-o', 'with-notes.sql']);
    const notes = await run(['export', '--to', 'notes', 'reference.json', '-o', 'reference-notes.md']);
    expect(notes.code).toBe(0);
    expect(await readFile(join(work, 'reference-notes.md'), 'utf8')).toMatch(/^## Win$/m);

    const graded = await run(['grade', '--scenario', SAAS, 'with-notes.sql', '--notes', 'reference-notes.md', '--json']);
    expect(graded.code).toBe(0);
    const result = parseGrade(graded);
    for (const stage of ['frame', 'list', 'optimize', 'win'] as const) expect(result.stages[stage].score).toBeGreaterThanOrEqual(90);

    const human = await run(['grade', '-s', SAAS, 'with-notes.sql', '-n', 'reference-notes.md']);
    expect(human.code).toBe(0);
    const lines = human.stdout.split('\n');
    for (const label of ['Frame', 'List', 'Optimize', 'Win']) {
      const line = lines.find((l) => l.trimStart().startsWith(`${label} `));
      expect(line).toMatch(new RegExp(`${label}\\s+[█▏▎▍▌▋▊▉░]{24} +${result.stages[label.toLowerCase() as 'frame'].score}$`));
    }
    expect(human.stdout).toMatch(new RegExp(`Total\\s+${result.total}\\n`));
    expect(human.stdout).toContain('Weak moves');
    expect(human.stdout).toContain('Checks ');
  }, SPAWN_TIMEOUT);

  it.concurrent('grades model JSON at 90+ in every stage, and the DBML exported from it at 90+ on List', async () => {
    const json = parseGrade(await run(['grade', '--scenario', SAAS, 'reference.json', '--json']));
    for (const stage of ['frame', 'list', 'optimize', 'win'] as const) expect(json.stages[stage].score).toBeGreaterThanOrEqual(90);
    expect((await run(['export', '--to', 'dbml', 'reference.json', '-o', 'reference.dbml'])).code).toBe(0);
    const dbml = parseGrade(await run(['grade', '--scenario', SAAS, 'reference.dbml', '--json']));
    expect(dbml.stages.list.score).toBeGreaterThanOrEqual(90);
  }, SPAWN_TIMEOUT);

  it.concurrent('lists every check with --verbose, and colors with FORCE_COLOR', async () => {
    const quiet = await run(['grade', '--scenario', SAAS, 'reference.json']);
    const verbose = await run(['grade', '--scenario', SAAS, 'reference.json', '--verbose']);
    expect(verbose.code).toBe(0);
    expect(verbose.stdout.split('\n').filter((l) => l.startsWith('  ✓ ')).length).toBeGreaterThan(20);
    expect(quiet.stdout.split('\n').filter((l) => l.startsWith('  ✓ '))).toEqual([]);
    const colored = await run(['grade', '--scenario', SAAS, 'reference.json'], { env: { FORCE_COLOR: '1' } });
    expect(colored.stdout).toContain('\u001b[32m█');
  }, SPAWN_TIMEOUT);

  it.concurrent('exports Mermaid and reads a model from stdin with --format', async () => {
    const mermaid = await run(['export', '--to', 'mermaid', 'reference.json']);
    expect(mermaid.code).toBe(0);
    expect(mermaid.stdout).toMatch(/^erDiagram$/m);

    const fromStdin = await run(['export', '--to', 'json', '--format', 'sql', '-'], { stdin: FILES['tiny.sql'] });
    expect(fromStdin.code).toBe(0);
    expect((JSON.parse(fromStdin.stdout) as { entities: { name: string }[] }).entities.map((e) => e.name)).toEqual(['tenants']);

    const graded = await run(['grade', '--scenario', SAAS, '--format', 'sql', '-', '--json'], { stdin: FILES['tiny.sql'] });
    expect(graded.code).toBe(0);
    expect(parseGrade(graded).total).toBeLessThan(30);
  }, SPAWN_TIMEOUT);

  it.concurrent('exits 0 for a low score', async () => {
    const r = await run(['grade', '--scenario', SAAS, 'tiny.sql']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('✗');
  }, SPAWN_TIMEOUT);
});

describe('usage', () => {
  it.concurrent('prints help with exit 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: hatch/);
    expect(r.stdout).toMatch(/grade/);
  }, SPAWN_TIMEOUT);

  it.concurrent.each([
    ['no command', [], /Usage: hatch/],
    ['an unknown command', ['grades'], /unknown command 'grades'/],
    ['a missing --scenario', ['grade', 'reference.json'], /required option '-s, --scenario <id>' not specified/],
    ['an unknown export format', ['export', '--to', 'pdf', 'reference.json'], /argument 'pdf' is invalid\. Allowed choices are sql, dbml, mermaid, json, notes/],
    ['an unknown option', ['scenarios', '--colour'], /unknown option '--colour'/],
  ])('exits 2 for %s', async (_name, args, message) => {
    const r = await run(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    noStack(r);
  }, SPAWN_TIMEOUT);
});

describe('bad input: exit 2 with a message naming the file and the problem', () => {
  const grade = (file: string, ...more: string[]) => ['grade', '--scenario', SAAS, file, ...more];
  it.concurrent.each([
    ['an unknown scenario to show', ['scenarios', 'nope'], 'hatch: unknown scenario "nope"; the scenarios in '],
    ['a missing model file', grade('missing.sql'), 'hatch: missing.sql: cannot read the model file: no such file'],
    ['a folder as the model', grade('folder.sql'), 'hatch: folder.sql: is a folder, not a model file'],
    ['an unknown extension', grade('model.txt'), 'hatch: model.txt: unknown extension ".txt"; a model file is .json, .sql'],
    ['stdin without --format', grade('-'), 'hatch: reading a model from standard input needs --format (json, sql, dbml)'],
    ['DDL that does not parse', grade('bad.sql'), 'bad.sql:2:8: DDL does not parse: syntax error at or near "TABLEX"\n  2 | CREATE TABLEX invoices (id uuid);\n    |        ^'],
    ['DBML that does not parse', grade('bad.dbml'), 'bad.dbml:3:1: DBML does not parse: '],
    ['JSON that does not parse', grade('bad.json'), "bad.json:2:16: model JSON does not parse: Unexpected token ','"],
    ['JSON that is not a valid model', grade('invalid.json'), 'invalid.json: not a valid model (1 problem):\n  entities[0].fields[0].type: '],
    ['an unknown scenario', ['grade', '--scenario', 'saas', 'reference.json'], `hatch: unknown scenario "saas" (did you mean "${SAAS}"?); the scenarios in `],
    ['a missing notes file', grade('reference.json', '--notes', 'nope.md'), 'hatch: nope.md: cannot read the notes file: no such file'],
    ['notes with an unknown section', grade('reference.json', '--notes', 'notes-bad-section.md'), 'notes-bad-section.md:3: unknown section "Acters"'],
    ['notes naming a missing table', grade('reference.json', '--notes', 'notes-bad-table.md'), 'notes-bad-table.md:2: Access patterns: the model has no table "api_keyz"'],
    ['notes answering an unknown question', grade('reference.json', '--notes', 'notes-bad-question.md'), `notes-bad-question.md:2: Win: scenario "${SAAS}" has no question "revenue-per-plan"`],
    ['model and notes both on stdin', grade('-', '--format', 'sql', '--notes', '-'), 'hatch: the model and the notes cannot both come from standard input'],
    ['a missing scenario folder', grade('reference.json', '--scenarios-dir', 'no-such-dir'), 'no-such-dir: no such scenario folder'],
    ['a broken scenario file', ['grade', '--scenario', 'broken', 'reference.json', '--scenarios-dir', 'broken-scenarios'], 'hatch: cannot load the scenarios'],
    ['a broken scenario file in the list', ['scenarios', '--scenarios-dir', 'broken-scenarios'], 'broken-scenarios/broken.yaml: '],
    ['export of DDL that does not parse', ['export', '--to', 'dbml', 'bad.sql'], 'bad.sql:2:8: DDL does not parse'],
    ['an unwritable output', ['export', '--to', 'sql', 'reference.json', '-o', 'no-such-dir/out.sql'], 'hatch: no-such-dir/out.sql: cannot write the sql output: no such file'],
  ])('%s', async (_name, args, message) => {
    const r = await run(args as string[]);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    noStack(r);
  }, SPAWN_TIMEOUT);

  it.concurrent('lists the valid scenario ids for an unknown one', async () => {
    const r = await run(['grade', '--scenario', 'nope', 'reference.json']);
    expect(r.code).toBe(2);
    for (const id of scenarioIds) expect(r.stderr).toContain(id);
  }, SPAWN_TIMEOUT);
});
