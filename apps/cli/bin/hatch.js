#!/usr/bin/env node
'use strict';
// Launcher for `npx hatch`: runs the compiled CLI. On a fresh clone (no dist yet) it builds the CLI and
// the libraries it uses once with the workspace's TypeScript, then runs it. After changing sources,
// rebuild with `npm run build` (or `npx tsc -b apps/cli/tsconfig.lib.json`).
const { existsSync } = require('node:fs');
const { join, relative } = require('node:path');
const { spawnSync } = require('node:child_process');

const cliRoot = join(__dirname, '..');
const repoRoot = join(cliRoot, '..', '..');
const entry = join(cliRoot, 'dist', 'main.js');
const needed = [entry, ...['model', 'scenarios', 'grader'].map((lib) => join(repoRoot, 'libs', lib, 'dist', 'index.js'))];
const missing = needed.filter((file) => !existsSync(file));

if (missing.length > 0) {
  const buildCommand = 'npx tsc -b apps/cli/tsconfig.lib.json';
  process.stderr.write(`hatch: ${relative(repoRoot, missing[0])} is not built yet; building the CLI once (${buildCommand})…\n`);
  let tsc;
  try {
    tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
  } catch {
    tsc = null;
  }
  const result = tsc
    ? spawnSync(process.execPath, [tsc, '-b', join(cliRoot, 'tsconfig.lib.json')], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] })
    : { status: 1 };
  // tsc emits despite type errors elsewhere in the workspace; only a missing output is fatal.
  if (needed.some((file) => !existsSync(file))) {
    process.stderr.write(`hatch: the build failed (tsc exit ${result.status}). From the repository root: npm ci && npm run build\n`);
    process.exit(1);
  }
}

require(entry);
