import { InterviewerConfigError, LLM_DEFAULTS, llmConfigFromEnv } from './llm-config';

describe('llmConfigFromEnv', () => {
  it('[E1] no key (unset or blank): no LLM interviewer', () => {
    expect(llmConfigFromEnv({})).toBeNull();
    expect(llmConfigFromEnv({ OPENAI_API_KEY: '  ', OPENAI_MODEL: 'x' })).toBeNull();
  });

  it('[E2] a key alone: OpenAI with the defaults', () => {
    expect(llmConfigFromEnv({ OPENAI_API_KEY: 'sk-test' })).toEqual({
      apiKey: 'sk-test',
      baseURL: null,
      model: LLM_DEFAULTS.model,
      timeoutMs: 15_000,
      maxRetries: 2,
      deadlineMs: 30_000,
      tokenBudget: 200_000,
      maxOutputTokens: 600,
      responseFormat: 'json_schema',
    });
  });

  it('[E3] every variable read', () => {
    expect(
      llmConfigFromEnv({
        OPENAI_API_KEY: 'local',
        OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1/',
        OPENAI_MODEL: 'llama3.1:8b',
        HATCH_LLM_TIMEOUT_MS: '5000',
        HATCH_LLM_MAX_RETRIES: '0',
        HATCH_LLM_DEADLINE_MS: '7000',
        HATCH_LLM_TOKEN_BUDGET: '50000',
        HATCH_LLM_MAX_OUTPUT_TOKENS: '300',
        HATCH_LLM_RESPONSE_FORMAT: 'none',
      }),
    ).toEqual({ apiKey: 'local', baseURL: 'http://127.0.0.1:11434/v1', model: 'llama3.1:8b', timeoutMs: 5000, maxRetries: 0, deadlineMs: 7000, tokenBudget: 50_000, maxOutputTokens: 300, responseFormat: 'none' });
  });

  it.each([
    ['OPENAI_BASE_URL', 'localhost:11434', 'expected an http(s) URL such as http://localhost:11434/v1, got "localhost:11434"'],
    ['OPENAI_BASE_URL', 'not a url', 'expected an http(s) URL such as http://localhost:11434/v1, got "not a url"'],
    ['OPENAI_BASE_URL', 'ftp://models.example/v1', 'expected an http(s) URL such as http://localhost:11434/v1, got "ftp://models.example/v1"'],
    ['OPENAI_MODEL', 'gpt 4o', 'expected a model name without spaces'],
    ['HATCH_LLM_TIMEOUT_MS', '5s', 'expected a whole number from 100 to 600000, got "5s"'],
    ['HATCH_LLM_TIMEOUT_MS', '50', 'expected a whole number from 100 to 600000, got 50'],
    ['HATCH_LLM_MAX_RETRIES', '-1', 'expected a whole number from 0 to 10'],
    ['HATCH_LLM_TOKEN_BUDGET', '1e6', 'expected a whole number'],
    ['HATCH_LLM_RESPONSE_FORMAT', 'xml', 'expected one of json_schema, json_object, none, got "xml"'],
  ])('[E4] a bad %s (%s) stops with an error naming it', (variable, value, message) => {
    let error: unknown;
    try {
      llmConfigFromEnv({ OPENAI_API_KEY: 'sk-test', [variable]: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InterviewerConfigError);
    expect(error).toMatchObject({ code: 'INTERVIEWER_CONFIG_INVALID', variable });
    expect((error as Error).message).toContain(`${variable}: ${message}`);
  });
});
