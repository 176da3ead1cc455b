import { isAbsolute, resolve } from 'node:path';
import { InterviewerConfigError, type LlmConfig, llmConfigFromEnv, OFFLINE_DEFAULTS } from '@hatch/interviewer';
import { z } from 'zod';
import { DomainError, type FieldError } from '../common/domain-error';
import { DEFAULT_SCENARIOS_DIR, DEFAULT_WEB_DIST_DIR } from './paths';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;
export type AppLogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = 'json' | 'pretty';

export type DatabaseTarget =
  | { kind: 'embedded'; path: string }
  | { kind: 'postgres'; url: string; host: string; database: string };

export interface AppConfig {
  port: number;
  host: string;
  database: DatabaseTarget;
  /** Absolute; holds the embedded database, its lock file and the generated signing secret. */
  dataDir: string;
  /** Join token signing key: HATCH_SECRET, or the key generated into the data dir (`signing-secret.ts`). */
  secret: string;
  tokenTtlSeconds: number;
  scenariosDir: string;
  logLevel: AppLogLevel;
  logFormat: LogFormat;
  /** REDIS_URL: several api processes share rooms through this Redis; unset → one process serves everything. */
  redis: RedisTarget | undefined;
  /** Prefix of every Redis key and channel Hatch uses, so deployments (or test runs) can share one Redis. */
  redisKeyPrefix: string;
  /** How often the session channel re-sends the `timer` event to connected clients. */
  sessionTimerIntervalSeconds: number;
  /** The Yjs sync endpoint (`/collab/:sessionId`): limits and snapshot policy. */
  collab: CollabConfig;
  /** Live grading of session documents (scores over time). */
  grading: GradingConfig;
  interviewer: InterviewerConfig;
  /** WEB_DIST_DIR: the built web client (`index.html` + `assets/`), served at `/`. */
  webDistDir: string;
}

/** The AI interviewer (`src/modules/interviewer`). */
export interface InterviewerConfig {
  /** INTERVIEWER_TICK_MS: how often each driven session is looked at (pacing, stalls) and its lease renewed. */
  tickMs: number;
  /** INTERVIEWER_QUIET_MS: least time between two moves of the AI in a mock interview. */
  quietMs: number;
  /** INTERVIEWER_STALL_MS: no progress for this long is a stall (the AI asks or hints). */
  stallAfterMs: number;
  /** INTERVIEWER_OPEN_HINT_MS: an open follow-up with no answer and no progress for this long gets a hint. */
  openHintAfterMs: number;
  /** INTERVIEWER_PACE: multiplies the scenario's minutes per stage for the AI's pacing (0.1 = ten times faster). */
  pace: number;
  /** OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_MODEL, HATCH_LLM_*: an OpenAI-compatible endpoint; null → offline only. */
  llm: LlmConfig | null;
}

export interface GradingConfig {
  /** GRADE_DEBOUNCE_MS: a session is graded once its document has been quiet this long... */
  debounceMs: number;
  /** GRADE_MAX_WAIT_MS: ...or at the latest this long after the first change not yet graded. */
  maxWaitMs: number;
  /** GRADE_TIMEOUT_MS: a grade that takes longer stops the grading worker, which is restarted. */
  timeoutMs: number;
  /** GRADE_MIN_INTERVAL_MS: a session is graded at most this often (bursty typing would fire per burst). */
  minIntervalMs: number;
  /** GRADE_MIRROR_IDLE_MS: the worker's copy of a room unchanged and unread this long is dropped (0: never). */
  mirrorIdleMs: number;
  /** GRADE_WORKER_NICE: niceness of the grading thread on Linux (0–19; 0 leaves it at the api's). */
  workerNice: number;
}

export interface CollabConfig {
  /** COLLAB_MAX_MESSAGE_BYTES: a larger WebSocket message closes the connection (4413). */
  maxMessageBytes: number;
  /** COLLAB_RATE_LIMIT: sustained messages per second per connection; faster closes it (4429). */
  ratePerSecond: number;
  /** COLLAB_RATE_BURST: messages a connection may send at once. */
  rateBurst: number;
  /** COLLAB_SNAPSHOT_EVERY: a snapshot after this many updates... */
  snapshotEveryUpdates: number;
  /** COLLAB_SNAPSHOT_INTERVAL: ...or this long after the first update since the last one. */
  snapshotIntervalSeconds: number;
}

export interface RedisTarget {
  url: string;
  /** `host:port` only: the URL may carry a password. */
  address: string;
}

/** The configuration as the environment gives it: the secret is still missing when HATCH_SECRET is unset. */
export type EnvConfig = Omit<AppConfig, 'secret'> & { secret: string | undefined };

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends DomainError {
  constructor(errors: FieldError[]) {
    super('CONFIG_INVALID', `Invalid configuration: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}`, errors);
  }
}

