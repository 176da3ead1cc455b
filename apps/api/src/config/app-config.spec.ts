import { join, resolve } from 'node:path';
import { ConfigError, loadConfig } from './app-config';
import { DEFAULT_SCENARIOS_DIR, REPO_ROOT } from './paths';

const expectConfigError = (env: Record<string, string>, variable: string, message?: RegExp) => {
  let error: unknown;
  try {
    loadConfig(env, '/srv/hatch');
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(ConfigError);
  const configError = error as ConfigError;
  expect(configError.code).toBe('CONFIG_INVALID');
  expect(configError.message).toContain(variable);
  expect(configError.errors.map((e) => e.path)).toContain(variable);
  if (message) expect(configError.message).toMatch(message);
};

describe('loadConfig', () => {
  it('[C1] applies the documented defaults to an empty environment', () => {
    const config = loadConfig({}, '/srv/hatch');
    expect(config).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'embedded', path: '/srv/hatch/.hatch/pgdata' },
      dataDir: '/srv/hatch/.hatch',
      secret: undefined,
      tokenTtlSeconds: 7 * 86400,
      scenariosDir: DEFAULT_SCENARIOS_DIR,
      logLevel: 'log',
      logFormat: 'json',
    });
  });

  it('[C2] finds the default scenarios folder from the app location, not the cwd', () => {
    expect(DEFAULT_SCENARIOS_DIR).toBe(join(REPO_ROOT, 'scenarios'));
    expect(require(join(REPO_ROOT, 'package.json')).name).toBe('hatch');
  });

  it('[C3] reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        DATABASE_URL: 'postgres://app:pw@db.internal:5433/hatch_prod',
        HATCH_DATA_DIR: 'data',
        HATCH_SECRET: 's'.repeat(40),
        TOKEN_TTL: '12h',
        SCENARIOS_DIR: '/content/scenarios',
        LOG_LEVEL: 'debug',
        LOG_FORMAT: 'pretty',
      },
      '/srv/hatch',
    );
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      database: { kind: 'postgres', host: 'db.internal', database: 'hatch_prod', url: 'postgres://app:pw@db.internal:5433/hatch_prod' },
      dataDir: '/srv/hatch/data',
      secret: 's'.repeat(40),
      tokenTtlSeconds: 12 * 3600,
      scenariosDir: '/content/scenarios',
      logLevel: 'debug',
      logFormat: 'pretty',
    });
  });

  it.each([
    ['90', 90],
    ['45m', 2700],
    ['7d', 604800],
  ])('[C4] TOKEN_TTL %s is %i seconds', (value, seconds) => {
    expect(loadConfig({ TOKEN_TTL: value }).tokenTtlSeconds).toBe(seconds);
  });

  it('[C5] treats empty variables as unset and LOG_LEVEL=info as log', () => {
    const config = loadConfig({ PORT: '', DATABASE_URL: ' ', LOG_LEVEL: 'info' }, '/x');
    expect(config.port).toBe(3000);
    expect(config.database.kind).toBe('embedded');
    expect(config.logLevel).toBe('log');
    expect(resolve(config.scenariosDir)).toBe(DEFAULT_SCENARIOS_DIR);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['DATABASE_URL', 'mysql://localhost/hatch'],
    ['DATABASE_URL', 'postgres://localhost'],
    ['HATCH_SECRET', 'too-short'],
    ['TOKEN_TTL', 'forever'],
    ['TOKEN_TTL', '0'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_FORMAT', 'xml'],
  ])('[C6] rejects %s=%s, naming the variable', (variable, value) => {
    expectConfigError({ [variable]: value }, variable);
  });

  it('[C7] reports every bad variable at once and never echoes secrets', () => {
    let error: ConfigError | undefined;
    try {
      loadConfig({ PORT: 'x', HATCH_SECRET: 'hunter2', DATABASE_URL: 'mysql://u:topsecret@h/db' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.errors.map((e) => e.path).sort()).toEqual(['DATABASE_URL', 'HATCH_SECRET', 'PORT']);
    expect(error?.message).not.toContain('hunter2');
    expect(error?.message).not.toContain('topsecret');
  });
});
