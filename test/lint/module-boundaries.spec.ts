import { execFileSync } from 'node:child_process';
import path from 'node:path';

// The libraries are pure: lint must fail when one of them imports a framework, a driver or a library above it.
const boundaryRules = ['@nx/enforce-module-boundaries', 'no-restricted-imports'];
const root = path.resolve(__dirname, '../..');

// The ESLint CLI reads the code from stdin as if it were `filePath` (ESLint's flat config cannot load inside Jest's VM).
async function lintAs(filePath: string, code: string): Promise<string[]> {
  let out: string;
  try {
    out = execFileSync(process.execPath, [path.join(root, 'node_modules/eslint/bin/eslint.js'), '--format', 'json', '--stdin', '--stdin-filename', filePath], {
      cwd: root,
      input: code,
      encoding: 'utf8',
    });
  } catch (error) {
    out = (error as { stdout: string }).stdout; // exit code 1 when the code has lint errors
  }
  const [result] = JSON.parse(out) as { messages: { ruleId: string | null; message: string }[] }[];
  return result.messages.filter((m) => boundaryRules.includes(m.ruleId ?? '')).map((m) => m.message);
}

describe('module boundaries', () => {
  it.each([
    ['libs/model/src/probe.ts', '@nestjs/common', "import { Injectable } from '@nestjs/common';"],
    ['libs/model/src/probe.ts', 'typeorm', "import { DataSource } from 'typeorm';"],
    ['libs/scenarios/src/probe.ts', 'pg', "import { Pool } from 'pg';"],
    ['libs/scenarios/src/probe.ts', 'socket.io', "import { Server } from 'socket.io';"],
    ['libs/model/src/probe.ts', 'react', "import { useState } from 'react';"],
    ['libs/collab/src/probe.ts', 'ws', "import { WebSocket } from 'ws';"],
    ['libs/collab/src/probe.ts', 'ioredis', "import { Redis } from 'ioredis';"],
  ])('%s may not import %s', async (file, pkg, code) => {
    const messages = await lintAs(file, `${code}\nexport const probe = 1;\n`);
    expect(messages.join('\n')).toMatch(new RegExp(`not allowed to import "${pkg}"|'${pkg}' import is restricted`));
  });

  it('the collab room core depends on model and protocol only (not scenarios)', async () => {
    const messages = await lintAs('libs/collab/src/probe.ts', "import { loadScenarioLibrary } from '@hatch/scenarios';\nexport const probe = loadScenarioLibrary;\n");
    expect(messages.length).toBeGreaterThan(0);
    const allowed = await lintAs('libs/collab/src/probe.ts', "import { canWrite } from '@hatch/protocol';\nexport const probe = canWrite;\n");
    expect(allowed).toEqual([]);
  });

  it('a library may not depend on a library above it (model -> scenarios)', async () => {
    const messages = await lintAs('libs/model/src/probe.ts', "import { loadScenarioLibrary } from '@hatch/scenarios';\nexport const probe = loadScenarioLibrary;\n");
    expect(messages.length).toBeGreaterThan(0);
  });

  it('the api may import NestJS and the libraries', async () => {
    const messages = await lintAs(
      'apps/api/src/probe.ts',
      "import { Injectable } from '@nestjs/common';\nimport { modelSchema } from '@hatch/model';\nexport const probe = [Injectable, modelSchema];\n",
    );
    expect(messages).toEqual([]);
  });
});
