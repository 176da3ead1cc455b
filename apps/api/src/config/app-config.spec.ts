import { join, resolve } from 'node:path';
import { ConfigError, describeInterviewer, loadConfig } from './app-config';
import { DEFAULT_SCENARIOS_DIR, DEFAULT_WEB_DIST_DIR, REPO_ROOT } from './paths';

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
      redis: undefined,
      redisKeyPrefix: 'hatch',
      sessionTimerIntervalSeconds: 15,
      collab: { maxMessageBytes: 1024 * 1024, ratePerSecond: 200, rateBurst: 500, snapshotEveryUpdates: 500, snapshotIntervalSeconds: 60 },
      grading: { debounceMs: 300, maxWaitMs: 2000, timeoutMs: 10_000, minIntervalMs: 1000, mirrorIdleMs: 60_000, workerNice: 10 },
      interviewer: { tickMs: 5000, quietMs: 45_000, stallAfterMs: 180_000, openHintAfterMs: 240_000, pace: 1, llm: null },
      webDistDir: DEFAULT_WEB_DIST_DIR,
    });
  });

  it('[C2] finds the default scenarios folder from the app location, not the cwd', () => {
    expect(DEFAULT_SCENARIOS_DIR).toBe(join(REPO_ROOT, 'scenarios'));
    expect(require(join(REPO_ROOT, 'package.json')).name).toBe('hatch');
    expect(DEFAULT_WEB_DIST_DIR).toBe(join(REPO_ROOT, 'apps/web/dist'));
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
        WEB_DIST_DIR: 'web',
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
      webDistDir: '/srv/hatch/web',
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
    ['REDIS_URL', 'http://localhost:6379'],
    ['REDIS_URL', 'localhost:6379'],
    ['REDIS_KEY_PREFIX', 'has space'],
    ['SESSION_TIMER_INTERVAL', '0'],
    ['SESSION_TIMER_INTERVAL', '1.5'],
    ['COLLAB_MAX_MESSAGE_BYTES', '10'],
    ['COLLAB_MAX_MESSAGE_BYTES', '1MiB'],
    ['COLLAB_RATE_LIMIT', '0'],
    ['COLLAB_RATE_BURST', '-5'],
    ['COLLAB_SNAPSHOT_EVERY', '0'],
    ['COLLAB_SNAPSHOT_INTERVAL', 'often'],
    ['GRADE_DEBOUNCE_MS', '-1'],
    ['GRADE_DEBOUNCE_MS', '0.5'],
    ['GRADE_DEBOUNCE_MS', '60001'],
    ['GRADE_MAX_WAIT_MS', 'soon'],
    ['GRADE_TIMEOUT_MS', '99'],
    ['INTERVIEWER_TICK_MS', '10'],
    ['INTERVIEWER_QUIET_MS', 'often'],
    ['INTERVIEWER_PACE', '0'],
    ['INTERVIEWER_PACE', 'fast'],
    ['OPENAI_BASE_URL', 'ftp://models.internal/v1'],
    ['HATCH_LLM_TIMEOUT_MS', 'soon'],
  ])('[C6] rejects %s=%s, naming the variable', (variable, value) => {
    expectConfigError({ OPENAI_API_KEY: 'sk-test', [variable]: value }, variable);
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

  it('[C8] reads the Redis target without exposing its password in the address', () => {
    const config = loadConfig({ REDIS_URL: 'redis://:s3cret@cache.internal:6380/2', REDIS_KEY_PREFIX: 'hatch-a:', SESSION_TIMER_INTERVAL: '5' });
    expect(config.redis).toEqual({ url: 'redis://:s3cret@cache.internal:6380/2', address: 'cache.internal:6380' });
    expect(config.redisKeyPrefix).toBe('hatch-a:');
    expect(config.sessionTimerIntervalSeconds).toBe(5);
    expect(loadConfig({ REDIS_URL: 'rediss://cache' }).redis?.address).toBe('cache:6379');
  });

  it('[C9] reads the collab limits and snapshot policy', () => {
    const config = loadConfig({
      COLLAB_MAX_MESSAGE_BYTES: '65536',
      COLLAB_RATE_LIMIT: '50',
      COLLAB_RATE_BURST: '80',
      COLLAB_SNAPSHOT_EVERY: '100',
      COLLAB_SNAPSHOT_INTERVAL: '5m',
    });
    expect(config.collab).toEqual({ maxMessageBytes: 65536, ratePerSecond: 50, rateBurst: 80, snapshotEveryUpdates: 100, snapshotIntervalSeconds: 300 });
  });

  it('[C10] reads the grading debounce, max wait, timeout and mirror idle time; a max wait below the debounce is refused', () => {
    expect(
      loadConfig({
        GRADE_DEBOUNCE_MS: '0',
        GRADE_MAX_WAIT_MS: '0',
        GRADE_TIMEOUT_MS: '500',
        GRADE_MIN_INTERVAL_MS: '0',
        GRADE_MIRROR_IDLE_MS: '0',
        GRADE_WORKER_NICE: '0',
      }).grading,
    ).toEqual({ debounceMs: 0, maxWaitMs: 0, timeoutMs: 500, minIntervalMs: 0, mirrorIdleMs: 0, workerNice: 0 });
    expectConfigError({ GRADE_MIRROR_IDLE_MS: '-5' }, 'GRADE_MIRROR_IDLE_MS', /./);
    expectConfigError({ GRADE_WORKER_NICE: '20' }, 'GRADE_WORKER_NICE', /./);
    expect(loadConfig({ GRADE_DEBOUNCE_MS: '1000' }).grading).toMatchObject({ debounceMs: 1000, maxWaitMs: 2000 });
    expectConfigError({ GRADE_DEBOUNCE_MS: '3000' }, 'GRADE_MAX_WAIT_MS', /must not be shorter than GRADE_DEBOUNCE_MS/);
  });

  it('[C11] the interviewer is offline without OPENAI_API_KEY; with it, any OpenAI-compatible endpoint from the environment alone', () => {
    expect(loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1', OPENAI_MODEL: 'llama3.1' }).interviewer.llm).toBeNull();
    const config = loadConfig({
      OPENAI_API_KEY: 'local',
      OPENAI_BASE_URL: 'http://localhost:11434/v1/',
      OPENAI_MODEL: 'llama3.1',
      INTERVIEWER_TICK_MS: '250',
      INTERVIEWER_QUIET_MS: '0',
      INTERVIEWER_STALL_MS: '1000',
      INTERVIEWER_OPEN_HINT_MS: '2000',
      INTERVIEWER_PACE: '0.05',
    });
    expect(config.interviewer).toMatchObject({ tickMs: 250, quietMs: 0, stallAfterMs: 1000, openHintAfterMs: 2000, pace: 0.05 });
    expect(config.interviewer.llm).toMatchObject({ apiKey: 'local', baseURL: 'http://localhost:11434/v1', model: 'llama3.1' });
    expect(describeInterviewer(config.interviewer)).toBe('llama3.1 at localhost:11434 (offline fallback)');
    expect(describeInterviewer(loadConfig({}).interviewer)).toBe('offline');
    expectConfigError({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: 'ftp://user:hunter2@models.internal' }, 'OPENAI_BASE_URL', /^(?!.*hunter2).*expected an http\(s\) URL/s);
  });
});
