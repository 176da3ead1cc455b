import { addWinAnswer, removeWinAnswer, type WinAnswer } from '@hatch/model';
import type { JSX } from 'react';
import { ReadOnlyNote } from '../../ui/inputs';
import { textOf, topItemMap } from '../model/y-elements';
import { useRoom } from '../room-context';
import { AddOne } from './FrameEditor';
import { YTextField } from './YTextField';

/** Win: how the model answers the scenario's future product questions, in prose and, ideally, SQL. */
export function WinEditor(): JSX.Element {
  const { doc, model, scenario, canWrite, role, edit } = useRoom();
  const questions = scenario?.productQuestions ?? [];
  const answers = model.win.answers;
  const own = answers.filter((a) => !a.questionId || !questions.some((q) => q.id === a.questionId));
  return (
    <div className="notes-page win-editor" data-testid="win-editor">
      {!canWrite && <ReadOnlyNote role={role} />}
      <header className="notes-head">
        <h2>Win</h2>
        <p className="muted">Show that the model answers tomorrow's questions: explain the path through the tables, and write the query.</p>
      </header>
      {questions.map((question) => {
        const answer = answers.find((a) => a.questionId === question.id);
        return (
          <article key={question.id} className="win-card" data-testid="win-question" data-question-id={question.id}>
            <h3>
              <span className="badge badge-soft">{question.category}</span> {question.question}
            </h3>
            {answer ? (
              <AnswerFields answer={answer} />
            ) : (
              <button
                type="button"
                className="btn btn-small"
                disabled={!canWrite}
                data-testid="answer-question"
                onClick={() => edit(() => addWinAnswer(doc, { questionId: question.id, question: question.question }))}
              >
                Answer this question
              </button>
            )}
          </article>
        );
      })}
      {own.map((answer) => (
        <article key={answer.id} className="win-card" data-testid="win-own-question">
          <h3>{answer.question || 'Your question'}</h3>
          <AnswerFields answer={answer} />
        </article>
      ))}
      <AddOne placeholder="another product question the model answers" label="Add a question" testId="add-win-question" onAdd={(question) => edit(() => addWinAnswer(doc, { question })) !== null} />
    </div>
  );
}

function AnswerFields({ answer }: { answer: WinAnswer }): JSX.Element {
  const { doc, canWrite, edit } = useRoom();
  const map = topItemMap(doc, 'winAnswers', answer.id);
  return (
    <div className="answer-fields">
      <YTextField text={textOf(map, 'answer')} focusKey={`win:${answer.id}:answer`} label="Answer" multiline rows={3} maxLength={20000} placeholder="Which tables, which joins, which columns…" testId="win-answer" />
      <YTextField text={textOf(map, 'sql')} focusKey={`win:${answer.id}:sql`} label="SQL" multiline rows={4} maxLength={20000} monospace placeholder="SELECT …" testId="win-sql" />
      <button type="button" className="btn btn-small btn-quiet" disabled={!canWrite} onClick={() => edit(() => removeWinAnswer(doc, { answerId: answer.id }))}>
        Remove this answer
      </button>
    </div>
  );
}
