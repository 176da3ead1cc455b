/** Token use, failures and latency of one session's LLM interviewer. */
export interface LlmUsage {
  model: string;
  /** Calls made (a `next` or a `judge`), each possibly several HTTP requests. */
  calls: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  /** Calls that failed: error, timeout, malformed or unusable reply. */
  failures: number;
  /** Moves that came from the offline interviewer instead (failure, budget spent, cooling down). */
  fallbacks: number;
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** Calls whose tokens were estimated (4 characters a token) because the server reported no usage. */
  estimatedCalls: number;
  tokenBudget: number;
  budgetLeft: number;
  budgetExhausted: boolean;
  /** Latency of each call in milliseconds, oldest first (the last 500). */
  latenciesMs: number[];
  medianLatencyMs: number | null;
  p95LatencyMs: number | null;
  lastError: string | null;
}

const MAX_LATENCIES = 500;

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export class UsageTracker {
  calls = 0;
  requests = 0;
  failures = 0;
  fallbacks = 0;
  promptTokens = 0;
  completionTokens = 0;
  estimatedCalls = 0;
  lastError: string | null = null;
  /** Tokens set aside by calls in flight, so two concurrent calls cannot overrun the budget. */
  reserved = 0;
  budgetExhausted = false;
  private readonly latencies: number[] = [];

  constructor(
    readonly model: string,
    readonly tokenBudget: number,
  ) {}

  get used() {
    return this.promptTokens + this.completionTokens;
  }

  /** Whether a call needing about `tokens` fits the budget left. */
  fits(tokens: number): boolean {
    const fits = this.used + this.reserved + tokens <= this.tokenBudget;
    if (!fits) this.budgetExhausted = true;
    return fits;
  }

  addTokens(prompt: number, completion: number, estimated: boolean) {
    this.promptTokens += prompt;
    this.completionTokens += completion;
    if (estimated) this.estimatedCalls++;
  }

  addLatency(ms: number) {
    this.latencies.push(Math.round(ms));
    if (this.latencies.length > MAX_LATENCIES) this.latencies.shift();
  }

  fail(error: string) {
    this.failures++;
    this.lastError = error;
  }

  snapshot(): LlmUsage {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    return {
      model: this.model,
      calls: this.calls,
      requests: this.requests,
      failures: this.failures,
      fallbacks: this.fallbacks,
      promptTokens: this.promptTokens,
      completionTokens: this.completionTokens,
      totalTokens: this.used,
      estimatedCalls: this.estimatedCalls,
      tokenBudget: this.tokenBudget,
      budgetLeft: Math.max(0, this.tokenBudget - this.used),
      budgetExhausted: this.budgetExhausted,
      latenciesMs: [...this.latencies],
      medianLatencyMs: percentile(sorted, 50),
      p95LatencyMs: percentile(sorted, 95),
      lastError: this.lastError,
    };
  }
}
