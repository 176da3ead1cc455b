import nx from '@nx/eslint-plugin';

// Libraries are pure: they may depend only on libraries below them in
// model <- scenarios <- grader <- interviewer <- apps, and never on a framework,
// an ORM, a database driver, a socket library or React.
const frameworkImports = [
  '@nestjs/*',
  'typeorm',
  'pg',
  'pg-*',
  '@electric-sql/*',
  'socket.io',
  'socket.io-*',
  'ws',
  'y-websocket',
  'ioredis',
  'redis',
  '@socket.io/*',
  'express',
  'react',
  'react-*',
  '@xyflow/*',
];

const moduleBoundaries = {
  enforceBuildableLibDependency: false,
  allow: [],
  depConstraints: [
    { sourceTag: 'scope:lib', bannedExternalImports: frameworkImports },
    { sourceTag: 'type:model', onlyDependOnLibsWithTags: ['type:model'] },
    { sourceTag: 'type:scenarios', onlyDependOnLibsWithTags: ['type:model'] },
    { sourceTag: 'type:grader', onlyDependOnLibsWithTags: ['type:model', 'type:scenarios'] },
    { sourceTag: 'type:interviewer', onlyDependOnLibsWithTags: ['type:model', 'type:scenarios', 'type:grader'] },
    // shared wire types (socket event maps, close codes) for server and clients
    { sourceTag: 'type:protocol', onlyDependOnLibsWithTags: ['type:model', 'type:scenarios', 'type:grader', 'type:interviewer'] },
    // the realtime room core: Yjs sync, group commit, snapshots; storage and transport behind interfaces
    { sourceTag: 'type:collab', onlyDependOnLibsWithTags: ['type:model', 'type:protocol'] },
    { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:lib'] },
    { sourceTag: 'scope:test', onlyDependOnLibsWithTags: ['scope:lib', 'scope:app'] },
  ],
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/node_modules', '**/.hatch', '**/coverage', 'test-artifacts'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', moduleBoundaries],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Cross-project tests (test/, scope:test) may use the api's own test helpers (test/web starts the real api).
  {
    files: ['test/**/*.ts'],
    rules: { '@nx/enforce-module-boundaries': ['error', { ...moduleBoundaries, allow: ['@hatch/api/src/**'] }] },
  },
  // Nx only recognises packages that are installed; this catches the same imports by name, installed or not.
  {
    files: ['libs/**/*.ts', 'libs/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // matched against the import string itself, so a relative `./pg-types` is not caught
              regex: '^(@nestjs/|@electric-sql/|@socket\\.io/|@xyflow/|typeorm$|pg$|pg-|socket\\.io|ws$|y-websocket|ioredis|redis$|express$|react$|react-)',
              message: 'libraries stay framework-free: move this code to an app',
            },
          ],
        },
      ],
    },
  },
];
