import { ModelOperationError, ModelValidationError } from '@hatch/model';
import { canWrite as roleCanWrite } from '@hatch/protocol';
import { type JSX, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { api, ApiError } from '../api/client';
import type { PublicScenario, SessionView } from '../api/types';
import { SidePanels } from '../panels/SidePanels';
import { BrandBar } from '../ui/BrandBar';
import { CollabConnection } from './collab/connection';
import { initPresence, ROLE_LABELS, usePeers } from './collab/presence';
import { ModelStore, useModelStore } from './model/model-store';
import { RoomContext, type RoomContextValue } from './room-context';
import { RoomHeader } from './RoomHeader';
import { Workspace } from './Workspace';

interface Loaded {
  view: SessionView;
  scenario: PublicScenario | null;
}

/** `/sessions/:id#token=…`: loads the session for the token, then the live room. */
export function Room({ sessionId, token }: { sessionId: string; token: string | null }): JSX.Element {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    (async () => {
      const view = await api.session(sessionId, token);
      const scenario = await api.scenario(view.scenario.id).catch(() => null); // the scenario may have left the library
      if (!cancelled) setLoaded({ view, scenario });
    })().catch((e: unknown) => !cancelled && setError(describeJoinError(e)));
    return () => {
      cancelled = true;
    };
  }, [sessionId, token]);

  if (!token) return <RoomMessage title="This link has no join token" text="Join links look like /sessions/…#token=…. Ask the host for your link, or start a session in the lobby." />;
  if (error) return <RoomMessage title="Cannot join this session" text={error} />;
  if (!loaded) return <RoomMessage title="Joining the session…" text="" busy />;
  return <LiveRoom sessionId={sessionId} token={token} view={loaded.view} scenario={loaded.scenario} />;
}

function describeJoinError(error: unknown): string {
  if (!(error instanceof ApiError)) return String(error);
  switch (error.code) {
    case 'TOKEN_EXPIRED':
      return 'This join link has expired. Ask the host for a new one.';
    case 'TOKEN_INVALID':
    case 'TOKEN_MISSING':
      return 'This join link is not valid. Check that it was copied whole.';
    case 'TOKEN_WRONG_SESSION':
      return 'This join link belongs to another session.';
    case 'SESSION_NOT_FOUND':
      return 'This session does not exist (any more).';
    default:
      return error.message;
  }
}

function RoomMessage({ title, text, busy }: { title: string; text: string; busy?: boolean }): JSX.Element {
  return (
    <div className="room-message-page">
      <BrandBar />
      <main className="page-message" aria-busy={busy}>
        <h1>{title}</h1>
        {text && <p>{text}</p>}
        {!busy && (
          <p>
            <a href="/">Go to the lobby</a>
          </p>
        )}
      </main>
    </div>
  );
}

function LiveRoom({ sessionId, token, view, scenario }: { sessionId: string; token: string; view: SessionView; scenario: PublicScenario | null }): JSX.Element | null {
  const role = view.you.role;
  const canWrite = roleCanWrite(role);
  const [parts, setParts] = useState<{ connection: CollabConnection; store: ModelStore } | null>(null);

  useEffect(() => {
    const connection = new CollabConnection(sessionId, token, canWrite);
    initPresence(connection.awareness, ROLE_LABELS[role], role);
    const store = new ModelStore(connection.doc);
    setParts({ connection, store });
    return () => {
      store.destroy();
      connection.destroy();
    };
  }, [sessionId, token, canWrite, role]);

  useEffect(() => {
    document.title = `${scenario?.title ?? view.scenario.title ?? 'Session'} — Hatch`;
  }, [scenario, view]);

  if (!parts) return null;
  return <RoomView sessionId={sessionId} token={token} view={view} scenario={scenario} connection={parts.connection} store={parts.store} />;
}

function RoomView(props: { sessionId: string; token: string; view: SessionView; scenario: PublicScenario | null; connection: CollabConnection; store: ModelStore }): JSX.Element {
  const { connection, store, view, scenario } = props;
  const role = view.you.role;
  const canWrite = roleCanWrite(role);
  const state = useSyncExternalStore(connection.subscribe, connection.getState);
  const model = useModelStore(store);
  const peers = usePeers(connection.awareness);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    if (state.problem) setNotice(state.problem);
  }, [state.problem]);
  // Notices fade after a few seconds; why the server closed the connection for good stays.
  const closed = state.phase === 'closed';
  useEffect(() => {
    if (!notice || closed) return;
    const id = window.setTimeout(() => setNotice(null), 6000);
    return () => window.clearTimeout(id);
  }, [notice, closed]);
  // Leaving with unacknowledged edits: the browser asks first.
  useEffect(() => {
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (connection.getState().unsaved > 0) event.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [connection]);

  const edit = useCallback(<T,>(operation: () => T): T | null => {
    try {
      const result = operation();
      setNotice(null);
      return result;
    } catch (error) {
      if (error instanceof ModelOperationError || error instanceof ModelValidationError) {
        setNotice(error.message.replace(/^\w+: /, ''));
        return null;
      }
      throw error;
    }
  }, []);

  const context: RoomContextValue = useMemo(
    () => ({ doc: connection.doc, awareness: connection.awareness, model, role, canWrite, scenario, peers, edit }),
    [connection, model, role, canWrite, scenario, peers, edit],
  );

  return (
    <RoomContext.Provider value={context}>
      <div className="room" data-testid="room" data-role={role} data-synced={state.synced ? 'true' : 'false'}>
        <RoomHeader view={view} scenario={scenario} state={state} />
        <div className="room-body">
          <Workspace />
          <div className="side-column">
            <SidePanels sessionId={props.sessionId} token={props.token} role={role} />
          </div>
        </div>
        <div className="toast-area" aria-live="assertive">
          {notice && (
            <div className="toast" role="alert" data-testid="notice">
              <span>{notice}</span>
              <button type="button" className="btn btn-icon" aria-label="Dismiss" onClick={() => setNotice(null)}>
                ×
              </button>
            </div>
          )}
        </div>
      </div>
    </RoomContext.Provider>
  );
}
