/**
 * The LLM interviewer's configuration, from the environment. With no `OPENAI_API_KEY` there is no
 * LLM interviewer (null): the offline one runs. Bad values stop the start with an error naming the variable.
 */

export const responseFormats = ['json_schema', 'json_object', 'none'] as const;
export type ResponseFormat = (typeof responseFormats)[number];

export interface LlmConfig {
  apiKey: string;
  /** An OpenAI-compatible endpoint (`http://localhost:11434/v1`); null for OpenAI itself. */
  baseURL: string | null;
  model: string;
  /** Per HTTP attempt (the SDK's `timeout`); timeouts, 408/409/429 and 5xx are retried with backoff. */
  timeoutMs: number;
  /** Retries per call (the SDK's `maxRetries`). */
  maxRetries: number;
  /** The whole call, retries and streaming included: past it the call is abandoned and the offline move used. */
  deadlineMs: number;
  /** Prompt + completion tokens one session may spend; then every move comes from the offline interviewer. */
  tokenBudget: number;
  /** `max_tokens` of one reply. */
  maxOutputTokens: number;
  /** How the judge asks for JSON: `json_schema` (strict schema), `json_object`, or `none` (instructions only). */
  responseFormat: ResponseFormat;
}

export const LLM_DEFAULTS = {
  model: 'gpt-4o-mini',
  timeoutMs: 15_000,
  maxRetries: 2,
  tokenBudget: 200_000,
  maxOutputTokens: 600,
  responseFormat: 'json_schema' as ResponseFormat,
};

export class InterviewerConfigError extends Error {
  readonly code = 'INTERVIEWER_CONFIG_INVALID';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
    this.name = 'InterviewerConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  if (!/^\d+$/.test(raw)) throw new InterviewerConfigError(name, `expected a whole number from ${min} to ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new InterviewerConfigError(name, `expected a whole number from ${min} to ${max}, got ${value}`);
  return value;
}

/**
 * Reads `OPENAI_API_KEY` (required for an LLM interviewer), `OPENAI_BASE_URL`, `OPENAI_MODEL`,
 * `HATCH_LLM_TIMEOUT_MS`, `HATCH_LLM_MAX_RETRIES`, `HATCH_LLM_DEADLINE_MS`, `HATCH_LLM_TOKEN_BUDGET`,
 * `HATCH_LLM_MAX_OUTPUT_TOKENS` and `HATCH_LLM_RESPONSE_FORMAT`. Null without a key (unset or blank).
 */
export function llmConfigFromEnv(env: Env): LlmConfig | null {
  const apiKey = env.OPENAI_API_KEY?.trim();
  if (!apiKey) return null;
  let baseURL: string | null = null;
  const rawBase = env.OPENAI_BASE_URL?.trim();
  if (rawBase) {
    let url: URL;
    try {
      url = new URL(rawBase);
    } catch {
      throw new InterviewerConfigError('OPENAI_BASE_URL', `expected an http(s) URL such as http://localhost:11434/v1, got "${rawBase}"`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InterviewerConfigError('OPENAI_BASE_URL', `expected an http(s) URL such as http://localhost:11434/v1, got "${rawBase}"`);
    baseURL = rawBase.replace(/\/+$/, '');
  }
  const model = env.OPENAI_MODEL?.trim() || LLM_DEFAULTS.model;
  if (model.length > 200 || /\s/.test(model)) throw new InterviewerConfigError('OPENAI_MODEL', `expected a model name without spaces (at most 200 characters), got "${model.slice(0, 50)}"`);
  const timeoutMs = integer(env, 'HATCH_LLM_TIMEOUT_MS', LLM_DEFAULTS.timeoutMs, 100, 600_000);
  const maxRetries = integer(env, 'HATCH_LLM_MAX_RETRIES', LLM_DEFAULTS.maxRetries, 0, 10);
  const deadlineMs = integer(env, 'HATCH_LLM_DEADLINE_MS', defaultDeadline(timeoutMs), 100, 1_800_000);
  const tokenBudget = integer(env, 'HATCH_LLM_TOKEN_BUDGET', LLM_DEFAULTS.tokenBudget, 0, 100_000_000);
  const maxOutputTokens = integer(env, 'HATCH_LLM_MAX_OUTPUT_TOKENS', LLM_DEFAULTS.maxOutputTokens, 16, 32_000);
  const format = env.HATCH_LLM_RESPONSE_FORMAT?.trim() || LLM_DEFAULTS.responseFormat;
  if (!(responseFormats as readonly string[]).includes(format)) throw new InterviewerConfigError('HATCH_LLM_RESPONSE_FORMAT', `expected one of ${responseFormats.join(', ')}, got "${format}"`);
  return { apiKey, baseURL, model, timeoutMs, maxRetries, deadlineMs, tokenBudget, maxOutputTokens, responseFormat: format as ResponseFormat };
}

/** Two attempts' worth of time: a call never holds a session up longer. */
export const defaultDeadline = (timeoutMs: number) => 2 * timeoutMs;
