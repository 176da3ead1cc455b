import { performance } from 'node:perf_hooks';
import type { Move } from '@hatch/grader';
import OpenAI, { APIError, APIUserAbortError } from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { wasAsked, weakMoveWhy } from './follow-up-selection';
import { probeFor, stageWeakMoves } from './grade-view';
import type { Interviewer, InterviewerMove, InterviewState, NextMoveOptions } from './interviewer.types';
import { type JudgeOutcome, JUDGMENT_JSON_SCHEMA } from './judgment';
import { defaultDeadline, LLM_DEFAULTS, type LlmConfig, type ResponseFormat } from './llm-config';
import { type ChatMessage, estimateTokens, judgePrompt, judgeTargets, messagesTokens, nextPrompt } from './llm-prompt';
import { headerlessForwarder, parseJudgment, parseNextReply } from './llm-reply';
import { type LlmUsage, UsageTracker } from './llm-usage';
import { openFollowUp } from './offline-interviewer';
import { moveLabel } from './text';

export interface LlmInterviewerOptions extends Partial<Omit<LlmConfig, 'apiKey'>> {
  apiKey: string;
  /** The interviewer whose move is used whenever the model cannot give one (the offline interviewer). */
  fallback: Interviewer;
  /** Stream `next` replies (default true); false sends one request and waits for the whole reply. */
  stream?: boolean;
  /** After this many failed calls in a row the model is left alone for `cooldownMs` (default 3). */
  maxConsecutiveFailures?: number;
  /** How long to skip the model after repeated failures, on the sessions' clock (`state.now`; default 60 s). */
  cooldownMs?: number;
  /** The fetch the SDK uses (default the global one). */
  fetch?: typeof fetch;
}

export interface JudgeOptions {
  signal?: AbortSignal;
  /** Judge only these targets (check ids, `followup:<id>`); default every free-text check not passed and every follow-up answered in chat. */
  targets?: readonly string[];
}

export interface LlmInterviewer extends Interviewer {
  readonly kind: 'llm';
  /** Judges the free-text parts against the rubric. Never throws: a failure is `source: 'none'` with `error`. */
  judge(state: InterviewState, options?: JudgeOptions): Promise<JudgeOutcome>;
  usage(): LlmUsage;
}

type Reply = { ok: true; text: string } | { ok: false; error: string; skipped?: boolean };

class DeadlineError extends Error {}

/**
 * The interviewer backed by an OpenAI-compatible chat completions endpoint. The offline
 * interviewer decides when to speak (pacing, quiet period, one open follow-up, stage changes);
 * the model writes the follow-up or hint in the interviewer's voice and judges free text. Any
 * failure — error, timeout, malformed reply, a repeated question, the token budget spent — ends
 * in the offline move, counted in `usage()`. One instance per session.
 */