const TTL_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const TTL_PATTERN = /^(\d+)\s*([smhd]?)$/;

// An empty variable (`FOO=`) counts as unset, as most process managers and .env files write it.
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(blankAsUnset, z.string().optional());

function wholeNumber(min: number, max: number, fallback: number) {
  const message = `must be a whole number between ${min} and ${max}`;
  return z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^\d+$/, message)
      .transform(Number)
      .refine((n) => n >= min && n <= max, message)
      .default(fallback),
  );
}

const envSchema = z.object({
  PORT: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number between 0 and 65535')
      .transform(Number)
      .refine((n) => n <= 65535, 'must be a whole number between 0 and 65535')
      .default(3000),
  ),
  HOST: z.preprocess(blankAsUnset, z.string().default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .refine(isPostgresUrl, 'must be a postgres:// or postgresql:// URL with a host and a database name')
      .optional(),
  ),
  HATCH_DATA_DIR: z.preprocess(blankAsUnset, z.string().default('./.hatch')),
  HATCH_SECRET: z.preprocess(
    blankAsUnset,
    z.string().min(32, 'must be at least 32 characters (or unset it to have one generated)').optional(),
  ),
  TOKEN_TTL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(TTL_PATTERN, 'must be a duration such as 3600, 90m, 12h or 7d')
      .transform(parseTtl)
      .refine((s) => s > 0, 'must be longer than zero')
      .default(7 * 86400),
  ),
  SCENARIOS_DIR: optionalString,
  WEB_DIST_DIR: optionalString,
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim().toLowerCase() === 'info' ? 'log' : blankAsUnset(v)),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('log'),
  ),
  LOG_FORMAT: z.preprocess(
    blankAsUnset,
    z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).default('json'),
  ),
  REDIS_URL: z.preprocess(blankAsUnset, z.string().refine(isRedisUrl, 'must be a redis:// or rediss:// URL with a host').optional()),
  REDIS_KEY_PREFIX: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^[A-Za-z0-9_.:-]{1,100}$/, 'must be 1–100 letters, digits or _ . : -')
      .default('hatch'),
  ),
  COLLAB_MAX_MESSAGE_BYTES: wholeNumber(1024, 64 * 1024 * 1024, 1024 * 1024),
  COLLAB_RATE_LIMIT: wholeNumber(1, 100_000, 200),
  COLLAB_RATE_BURST: wholeNumber(1, 1_000_000, 500),
  COLLAB_SNAPSHOT_EVERY: wholeNumber(1, 1_000_000, 500),
  COLLAB_SNAPSHOT_INTERVAL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(TTL_PATTERN, 'must be a duration such as 60, 30s, 5m or 1h')
      .transform(parseTtl)
      .refine((s) => s > 0, 'must be longer than zero')
      .default(60),
  ),
  GRADE_DEBOUNCE_MS: wholeNumber(0, 60_000, 300),
  GRADE_MAX_WAIT_MS: wholeNumber(0, 600_000, 2000),
  GRADE_TIMEOUT_MS: wholeNumber(100, 600_000, 10_000),
  GRADE_MIRROR_IDLE_MS: wholeNumber(0, 86_400_000, 60_000),
  GRADE_MIN_INTERVAL_MS: wholeNumber(0, 600_000, 1000),
  GRADE_WORKER_NICE: wholeNumber(0, 19, 10),
  INTERVIEWER_TICK_MS: wholeNumber(50, 600_000, 5000),
  INTERVIEWER_QUIET_MS: wholeNumber(0, 3_600_000, OFFLINE_DEFAULTS.quietMs),
  INTERVIEWER_STALL_MS: wholeNumber(0, 3_600_000, OFFLINE_DEFAULTS.stallAfterMs),
  INTERVIEWER_OPEN_HINT_MS: wholeNumber(0, 3_600_000, OFFLINE_DEFAULTS.openHintAfterMs),
  INTERVIEWER_PACE: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^\d+(\.\d+)?$/, 'must be a number between 0.001 and 100')
      .transform(Number)
      .refine((n) => n >= 0.001 && n <= 100, 'must be a number between 0.001 and 100')
      .default(1),
  ),
  SESSION_TIMER_INTERVAL: z.preprocess(
    blankAsUnset,
    z
      .string()
      .regex(/^\d+$/, 'must be a whole number of seconds between 1 and 3600')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 3600, 'must be a whole number of seconds between 1 and 3600')
      .default(15),
  ),
});

/**
 * Reads and validates the environment. Throws `ConfigError` naming each bad variable; values are not
 * echoed back because DATABASE_URL and HATCH_SECRET may hold credentials.
 */
