import { MOVES } from '@hatch/grader';
import { z } from 'zod';
import { type Judgment, judgmentReplySchema } from './judgment';

/**
 * Reading what the model wrote. The next-move reply is plain text — a header line
 * `FOLLOWUP <move>` or `HINT <move>`, then the question — so it streams and works with any
 * OpenAI-compatible server; the judgment is JSON. Both are validated with zod.
 */

const HEADER = /^[\s*#>`"']*(follow[-\s]?up|hint)\b[\s:*]*([a-z][a-z-]*)?[\s:*.—–-]*/i;

export const nextReplySchema = z.object({
  kind: z.enum(['followup', 'hint']),
  move: z.union([z.enum(MOVES), z.literal('none')]).nullable(),
  text: z
    .string()
    .trim()
    .min(8, 'the question is too short')
    .max(600, 'the question is longer than 600 characters')
    .refine((t) => !/^[[{]/.test(t), 'the question looks like JSON, not prose'),
});

export type NextReply = z.infer<typeof nextReplySchema>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const issues = (error: z.ZodError) => error.issues.map((i) => `${i.path.join('.') || 'reply'}: ${i.message}`).join('; ');

/** Splits a reply into header and text. A reply without a header is taken as the question itself (`kind` and `move` null). */
export function splitReply(raw: string): { kind: string | null; move: string | null; text: string } {
  const trimmed = raw.replace(/^\s+/, '');
  const match = HEADER.exec(trimmed);
  if (!match) return { kind: null, move: null, text: trimmed.trim() };
  const kind = match[1].toLowerCase().replace(/[-\s]/g, '') === 'hint' ? 'hint' : 'followup';
  const rest = trimmed.slice(match[0].length);
  return { kind, move: match[2]?.toLowerCase() ?? null, text: rest.trim().replace(/^["“]([\s\S]*)["”]$/, '$1').trim() };
}

export function parseNextReply(raw: string, defaults: { kind: 'followup' | 'hint'; move: string | null }): Parsed<NextReply> {
  const split = splitReply(raw);
  const result = nextReplySchema.safeParse({ kind: split.kind ?? defaults.kind, move: split.move ?? defaults.move, text: split.text });
  return result.success ? { ok: true, value: result.data } : { ok: false, error: `malformed reply: ${issues(result.error)}` };
}

/** The JSON object in a reply: the whole text, or what sits between a code fence or the outermost braces. */
function jsonOf(raw: string): unknown {
  const text = raw.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text)?.[1];
  const candidates = [text, fenced, text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)].filter((c): c is string => !!c && c.trim().length > 0);
  for (const candidate of candidates) {
    try {
      return JSON.parse(candidate);
    } catch {
      // try the next reading
    }
  }
  throw new Error('the reply is not JSON');
}

export function parseJudgment(raw: string): Parsed<Judgment> {
  let value: unknown;
  try {
    value = jsonOf(raw);
  } catch (error) {
    return { ok: false, error: `malformed judgment: ${(error as Error).message}` };
  }
  const result = judgmentReplySchema.safeParse(value);
  return result.success ? { ok: true, value: { verdicts: result.data.verdicts } } : { ok: false, error: `malformed judgment: ${issues(result.error)}` };
}

/**
 * Forwards streamed text to `onText` without the header line: holds back the start until it is
 * clearly a header (then drops it) or clearly not one.
 */
export function headerlessForwarder(onText: ((delta: string) => void) | undefined) {
  let pending = '';
  let passing = false;
  return (delta: string) => {
    if (!onText) return;
    if (passing) {
      if (delta) onText(delta);
      return;
    }
    pending += delta;
    const newline = pending.indexOf('\n');
    const match = HEADER.exec(pending.replace(/^\s+/, ''));
    if (newline >= 0 || pending.length > 60) {
      passing = true;
      let rest = pending;
      if (match) rest = newline >= 0 ? pending.slice(newline + 1) : splitReply(pending).text;
      rest = rest.replace(/^\s+/, '');
      if (rest) onText(rest);
      pending = '';
      return;
    }
    if (!match && /\S/.test(pending) && !/^[\s*#>`"']*(f|fo|fol|foll|follo|follow|follow[-\s]?u?p?|h|hi|hin|hint)$/i.test(pending)) {
      passing = true;
      onText(pending.replace(/^\s+/, ''));
      pending = '';
    }
  };
}
