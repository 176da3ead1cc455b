import type * as Y from 'yjs';
import type { z } from 'zod';
import type { WinAnswer } from './model.schema';
import { MODEL_LIMITS, winAnswerSchema } from './model.schema';
import { ID_PREFIXES } from './model-ids';
import { claimId, idArg, insertElement, ListDescriptor, parseElement, readArgs, removeElement, updateElement } from './operation-support';
import { toJSON } from './yjs-binding';
import { WIN_ANSWER_SPEC } from './yjs-layout';

type WinAnswerInput = z.input<typeof winAnswerSchema>;

export interface AddWinAnswerArgs extends Omit<WinAnswerInput, 'id'> {
  id?: string;
}

/** Keys left undefined stay as they are; `answer` and `sql` change with minimal text edits. */
export interface UpdateWinAnswerArgs extends Partial<Omit<WinAnswerInput, 'id'>> {
  answerId: string;
}

export interface RemoveWinAnswerArgs {
  answerId: string;
}

const WIN_KEYS = ['questionId', 'question', 'answer', 'sql'] as const;

const ANSWERS: ListDescriptor<WinAnswer> = {
  spec: WIN_ANSWER_SPEC,
  schema: winAnswerSchema,
  what: 'win answer',
  max: MODEL_LIMITS.listItems,
  notFound: 'WIN_ANSWER_NOT_FOUND',
  array: (types) => types.winAnswers,
  items: (model) => model.win.answers,
};

export function addWinAnswer(doc: Y.Doc, args: AddWinAnswerArgs, origin?: unknown): string {
  const operation = 'addWinAnswer';
  readArgs(operation, args, ['id', ...WIN_KEYS]);
  const model = toJSON(doc);
  const id = claimId(model, args.id, ID_PREFIXES.winAnswer, operation);
  insertElement(doc, ANSWERS, model, parseElement(winAnswerSchema, { ...args, id }, operation), origin);
  return id;
}

export function updateWinAnswer(doc: Y.Doc, args: UpdateWinAnswerArgs, origin?: unknown): string {
  const operation = 'updateWinAnswer';
  readArgs(operation, args, ['answerId', ...WIN_KEYS]);
  const answerId = idArg(operation, args, 'answerId');
  const { answerId: _id, ...patch } = args;
  updateElement(doc, ANSWERS, toJSON(doc), answerId, patch as Partial<WinAnswer>, operation, origin);
  return answerId;
}

export function removeWinAnswer(doc: Y.Doc, args: RemoveWinAnswerArgs, origin?: unknown): string {
  const operation = 'removeWinAnswer';
  readArgs(operation, args, ['answerId']);
  const answerId = idArg(operation, args, 'answerId');
  removeElement(doc, ANSWERS, toJSON(doc), answerId, origin);
  return answerId;
}