export function createLlmInterviewer(options: LlmInterviewerOptions): LlmInterviewer {
  const timeoutMs = options.timeoutMs ?? LLM_DEFAULTS.timeoutMs;
  const config = {
    model: options.model ?? LLM_DEFAULTS.model,
    timeoutMs,
    maxRetries: options.maxRetries ?? LLM_DEFAULTS.maxRetries,
    deadlineMs: options.deadlineMs ?? defaultDeadline(timeoutMs),
    tokenBudget: options.tokenBudget ?? LLM_DEFAULTS.tokenBudget,
    maxOutputTokens: options.maxOutputTokens ?? LLM_DEFAULTS.maxOutputTokens,
    stream: options.stream ?? true,
    maxConsecutiveFailures: options.maxConsecutiveFailures ?? 3,
    cooldownMs: options.cooldownMs ?? 60_000,
  };
  let responseFormat: ResponseFormat = options.responseFormat ?? LLM_DEFAULTS.responseFormat;
  const tracker = new UsageTracker(config.model, config.tokenBudget);
  const baseFetch = options.fetch ?? globalThis.fetch;
  const client = new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL ?? undefined,
    timeout: config.timeoutMs,
    maxRetries: config.maxRetries,
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      tracker.requests++;
      return baseFetch(input, init);
    },
  });
  let consecutiveFailures = 0;
  let coolUntil = -Infinity;

  /** One call: budget and cooldown first, then the request under the overall deadline; tokens and latency recorded. */
  async function call(state: InterviewState, messages: ChatMessage[], signal: AbortSignal | undefined, send: (signal: AbortSignal) => Promise<{ text: string; usage: { prompt: number; completion: number } | null }>): Promise<Reply> {
    if (state.now < coolUntil) return { ok: false, error: `skipping the model for a while after ${config.maxConsecutiveFailures} failures in a row`, skipped: true };
    const reserve = messagesTokens(messages) + config.maxOutputTokens;
    if (!tracker.fits(reserve)) return { ok: false, error: `token budget spent (${tracker.used} of ${config.tokenBudget} used)`, skipped: true };
    tracker.calls++;
    tracker.reserved += reserve;
    const controller = new AbortController();
    const abort = () => controller.abort();
    if (signal?.aborted) controller.abort();
    signal?.addEventListener('abort', abort, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new DeadlineError(`no reply within ${config.deadlineMs} ms`));
      }, config.deadlineMs);
    });
    const started = performance.now();
    const work = send(controller.signal);
    work.catch(() => undefined);
    try {
      const result = await Promise.race([work, deadline]);
      if (controller.signal.aborted) throw signal?.aborted ? new APIUserAbortError() : new DeadlineError(`no reply within ${config.deadlineMs} ms`);
      const estimated = result.usage === null;
      tracker.addTokens(result.usage?.prompt ?? messagesTokens(messages), result.usage?.completion ?? estimateTokens(result.text), estimated);
      return { ok: true, text: result.text };
    } catch (error) {
      return { ok: false, error: describe(error) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abort);
      tracker.reserved -= reserve;
      tracker.addLatency(performance.now() - started);
    }
  }

  function failed(state: InterviewState, error: string) {
    tracker.fail(error);
    consecutiveFailures++;
    if (consecutiveFailures >= config.maxConsecutiveFailures) {
      coolUntil = state.now + config.cooldownMs;
      consecutiveFailures = 0;
    }
  }

  async function complete(messages: ChatMessage[], signal: AbortSignal, extra: Partial<ChatCompletionCreateParamsNonStreaming> = {}) {
    const completion = await client.chat.completions.create({ model: config.model, messages, max_tokens: config.maxOutputTokens, ...extra, stream: false }, { signal });
    const usage = completion.usage ? { prompt: completion.usage.prompt_tokens, completion: completion.usage.completion_tokens } : null;
    return { text: completion.choices[0]?.message?.content ?? '', usage };
  }

  async function streamed(messages: ChatMessage[], signal: AbortSignal, onDelta: (delta: string) => void) {
    const stream = await client.chat.completions.create(
      { model: config.model, messages, max_tokens: config.maxOutputTokens, temperature: 0.4, stream: true, stream_options: { include_usage: true } },
      { signal },
    );
    let text = '';
    let usage: { prompt: number; completion: number } | null = null;
    for await (const chunk of stream) {
      if (chunk.usage) usage = { prompt: chunk.usage.prompt_tokens, completion: chunk.usage.completion_tokens };
      const delta = chunk.choices?.[0]?.delta?.content;
      if (delta) {
        text += delta;
        onDelta(delta);
      }
    }
    // The SDK ends an aborted stream quietly; a cut-off reply is a failure, not an answer.
    if (signal.aborted) throw new DeadlineError('the reply stream was cut off');
    return { text, usage };
  }

  async function next(state: InterviewState, nextOptions: NextMoveOptions = {}): Promise<InterviewerMove> {
    const proposal = await options.fallback.next(state, { signal: nextOptions.signal });
    if (proposal.kind !== 'followup' && proposal.kind !== 'hint') return proposal;
    const open = openFollowUp(state);
    const messages = nextPrompt(state, proposal, !open);
    const forward = headerlessForwarder(nextOptions.onText);
    const reply = await call(state, messages, nextOptions.signal, (signal) => (config.stream ? streamed(messages, signal, forward) : complete(messages, signal, { temperature: 0.4 })));
    const fallback = (error: string, counted = true) => {
      if (counted) failed(state, error);
      else tracker.lastError = error;
      tracker.fallbacks++;
      return proposal;
    };
    if (!reply.ok) return fallback(reply.error, !reply.skipped);
    consecutiveFailures = 0;
    const proposedMove = proposal.kind === 'followup' ? proposal.probe.move : proposal.move;
    const parsed = parseNextReply(reply.text, { kind: open ? 'hint' : proposal.kind, move: proposedMove });
    if (!parsed.ok) return fallback(parsed.error);
    const { kind, text } = parsed.value;
    const move: Move | null = parsed.value.move === 'none' || parsed.value.move === null ? (kind === 'followup' ? proposedMove : null) : parsed.value.move;
    if (kind === 'followup' && open) return fallback('the model asked a new follow-up while one is open');
    if (wasAsked(state, text)) return fallback('the model repeated a question already asked');
    const stage = state.stage ?? 'frame';
    if (kind === 'hint') {
      return { kind: 'hint', text, move, why: proposal.kind === 'hint' && proposal.move === move ? proposal.why : `A hint on ${move ? moveLabel(move) : 'the open question'}, written for this model.` };
    }
    const weak = state.grade && move ? stageWeakMoves(state.grade, stage).find((m) => m.move === move) : undefined;
    const sameAsProposal = proposal.kind === 'followup' && proposal.probe.move === move;
    return {
      kind: 'followup',
      // A rewording of the suggested bank question keeps its bank id, so the bank entry is not asked again.
      bankId: sameAsProposal && proposal.kind === 'followup' ? proposal.bankId : null,
      question: text,
      probe: sameAsProposal && proposal.kind === 'followup' ? proposal.probe : probeFor(state.grade, stage, move),
      why: sameAsProposal ? proposal.why : weak ? weakMoveWhy(weak, stage) : `A question on ${move ? moveLabel(move) : 'the model'}, written for this model.`,
    };
  }

  async function judge(state: InterviewState, judgeOptions: JudgeOptions = {}): Promise<JudgeOutcome> {
    const targets = judgeTargets(state, judgeOptions.targets);
    if (targets.length === 0) return { judgment: { verdicts: [], at: state.now }, source: 'none' };
    const messages = judgePrompt(state, targets);
    const ask = (format: ResponseFormat) => call(state, messages, judgeOptions.signal, (signal) => complete(messages, signal, { temperature: 0, ...responseFormatParam(format) }));
    let reply = await ask(responseFormat);
    if (!reply.ok && responseFormat !== 'none' && /\b400\b/.test(reply.error) && /response_format|json|schema|format/i.test(reply.error)) {
      // The server does not take this response_format: ask with instructions only from now on.
      responseFormat = 'none';
      reply = await ask(responseFormat);
    }
    if (!reply.ok) {
      if (!reply.skipped) failed(state, reply.error);
      return { judgment: { verdicts: [], at: state.now }, source: 'none', error: reply.error };
    }
    const parsed = parseJudgment(reply.text);
    if (!parsed.ok) {
      failed(state, parsed.error);
      return { judgment: { verdicts: [], at: state.now }, source: 'none', error: parsed.error };
    }
    consecutiveFailures = 0;
    const known = new Set(targets.map((t) => t.target));
    const verdicts = parsed.value.verdicts.filter((v) => known.has(v.target));
    return { judgment: { verdicts, model: config.model, at: state.now }, source: 'llm' };
  }

  return {
    kind: 'llm',
    next,
    judge,
    // Suggestions are synchronous and shown at once: the offline ranking.
    suggest: (state, limit) => options.fallback.suggest(state, limit),
    usage: () => tracker.snapshot(),
  };
}

function responseFormatParam(format: ResponseFormat): Partial<ChatCompletionCreateParamsNonStreaming> {
  if (format === 'json_schema') return { response_format: { type: 'json_schema', json_schema: { name: 'judgment', strict: true, schema: JUDGMENT_JSON_SCHEMA as unknown as Record<string, unknown> } } };
  if (format === 'json_object') return { response_format: { type: 'json_object' } };
  return {};
}

function describe(error: unknown): string {
  if (error instanceof DeadlineError) return `timeout: ${error.message}`;
  if (error instanceof APIUserAbortError) return 'aborted by the caller';
  if (error instanceof APIError) return `${error.status ?? 'connection'} ${error.constructor.name}: ${error.message}`.slice(0, 500);
  return (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 500);
}
