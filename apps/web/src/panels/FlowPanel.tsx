import { type JSX, useState } from 'react';
import type { GradeCheck, GradeView } from '../session/grade-view';
import type { SessionChannelState } from '../session/session-state';
import { type FlowStage, flowStages, moveLabel, points, STAGE_LABELS } from './panel-format';
import { ScoreChart } from './ScoreChart';

const STATUS_ORDER: Record<GradeCheck['status'], number> = { failed: 0, partial: 1, justified: 2, passed: 3 };
const STATUS_TEXT: Record<GradeCheck['status'], string> = { failed: 'Failed', partial: 'Partial', justified: 'Justified', passed: 'Passed' };
const STATUS_ICON: Record<GradeCheck['status'], string> = { failed: '✕', partial: '◐', justified: '✓', passed: '✓' };

/** Points a check costs its stage: its share of the stage's weight not earned, on the 0–100 scale. */
function lost(check: GradeCheck, stageWeight: number): number {
  return stageWeight > 0 ? ((1 - check.ratio) * check.weight * 100) / stageWeight : 0;
}

/** The FLOW panel body: scores over time, the weak moves, and every check of the current grade with its hint. */
export function FlowPanel({ state }: { state: SessionChannelState }): JSX.Element {
  const grade = state.grade?.grade ?? null;
  return (
    <div className="flow-panel" data-testid="flow-panel">
      <section aria-labelledby="chart-title">
        <h3 id="chart-title" className="panel-heading">
          Scores over time
        </h3>
        <ScoreChart samples={state.scores} startedAt={state.session?.startedAt ?? state.timer?.sessionStartedAt ?? null} />
      </section>
      {state.gradeError && (
        <p className="panel-note error" data-testid="grade-error">
          {state.gradeError}
        </p>
      )}
      <WeakMoves grade={grade} />
      <Checks grade={grade} stage={state.stage} />
    </div>
  );
}

function WeakMoves({ grade }: { grade: GradeView | null }): JSX.Element {
  return (
    <section aria-labelledby="weak-title">
      <h3 id="weak-title" className="panel-heading">
        Weak moves
      </h3>
      {!grade ? (
        <p className="muted small">Loading the grade…</p>
      ) : grade.weakMoves.length === 0 ? (
        <p className="muted small">No weak moves: every check passes.</p>
      ) : (
        <ol className="weak-moves" data-testid="weak-moves">
          {grade.weakMoves.map((m) => (
            <li key={m.move} className="weak-move" data-testid="weak-move" data-move={m.move}>
              <span className="weak-name">{moveLabel(m.move)}</span>
              <span className="weak-lost" title="Stage points lost">
                −{points(m.pointsLost)}
              </span>
              <span className="weak-summary" title={m.summary}>
                {m.summary}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function Checks({ grade, stage }: { grade: GradeView | null; stage: FlowStage | null }): JSX.Element {
  // groups the user opened or closed; the current stage's group starts open
  const [toggled, setToggled] = useState<Partial<Record<FlowStage, boolean>>>({});
  if (!grade) return <section aria-label="Checks" />;
  return (
    <section aria-labelledby="checks-title" data-testid="checks">
      <h3 id="checks-title" className="panel-heading">
        Checks
      </h3>
      {flowStages.map((s) => {
        const { score, checks } = grade.stages[s];
        const weight = checks.reduce((sum, c) => sum + c.weight, 0);
        const sorted = [...checks].sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || lost(b, weight) - lost(a, weight));
        const open = toggled[s] ?? s === (stage ?? 'frame');
        const toFix = checks.filter((c) => c.status === 'failed' || c.status === 'partial').length;
        return (
          <details
            key={s}
            className="check-group"
            open={open}
            data-testid={`checks-${s}`}
            onToggle={(e) => {
              const now = (e.currentTarget as HTMLDetailsElement).open;
              if (now !== open) setToggled((t) => ({ ...t, [s]: now }));
            }}
          >
            <summary>
              <span className="check-group-name">{STAGE_LABELS[s]}</span>
              <span className="check-group-meta">
                {score} · {toFix === 0 ? 'all pass' : `${toFix} to fix`}
              </span>
            </summary>
            <ul className="check-list">
              {sorted.map((check) => (
                <CheckItem key={check.id} check={check} lostPoints={lost(check, weight)} />
              ))}
            </ul>
          </details>
        );
      })}
    </section>
  );
}

function CheckItem({ check, lostPoints }: { check: GradeCheck; lostPoints: number }): JSX.Element {
  const failing = check.status === 'failed' || check.status === 'partial';
  return (
    <li className={`check check-${check.status}`} data-testid="check" data-check-id={check.id} data-status={check.status}>
      <details>
        <summary>
          <span className="check-icon" aria-hidden="true">
            {STATUS_ICON[check.status]}
          </span>
          <span className="visually-hidden">{STATUS_TEXT[check.status]}: </span>
          <span className="check-title">{check.title}</span>
          <span className="check-lost">{failing && lostPoints > 0 ? `−${points(lostPoints)}` : ''}</span>
        </summary>
        <div className="check-body">
          {check.hint ? <p className="check-hint" data-testid="check-hint">{check.hint}</p> : <p className="muted">{check.doc ?? 'Nothing to add: this check passes.'}</p>}
          {check.hint && check.doc && <p className="muted">{check.doc}</p>}
          {check.evidence.length > 0 && (
            <ul className="evidence">
              {check.evidence.slice(0, 6).map((e, i) => (
                <li key={i}>
                  <code>{e.name}</code>
                  {e.note ? ` — ${e.note}` : ''}
                </li>
              ))}
            </ul>
          )}
          <p className="muted small">
            {moveLabel(check.move)} · weight {check.weight} · {STATUS_TEXT[check.status].toLowerCase()}
          </p>
        </div>
      </details>
    </li>
  );
}
