import { type JSX, useEffect, useState } from 'react';
import { api, ApiError } from '../api/client';
import {
  type CreatedSession,
  DIFFICULTY_LABELS,
  FORMAT_LABELS,
  MODE_INFO,
  type PublicScenario,
  type ScenarioSummary,
  type SessionMode,
  STAGE_LABELS,
  type Stage,
} from '../api/types';
import { Paragraphs } from '../ui/Paragraphs';

const MODES = Object.keys(MODE_INFO) as SessionMode[];

/** One scenario's prompt, stages and product questions, and the form that starts a session on it. */
export function ScenarioDetail({ summary, onStarted }: { summary: ScenarioSummary; onStarted: (session: CreatedSession) => void }): JSX.Element {
  const [scenario, setScenario] = useState<PublicScenario | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [mode, setMode] = useState<SessionMode>('mock');
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    api.scenario(summary.id).then(setScenario, (e: unknown) => setError(e instanceof ApiError ? e.message : String(e)));
  }, [summary.id]);

  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      onStarted(await api.createSession(summary.id, mode));
    } catch (e) {
      setError(e instanceof ApiError ? e.message : String(e));
      setStarting(false);
    }
  };

  return (
    <article className="scenario-detail" data-testid="scenario-detail">
      <header>
        <h2 data-testid="scenario-detail-title">{summary.title}</h2>
        <p className="scenario-meta">
          <span className={`badge level-${summary.difficulty}`}>{DIFFICULTY_LABELS[summary.difficulty]}</span>
          {summary.formats.map((f) => (
            <span key={f} className="badge badge-soft">
              {FORMAT_LABELS[f]}
            </span>
          ))}
          <span className="muted">{summary.totalMinutes} minutes</span>
        </p>
      </header>
      <div className="scenario-body">
        {scenario ? (
          <>
            <Paragraphs className="prompt" text={scenario.prompt} testId="scenario-prompt" />
            <h3>Time per stage</h3>
            <ol className="stage-times">
              {(Object.keys(STAGE_LABELS) as Stage[]).map((stage) => (
                <li key={stage}>
                  <strong>{STAGE_LABELS[stage]}</strong> {scenario.timePerStage[stage]} min
                </li>
              ))}
            </ol>
            {scenario.productQuestions.length > 0 && (
              <>
                <h3>Questions the model should answer later</h3>
                <ul className="questions">
                  {scenario.productQuestions.map((q) => (
                    <li key={q.id}>{q.question}</li>
                  ))}
                </ul>
              </>
            )}
          </>
        ) : (
          !error && <p className="muted">Loading the prompt…</p>
        )}
      </div>
      <form
        className="start-form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        <fieldset>
          <legend>How do you want to practise?</legend>
          {MODES.map((m) => (
            <label key={m} className={`mode-option${mode === m ? ' selected' : ''}`}>
              <input type="radio" name="mode" value={m} checked={mode === m} onChange={() => setMode(m)} data-testid={`mode-${m}`} />
              <span>
                <strong>{MODE_INFO[m].label}</strong>
                <span className="muted">{MODE_INFO[m].description}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={starting} data-testid="start-session">
          {starting ? 'Starting…' : `Start ${MODE_INFO[mode].label.toLowerCase()}`}
        </button>
      </form>
    </article>
  );
}
