import { type JSX, useEffect, useMemo, useState } from 'react';
import { api, ApiError } from '../api/client';
import {
  type CreatedSession,
  type Difficulty,
  DIFFICULTY_LABELS,
  FORMAT_LABELS,
  MODE_INFO,
  type ScenarioFormat,
  type ScenarioSummary,
  type SessionMode,
} from '../api/types';
import { navigate } from '../router';
import { BrandBar } from '../ui/BrandBar';
import { rememberHostLinks } from './host-links';
import { ScenarioDetail } from './ScenarioDetail';
import { SessionLinks } from './SessionLinks';

const FORMATS = Object.keys(FORMAT_LABELS) as ScenarioFormat[];
const DIFFICULTIES = Object.keys(DIFFICULTY_LABELS) as Difficulty[];

/** The scenario library: filter, read the prompt, start a session in a mode, share the join links. */
export function Lobby(): JSX.Element {
  const [scenarios, setScenarios] = useState<ScenarioSummary[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [format, setFormat] = useState<ScenarioFormat | null>(null);
  const [difficulty, setDifficulty] = useState<Difficulty | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [created, setCreated] = useState<CreatedSession | null>(null);

  useEffect(() => {
    document.title = 'Hatch — data modeling interviews';
    api.scenarios().then(setScenarios, (error: unknown) => setLoadError(error instanceof ApiError ? error.message : String(error)));
  }, []);

  const visible = useMemo(
    () => (scenarios ?? []).filter((s) => (!format || s.formats.includes(format)) && (!difficulty || s.difficulty === difficulty)),
    [scenarios, format, difficulty],
  );
  const selected = visible.find((s) => s.id === selectedId) ?? visible[0] ?? null;

  const started = (session: CreatedSession) => {
    rememberHostLinks(session);
    setCreated(session);
  };

  return (
    <div className="lobby" data-testid="lobby">
      <BrandBar />
      <main className="lobby-main">
        <section className="lobby-library" aria-labelledby="library-heading">
          <h1 id="library-heading">Scenario library</h1>
          <p className="muted">Pick a prompt, choose how to practise, and share the links.</p>
          <div className="filters" role="group" aria-label="Filter by practice format">
            <FilterChip label="All formats" pressed={format === null} onClick={() => setFormat(null)} testId="filter-format-all" />
            {FORMATS.map((f) => (
              <FilterChip key={f} label={FORMAT_LABELS[f]} pressed={format === f} onClick={() => setFormat(format === f ? null : f)} testId={`filter-format-${f}`} />
            ))}
          </div>
          <div className="filters" role="group" aria-label="Filter by difficulty">
            <FilterChip label="Any level" pressed={difficulty === null} onClick={() => setDifficulty(null)} testId="filter-difficulty-all" />
            {DIFFICULTIES.map((d) => (
              <FilterChip
                key={d}
                label={DIFFICULTY_LABELS[d]}
                pressed={difficulty === d}
                onClick={() => setDifficulty(difficulty === d ? null : d)}
                testId={`filter-difficulty-${d}`}
              />
            ))}
          </div>
          {loadError && <p className="error" role="alert">Could not load the scenarios: {loadError}</p>}
          {!scenarios && !loadError && <p className="muted">Loading scenarios…</p>}
          {scenarios && visible.length === 0 && (
            <p className="muted" data-testid="no-scenarios">No scenario matches these filters.</p>
          )}
          <ul className="scenario-list" data-testid="scenario-list" aria-label="Scenarios">
            {visible.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className={`scenario-card${selected?.id === s.id ? ' selected' : ''}`}
                  aria-pressed={selected?.id === s.id}
                  data-testid={`scenario-${s.id}`}
                  onClick={() => {
                    setSelectedId(s.id);
                    setCreated(null);
                  }}
                >
                  <span className="scenario-title">{s.title}</span>
                  <span className="scenario-meta">
                    <span className={`badge level-${s.difficulty}`}>{DIFFICULTY_LABELS[s.difficulty]}</span>
                    {s.formats.map((f) => (
                      <span key={f} className="badge badge-soft">
                        {FORMAT_LABELS[f]}
                      </span>
                    ))}
                    <span className="muted">{s.totalMinutes} min</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
        <section className="lobby-detail" aria-label="Selected scenario">
          {created ? (
            <SessionReady session={created} onBack={() => setCreated(null)} />
          ) : selected ? (
            <ScenarioDetail key={selected.id} summary={selected} onStarted={started} />
          ) : (
            <p className="muted">Select a scenario to read its prompt.</p>
          )}
        </section>
      </main>
    </div>
  );
}

function FilterChip(props: { label: string; pressed: boolean; onClick: () => void; testId: string }): JSX.Element {
  return (
    <button type="button" className="chip" aria-pressed={props.pressed} onClick={props.onClick} data-testid={props.testId}>
      {props.label}
    </button>
  );
}

function SessionReady({ session, onBack }: { session: CreatedSession; onBack: () => void }): JSX.Element {
  const mode = MODE_INFO[session.mode as SessionMode];
  const enter = (role: 'candidate' | 'interviewer') => navigate(session.links[role]);
  return (
    <div className="session-ready" data-testid="session-ready">
      <h2>Your {mode.label.toLowerCase()} is ready</h2>
      <p className="muted">
        Share a link with each person who joins; each link carries its role. The links expire {new Date(session.expiresAt).toLocaleString()}.
      </p>
      <SessionLinks links={session.links} current={mode.hostRole} />
      <div className="actions">
        <button type="button" className="btn btn-primary" data-testid="enter-room" onClick={() => enter(mode.hostRole === 'interviewer' ? 'interviewer' : 'candidate')} autoFocus>
          Enter the room as {mode.hostRole}
        </button>
        {session.mode === 'pair' && (
          <button type="button" className="btn" data-testid="enter-room-candidate" onClick={() => enter('candidate')}>
            Enter as candidate instead
          </button>
        )}
        <button type="button" className="btn btn-quiet" onClick={onBack}>
          Back to the scenario
        </button>
      </div>
    </div>
  );
}