export function loadConfig(env: Env, cwd: string = process.cwd()): EnvConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ path: String(issue.path[0] ?? 'environment'), message: issue.message })),
    );
  }
  const vars = parsed.data;
  if (vars.GRADE_MAX_WAIT_MS < vars.GRADE_DEBOUNCE_MS) {
    throw new ConfigError([{ path: 'GRADE_MAX_WAIT_MS', message: 'must not be shorter than GRADE_DEBOUNCE_MS' }]);
  }
  const dataDir = resolve(cwd, vars.HATCH_DATA_DIR);
  const llm = readLlmConfig(env);
  return {
    port: vars.PORT,
    host: vars.HOST,
    database: vars.DATABASE_URL ? postgresTarget(vars.DATABASE_URL) : { kind: 'embedded', path: resolve(dataDir, 'pgdata') },
    dataDir,
    secret: vars.HATCH_SECRET,
    tokenTtlSeconds: vars.TOKEN_TTL,
    scenariosDir: vars.SCENARIOS_DIR ? resolvePath(cwd, vars.SCENARIOS_DIR) : DEFAULT_SCENARIOS_DIR,
    logLevel: vars.LOG_LEVEL,
    logFormat: vars.LOG_FORMAT,
    redis: vars.REDIS_URL ? redisTarget(vars.REDIS_URL) : undefined,
    redisKeyPrefix: vars.REDIS_KEY_PREFIX,
    sessionTimerIntervalSeconds: vars.SESSION_TIMER_INTERVAL,
    collab: {
      maxMessageBytes: vars.COLLAB_MAX_MESSAGE_BYTES,
      ratePerSecond: vars.COLLAB_RATE_LIMIT,
      rateBurst: vars.COLLAB_RATE_BURST,
      snapshotEveryUpdates: vars.COLLAB_SNAPSHOT_EVERY,
      snapshotIntervalSeconds: vars.COLLAB_SNAPSHOT_INTERVAL,
    },
    grading: { debounceMs: vars.GRADE_DEBOUNCE_MS, maxWaitMs: vars.GRADE_MAX_WAIT_MS, timeoutMs: vars.GRADE_TIMEOUT_MS, minIntervalMs: vars.GRADE_MIN_INTERVAL_MS, mirrorIdleMs: vars.GRADE_MIRROR_IDLE_MS, workerNice: vars.GRADE_WORKER_NICE },
    interviewer: {
      tickMs: vars.INTERVIEWER_TICK_MS,
      quietMs: vars.INTERVIEWER_QUIET_MS,
      stallAfterMs: vars.INTERVIEWER_STALL_MS,
      openHintAfterMs: vars.INTERVIEWER_OPEN_HINT_MS,
      pace: vars.INTERVIEWER_PACE,
      llm,
    },
    webDistDir: vars.WEB_DIST_DIR ? resolvePath(cwd, vars.WEB_DIST_DIR) : DEFAULT_WEB_DIST_DIR,
  };
}

/**
 * The interviewer library reads and checks its own variables; a bad one is a configuration error like
 * any other, without the value (a base URL may carry credentials).
 */
function readLlmConfig(env: Env): LlmConfig | null {
  try {
    return llmConfigFromEnv(env);
  } catch (error) {
    if (error instanceof InterviewerConfigError) {
      const message = error.message.slice(error.variable.length + 2).replace(/,? got .*$/s, '');
      throw new ConfigError([{ path: error.variable, message }]);
    }
    throw error;
  }
}

/** Which interviewer sessions get, for the start line. */
export function describeInterviewer(config: InterviewerConfig): string {
  if (!config.llm) return 'offline';
  const endpoint = config.llm.baseURL ? new URL(config.llm.baseURL).host : 'api.openai.com';
  return `${config.llm.model} at ${endpoint} (offline fallback)`;
}

function parseTtl(value: string): number {
  const [, amount, unit] = TTL_PATTERN.exec(value) ?? [];
  return Number(amount) * TTL_UNITS[unit || 's'];
}

function isPostgresUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.pathname.length > 1;
  } catch {
    return false;
  }
}

function isRedisUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'redis:' || url.protocol === 'rediss:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function redisTarget(url: string): RedisTarget {
  const parsed = new URL(url);
  return { url, address: `${parsed.hostname}:${parsed.port || '6379'}` };
}

function postgresTarget(url: string): DatabaseTarget {
  const parsed = new URL(url);
  return { kind: 'postgres', url, host: parsed.hostname, database: decodeURIComponent(parsed.pathname.slice(1)) };
}

function resolvePath(cwd: string, path: string): string {
  return isAbsolute(path) ? path : resolve(cwd, path);
}

/** Human-readable description of where the data lives, for the start line and health. */
export function describeDatabase(target: DatabaseTarget): string {
  return target.kind === 'embedded'
    ? `embedded PGlite at ${target.path}`
    : `PostgreSQL ${target.host}/${target.database}`;
}
