import { type Check, MOVES, STAGES } from '@hatch/grader';
import type { WinAnswer } from '@hatch/model';
import { allChecks, stageWeakMoves } from './grade-view';
import type { InterviewerMove, InterviewState } from './interviewer.types';
import { FOLLOW_UP_TARGET, isJudgedCheck } from './judgment';
import { summarizeModel } from './model-summary';
import { pacingOf } from './pacing';
import { clip, minutes, normalizeQuestion } from './text';

/**
 * The prompts the LLM interviewer sends. Grounded in the scenario's public prompt, a compact
 * summary of the candidate's model, the grader's evidence and the conversation. The answer key
 * (reference model, reference answers and SQL) is never sent; follow-ups' `lookFor` points only to the judge.
 */

export interface ChatMessage {
  role: 'system' | 'user';
  content: string;
}

export const NEXT_SYSTEM = `You are the interviewer in a live data-modeling (schema design) interview. The candidate works through FLOW: Frame, List, Optimize, Win, and edits a shared data model while an automatic grader scores it.
Write the next thing you say: exactly one follow-up question, or one hint, in a friendly, direct interviewer's voice, about the candidate's own model (name their tables and columns).
Aim at the weak moves the grader found. Never give the answer or name the fix outright, never repeat a question already asked, never mention the grader or scores.

Reply in plain text, in exactly this format and nothing else:
line 1: FOLLOWUP <move>   or   HINT <move>   (<move> is one of the weak moves listed, or "none")
line 2 on: the question or hint itself, one to three sentences, at most 400 characters.`;

export const JUDGE_SYSTEM = `You judge the free-text parts of a data-modeling interview against a rubric.
For each target, decide whether the candidate's text does what the target asks: "met" (fully), "partly", or "missed". Judge only what is written, not what the model could do. Give a one-sentence rationale naming what the candidate wrote or left out.
Answer with JSON only, no prose and no code fence: {"verdicts":[{"target":"<target id exactly as given>","verdict":"met|partly|missed","rationale":"<one sentence>"}]} with one verdict per target.`;

const MAX_TURNS = 12;

function header(state: InterviewState): string[] {
  const { scenario } = state;
  const pace = pacingOf(state);
  const scores = state.grade ? STAGES.map((s) => `${s} ${state.grade?.stages[s].score}`).join(', ') : 'not graded yet';
  return [
    `Scenario: ${scenario.title} (${scenario.difficulty})`,
    `Prompt given to the candidate:\n${scenario.prompt.trim()}`,
    `Mode: ${state.mode}. Stage: ${state.stage ?? 'not started'}${pace ? ` (${minutes(pace.elapsedMs)} used of ${minutes(pace.limitMs)})` : ''}. Stage scores: ${scores}.`,
  ];
}

function checkLine(check: Check): string {
  const evidence = check.evidence
    .slice(0, 3)
    .map((e) => `${e.name}${e.note ? ` (${clip(e.note, 80)})` : ''}`)
    .join('; ');
  return `  - ${check.id} [${check.status}]: ${clip(check.title, 120)}${evidence ? ` — evidence: ${evidence}` : ''}${check.hint ? ` — coaching: ${clip(check.hint, 160)}` : ''}`;
}

/** The grader's evidence: the current stage's weak moves with their failing checks, then the other stages' weak moves in a line each. */
export function weakMovesSection(state: InterviewState): string {
  const grade = state.grade;
  if (!grade) return 'Weak moves: no grade yet.';
  const lines: string[] = [];
  if (state.stage) {
    const weak = stageWeakMoves(grade, state.stage).slice(0, 5);
    lines.push(weak.length ? `Weak moves in ${state.stage} (costliest first, stage points lost):` : `Weak moves in ${state.stage}: none.`);
    for (const move of weak) {
      lines.push(`- ${move.move} (−${move.pointsLost})`);
      for (const check of move.checks.slice(0, 3)) lines.push(checkLine(check));
    }
  }
  const others = grade.weakMoves.filter((m) => !state.stage || !grade.stages[state.stage].checks.some((c) => m.checks.includes(c.id)));
  if (others.length) lines.push(`Weak moves elsewhere: ${others.slice(0, 6).map((m) => `${m.move} (−${m.pointsLost})`).join(', ')}.`);
  return lines.join('\n');
}

function conversationSection(state: InterviewState): string {
  const turns = state.conversation.slice(-MAX_TURNS);
  if (!turns.length) return 'Conversation so far: none.';
  const start = state.sessionStartedAt ?? turns[0].at;
  const left = state.conversation.length - turns.length;
  return [
    `Conversation so far${left > 0 ? ` (last ${turns.length} of ${state.conversation.length} turns)` : ''}:`,
    ...turns.map((t) => `[${minutes(t.at - start)}] ${t.speaker} (${t.kind}): ${clip(t.text, 400)}`),
  ].join('\n');
}

function askedSection(state: InterviewState): string {
  const seen = new Set<string>();
  const asked: string[] = [];
  for (const q of [...state.followUps.map((f) => f.question), ...state.conversation.filter((t) => t.kind === 'followup').map((t) => t.text)]) {
    const key = normalizeQuestion(q);
    if (seen.has(key)) continue;
    seen.add(key);
    asked.push(`- ${clip(q, 200)}`);
  }
  return asked.length ? `Already asked (never repeat these):\n${asked.join('\n')}` : 'Already asked: nothing yet.';
}

