import { isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DomainError, type FieldError } from '../common/domain-error';
import { DEFAULT_SCENARIOS_DIR } from './paths';

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
  LOG_LEVEL: z.preprocess(
    (v) => (typeof v === 'string' && v.trim().toLowerCase() === 'info' ? 'log' : blankAsUnset(v)),
    z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('log'),
  ),
  LOG_FORMAT: z.preprocess(
    blankAsUnset,
    z.enum(['json', 'pretty'], { error: 'must be json or pretty' }).default('json'),
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
  const dataDir = resolve(cwd, vars.HATCH_DATA_DIR);
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
  };
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
