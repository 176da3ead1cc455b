import { CHAT_MAX_LENGTH, type ChatMessage, type FollowUp, type Hint } from '@hatch/protocol';
import { type FormEvent, type JSX, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { ROLE_LABELS } from '../room/collab/presence';
import { compareIds, type SessionChannelState } from '../session/session-state';
import type { SessionStore } from '../session/session-store';
import { FollowUpCard } from './FollowUpCard';
import { actorLabel, clockTime, moveLabel } from './panel-format';
import { SessionNotice } from './SessionNotice';

type FeedItem = { kind: 'chat'; id: string; item: ChatMessage } | { kind: 'followup'; id: string; item: FollowUp } | { kind: 'hint'; id: string; item: Hint };

/** Follow-ups, hints and chat in the order they happened (one id sequence), newest at the bottom. */
export function feedOf(state: Pick<SessionChannelState, 'chat' | 'followUps' | 'hints'>): FeedItem[] {
  const items: FeedItem[] = [
    ...state.chat.map((item) => ({ kind: 'chat' as const, id: item.id, item })),
    ...state.followUps.map((item) => ({ kind: 'followup' as const, id: item.id, item })),
    ...state.hints.map((item) => ({ kind: 'hint' as const, id: item.id, item })),
  ];
  return items.sort((a, b) => compareIds(a.id, b.id));
}

/** The interviewer panel: follow-ups as they arrive (and their answers), hints, chat. */
export function InterviewPanel({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element {
  const feed = useMemo(() => feedOf(state), [state]);
  const list = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  // keeps the newest item in view unless the user scrolled up to read
  useLayoutEffect(() => {
    const el = list.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [feed.length, state.streams]);
  return (
    <div className="interview-panel" data-testid="interview-panel">
      <SessionNotice state={state} store={store} />
      <div
        className="feed"
        ref={list}
        role="log"
        aria-label="Follow-ups, hints and chat"
        aria-live="polite"
        tabIndex={0}
        data-testid="feed"
        onScroll={(e) => {
          const el = e.currentTarget;
          stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {feed.length === 0 && state.streams.length === 0 && <p className="muted small feed-empty">{emptyText(state)}</p>}
        {feed.map((entry) =>
          entry.kind === 'followup' ? (
            <FollowUpCard key={entry.id} followUp={entry.item} verdict={state.verdicts[entry.id]} state={state} store={store} />
          ) : entry.kind === 'hint' ? (
            <HintItem key={entry.id} hint={entry.item} showWhy={state.role !== 'candidate'} />
          ) : (
            <ChatItem key={entry.id} message={entry.item} mine={!!state.participantId && entry.item.author.participantId === state.participantId} />
          ),
        )}
        {state.streams.map((s) => (
          <div key={s.streamId} className="feed-stream" data-testid="followup-stream" aria-busy="true">
            <span className="feed-meta">AI interviewer is writing…</span>
            <p>{s.text}</p>
          </div>
        ))}
      </div>
      <ChatComposer state={state} store={store} />
    </div>
  );
}

function emptyText(state: SessionChannelState): string {
  if (state.mode === 'mock') return 'The AI interviewer’s follow-ups, hints and the chat appear here.';
  if (state.mode === 'practice') return 'Solo practice: ask for a follow-up when you want one. Chat and hints appear here.';
  return 'Follow-ups, hints and the chat appear here.';
}

function HintItem({ hint, showWhy }: { hint: Hint; showWhy: boolean }): JSX.Element {
  return (
    <div className="feed-hint" data-testid="hint-item">
      <span className="feed-meta">
        <strong>Hint</strong>
        {hint.move ? ` · ${moveLabel(hint.move)}` : ''} · {actorLabel(hint.by)} · {clockTime(hint.at)}
      </span>
      <p>{hint.text}</p>
      {showWhy && <p className="small muted">Why: {hint.why}</p>}
    </div>
  );
}

function ChatItem({ message, mine }: { message: ChatMessage; mine: boolean }): JSX.Element {
  const role = message.role === 'ai-interviewer' ? 'AI interviewer' : ROLE_LABELS[message.role];
  return (
    <div className={`feed-chat${mine ? ' mine' : ''}`} data-testid="chat-message" data-role={message.role}>
      <span className="feed-meta">
        <strong>{mine ? 'You' : message.author.displayName}</strong>
        {message.author.displayName !== role && !mine ? ` · ${role}` : ''} · {clockTime(message.at)}
      </span>
      <p>{message.text}</p>
    </div>
  );
}

/** Why this person cannot chat right now, or null when they can. */
export function chatBlockedReason(state: SessionChannelState): string | null {
  if (state.role === 'observer' || state.role === 'reviewer') return `Read-only: ${state.role}s follow the chat but cannot write in it.`;
  if (state.session?.status === 'ended') return 'The session has ended: the chat is closed.';
  if (state.phase !== 'connected') return 'Not connected to the session right now.';
  return null;
}

function ChatComposer({ state, store }: { state: SessionChannelState; store: SessionStore }): JSX.Element {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const blocked = chatBlockedReason(state);
  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const trimmed = text.trim();
    if (!trimmed || busy) return; // the disabled input is the guard: the server refuses read-only roles anyway
    setBusy(true);
    const result = await store.sendChat(trimmed);
    setBusy(false);
    if (result.ok) setText('');
  };
  return (
    <form className="chat-composer" onSubmit={(e) => void send(e)} aria-label="Send a chat message">
      <div className="chat-row">
        <input
          type="text"
          className="chat-input"
          value={text}
          maxLength={CHAT_MAX_LENGTH}
          placeholder={blocked ? 'Chat is read-only' : 'Message — Enter sends'}
          aria-label="Chat message"
          aria-describedby={blocked ? 'chat-blocked' : undefined}
          disabled={!!blocked}
          data-testid="chat-input"
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-small btn-primary" disabled={!!blocked || busy || !text.trim()} data-testid="chat-send">
          Send
        </button>
      </div>
      <p id="chat-blocked" className="chat-reason small" data-testid="chat-disabled-reason">
        {blocked ?? '\u00a0'}
      </p>
    </form>
  );
}