/** The messages asking for the next follow-up or hint; `proposal` is the offline interviewer's move, offered as a starting point. */
export function nextPrompt(state: InterviewState, proposal: Extract<InterviewerMove, { kind: 'followup' | 'hint' }>, followUpAllowed: boolean): ChatMessage[] {
  const suggested =
    proposal.kind === 'followup'
      ? `FOLLOWUP ${proposal.probe.move ?? 'none'} — “${proposal.question}” (why now: ${proposal.why})`
      : `HINT ${proposal.move ?? 'none'} — “${proposal.text}” (why now: ${proposal.why})`;
  const user = [
    ...header(state),
    weakMovesSection(state),
    `Candidate's model:\n${summarizeModel(state.model)}`,
    askedSection(state),
    conversationSection(state),
    `Suggested next move: ${suggested}\nRephrase it for this candidate's model, or aim at another listed weak move if that fits better.`,
    followUpAllowed ? 'You may write FOLLOWUP or HINT.' : 'A follow-up is still open: write a HINT about it, not a new FOLLOWUP.',
    `Moves you may name: ${MOVES.join(', ')}, none.`,
  ];
  return [
    { role: 'system', content: NEXT_SYSTEM },
    { role: 'user', content: user.join('\n\n') },
  ];
}

export interface JudgeTarget {
  target: string;
  /** What the target asks, and the candidate's text, for the prompt. */
  text: string;
}

const frameWritten = (state: InterviewState) => {
  const f = state.model?.frame;
  return !!f && (f.domain.trim() !== '' || f.actors.length > 0 || f.rules.length > 0 || f.accessPatterns.length > 0 || f.tenancy.strategy !== null || f.tenancy.notes.trim() !== '');
};

function winAnswerOf(state: InterviewState, questionId: string, question: string): WinAnswer | undefined {
  const answers = state.model?.win.answers ?? [];
  return answers.find((a) => a.questionId === questionId) ?? answers.find((a) => normalizeQuestion(a.question) === normalizeQuestion(question));
}

/**
 * What the judge is asked about: the free-text checks that are not passed and have text to judge
 * (frame notes; a win answer for the question), and the follow-ups answered in chat. `only`
 * restricts them to the given target ids.
 */
export function judgeTargets(state: InterviewState, only?: readonly string[]): JudgeTarget[] {
  const wanted = only ? new Set(only) : null;
  const targets: JudgeTarget[] = [];
  for (const check of state.grade ? allChecks(state.grade) : []) {
    if (!isJudgedCheck(check) || check.status === 'passed' || check.status === 'justified' || (wanted && !wanted.has(check.id))) continue;
    const asks = `${check.title}${check.doc && check.doc !== check.title ? ` (${check.doc})` : ''}. Deterministic result: ${check.status} (${check.ratio}).`;
    if (check.id.startsWith('answer.')) {
      const question = state.scenario.productQuestions.find((q) => `answer.${q.id}` === check.id);
      const answer = question && winAnswerOf(state, question.id, question.question);
      if (!question || !answer || (!answer.answer.trim() && !answer.sql.trim())) continue;
      const reach = question.concepts.map((id) => state.scenario.concepts.find((c) => c.id === id)?.entity ?? id).join(', ');
      targets.push({ target: check.id, text: `${asks} The answer must reach: ${reach}. Candidate wrote: ${clip(answer.answer, 1500)}${answer.sql.trim() ? `\nSQL: ${clip(answer.sql, 1500)}` : ''}` });
    } else if (frameWritten(state)) {
      targets.push({ target: check.id, text: `${asks} Judge the candidate's frame notes above.` });
    }
  }
  for (const followUp of state.followUps) {
    const target = `${FOLLOW_UP_TARGET}${followUp.id}`;
    if (!followUp.closed?.answer?.trim() || (wanted && !wanted.has(target))) continue;
    const entry = followUp.bankId ? state.scenario.followUps.find((f) => f.id === followUp.bankId) : undefined;
    const points = entry?.lookFor.length ? ` A good answer makes these points: ${entry.lookFor.map((p) => `(${p})`).join(' ')}` : '';
    targets.push({ target, text: `Answer to the follow-up “${clip(followUp.question, 300)}”.${points} Candidate answered: ${clip(followUp.closed.answer, 1500)}` });
  }
  return targets;
}

/** The scenario's framing the frame notes are judged against: actors, rules, access patterns, tenancy, core concepts. */
function frameRubric(state: InterviewState): string {
  const s = state.scenario;
  return [
    'What good frame notes cover for this scenario:',
    `- actors: ${s.actors.map((a) => a.name).join(', ')}`,
    ...s.rules.map((r) => `- ${r.kind}: ${r.text}`),
    ...s.accessPatterns.map((p) => `- access pattern (${p.frequency}): ${p.description}`),
    `- tenancy: ${s.tenancy.strategy} — ${clip(s.tenancy.why, 300)}`,
    `- core concepts: ${s.concepts.filter((c) => c.importance === 'core').map((c) => c.entity).join(', ')}`,
  ].join('\n');
}

export function judgePrompt(state: InterviewState, targets: readonly JudgeTarget[]): ChatMessage[] {
  const needsFrame = targets.some((t) => !t.target.startsWith('answer.') && !t.target.startsWith(FOLLOW_UP_TARGET));
  const user = [
    ...header(state),
    ...(needsFrame ? [frameRubric(state)] : []),
    `Candidate's model and notes:\n${summarizeModel(state.model)}`,
    `Targets (${targets.length}):\n${targets.map((t, i) => `${i + 1}. target: ${t.target}\n${t.text}`).join('\n\n')}`,
  ];
  return [
    { role: 'system', content: JUDGE_SYSTEM },
    { role: 'user', content: user.join('\n\n') },
  ];
}

/** A rough token count (4 characters a token) for budgeting before a call and when a server reports no usage. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4);
export const messagesTokens = (messages: readonly ChatMessage[]) => messages.reduce((sum, m) => sum + estimateTokens(m.content) + 4, 0);
