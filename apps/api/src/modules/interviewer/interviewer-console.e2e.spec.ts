import { randomUUID } from 'node:crypto';
import { type FollowUp, type FollowUpSuggestion, type TimelineEvent } from '@hatch/protocol';
import { waitFor } from '../../testing/collab-clients';
import { request } from '../../testing/test-app';
import { testBackends } from '../../testing/test-databases';
import type { CreatedSession } from '../sessions/session.dto';
import { createTestSession, participantIdOf } from '../session-events/session-events.test-util';
import { buildWeakModel, frameEverything, INTERVIEW_SCENARIO_ID, noneFor, type Role, useInterviewerApp } from './interviewer.test-util';

describe.each(testBackends())('the interviewer console on $name', (backend) => {
  const rig = useInterviewerApp(backend);
  const { join, api } = rig;
  const timeline = async (session: CreatedSession, role: Role, query = 'limit=500'): Promise<TimelineEvent[]> => {
    const res = await api(session, `events?${query}`, role);
    expect(res.status).toBe(200);
    return res.body.events;
  };
  /** A live session: the candidate connected (which starts it), and the interviewer. */
  const liveSession = async (mode: 'mock' | 'pair' | 'practice') => {
    const session = await createTestSession(rig.hatch.url, INTERVIEW_SCENARIO_ID, mode);
    const interviewer = await join(session, 'interviewer');
    const candidate = await join(session, 'candidate');
    await Promise.all([interviewer, candidate].map((c) => c.next('session', (s) => s.status === 'live')));
    return { session, interviewer, candidate };
  };
  const ok = <T extends { ok: boolean }>(ack: T): Extract<T, { ok: true }> => {
    if (!ack.ok) throw new Error(`refused: ${JSON.stringify(ack)}`);
    return ack as Extract<T, { ok: true }>;
  };

  it('[IC1] private notes reach only the interviewers’ sockets, never a candidate’s, observer’s or reviewer’s, nor their timeline', async () => {
    const { session, interviewer, candidate } = await liveSession('pair');
    const secondTab = await join(session, 'interviewer');
    const observer = await join(session, 'observer');
    const reviewer = await join(session, 'reviewer');
    const others = [candidate, observer, reviewer];
    await candidate.socket.emitWithAck('chat:send', { text: 'hello' });

    const secret = `Strong on tenancy, weak on money ${randomUUID()}`;
    const { note } = ok(await interviewer.socket.emitWithAck('note:add', { text: `  ${secret}  ` }));
    expect(note).toMatchObject({ id: expect.stringMatching(/^\d+$/), text: secret, author: { participantId: participantIdOf(session.tokens.interviewer), role: 'interviewer' } });
    const viaRest = await api(session, 'notes', 'interviewer', { method: 'POST', json: { text: `${secret} (REST)` } });
    expect(viaRest.status).toBe(201);
    for (const tab of [interviewer, secondTab]) {
      expect(await tab.next('note', (n) => n.id === note.id)).toEqual(note);
      expect(await tab.next('note', (n) => n.id === viaRest.body.id)).toEqual(viaRest.body);
    }
    // Something sent after the notes reaches everyone, so anything sent before it has arrived too.
    ok(await candidate.socket.emitWithAck('chat:send', { text: 'after the notes' }));
    for (const client of others) {
      await client.next('chat', (m) => m.text === 'after the notes');
      expect(client.received.map((r) => r.event)).not.toContain('note');
      expect(JSON.stringify(client.received)).not.toContain(secret);
    }

    const listed = await api(session, 'notes', 'interviewer');
    expect(listed.body).toEqual({ sessionId: session.sessionId, notes: [note, viaRest.body] });
    expect((await timeline(session, 'interviewer')).filter((e) => e.type === 'note').map((e) => e.id)).toEqual([note.id, viaRest.body.id]);
    for (const role of ['candidate', 'observer', 'reviewer'] as const) {
      const res = await api(session, 'notes', role);
      expect(res).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
      const events = await timeline(session, role);
      expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['chat', 'presence:join']));
      expect(JSON.stringify(events)).not.toContain(secret);
      // Paging one event at a time never yields a note either, and still reaches the end.
      const paged: TimelineEvent[] = [];
      let after: string | null = null;
      do {
        const page: { events: TimelineEvent[]; nextAfter: string | null } = (await api(session, `events?limit=1${after ? `&after=${after}` : ''}`, role)).body;
        paged.push(...page.events);
        after = page.nextAfter;
      } while (after);
      expect(paged).toEqual(events);
    }
    for (const role of ['candidate', 'observer', 'reviewer'] as const) {
      const client = role === 'candidate' ? candidate : role === 'observer' ? observer : reviewer;
      const ack = await client.socket.emitWithAck('note:add', { text: 'let me in' });
      expect(ack).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
      expect((await api(session, 'notes', role, { method: 'POST', json: { text: 'let me in' } })).body.code).toBe('FORBIDDEN_ROLE');
    }
  });

  it('[IC2] pair mode: suggestions go to the interviewers only; one is sent edited, one as is; a free question supersedes an open one; answers and marks close them', async () => {
    const { session, interviewer, candidate } = await liveSession('pair');
    const observer = await join(session, 'observer');
    const editor = await rig.edit(session);
    frameEverything(editor.doc);
    buildWeakModel(editor.doc);
    await waitFor(() => editor.durable, 10_000, 'the model to be stored');
    const seq = editor.saved?.seq ?? 0;
    await interviewer.next('score', (s) => s.seq === seq, 10_000);
    ok(await interviewer.socket.emitWithAck('stage:set', { stage: 'list' }));

    // The engine suggests the List bank entries aimed at the weak moves of the model's grade, costliest first.
    const pushed = await interviewer.next('suggestions', (s) => s.suggestions.length === 2, 10_000);
    expect(pushed.suggestions.map((s) => [s.bankId, s.probe.move])).toEqual([
      ['invoice-money', 'money-and-time'],
      ['invoice-history', 'history'],
    ]);
    const [money, history] = pushed.suggestions as [FollowUpSuggestion, FollowUpSuggestion];
    expect(ok(await interviewer.socket.emitWithAck('suggestions:get', {})).suggestions).toEqual(pushed.suggestions);
    expect((await api(session, 'suggestions', 'interviewer')).body).toEqual({ sessionId: session.sessionId, suggestions: pushed.suggestions });
    expect((await api(session, 'interviewer', 'interviewer')).body.suggestions).toEqual(pushed.suggestions);
    expect((await api(session, 'suggestions', 'candidate')).body.code).toBe('FORBIDDEN_ROLE');
    expect((await api(session, 'interviewer', 'observer')).body.suggestions).toBeUndefined();
    // In pair mode the engine never asks by itself.
    await noneFor(candidate, 'followup', 1500);

    // Sent edited: the question is the interviewer's, what it probes is the suggestion's.
    const edited = ok(await interviewer.socket.emitWithAck('followup:send', { bankId: money.bankId, question: 'Your total is a float. Is that a problem for billing?' })).followUp;
    expect(edited).toMatchObject({ bankId: 'invoice-money', question: 'Your total is a float. Is that a problem for billing?', probe: money.probe, why: money.why, stage: 'list', status: 'open' });
    expect(edited.askedBy).toEqual({ participantId: participantIdOf(session.tokens.interviewer), role: 'interviewer', displayName: 'Interviewer' });
    for (const client of [candidate, observer]) expect(await client.next('followup', (f) => f.id === edited.id)).toEqual(edited);
    // Asked: no longer suggested.
    const after = await interviewer.next('suggestions', (s) => s.suggestions.length > 0 && !s.suggestions.some((x) => x.bankId === 'invoice-money'), 10_000);
    expect(after.suggestions.map((s) => s.bankId)).toEqual(['invoice-history']);

    // A free question while it is open supersedes it.
    const free = await api(session, 'followups', 'interviewer', { method: 'POST', json: { question: 'Who may void an invoice?' } });
    expect(free.status).toBe(201);
    expect(free.body).toMatchObject({ bankId: null, question: 'Who may void an invoice?', probe: { stage: 'list', move: null, checks: [] }, why: null, status: 'open' });
    expect(await candidate.next('followup:closed', (c) => c.followUpId === edited.id)).toMatchObject({ how: 'superseded', answer: null, closedBy: { role: 'interviewer' } });

    // The candidate answers it in words.
    const answered = ok(await candidate.socket.emitWithAck('followup:answered', { followUpId: free.body.id, answer: 'Only a tenant admin, and the void is logged.' }));
    expect(answered).toMatchObject({ changed: true, followUp: { id: free.body.id, status: 'answered', answer: { how: 'chat', text: 'Only a tenant admin, and the void is logged.', by: { role: 'candidate' } } } });

    // A suggestion sent as is, then marked answered by the interviewer (twice: the second changes nothing).
    const asIs = ok(await interviewer.socket.emitWithAck('followup:send', { bankId: history.bankId, question: history.question })).followUp;
    expect(asIs).toMatchObject({ bankId: 'invoice-history', question: history.question, probe: history.probe, why: history.why });
    const marked = await api(session, `followups/${asIs.id}/answered`, 'interviewer', { method: 'POST' });
    expect(marked).toMatchObject({ status: 200, body: { changed: true, followUp: { status: 'answered', answer: { how: 'marked', text: null, by: { role: 'interviewer' } } } } });
    expect(await observer.next('followup:closed', (c) => c.followUpId === asIs.id)).toMatchObject({ how: 'marked' });
    const again = ok(await interviewer.socket.emitWithAck('followup:answered', { followUpId: asIs.id, answer: 'summary' }));
    expect(again).toMatchObject({ changed: false, followUp: { answer: { how: 'marked', text: null } } });

    const listed = (await api(session, 'followups', 'reviewer')).body.followUps as FollowUp[];
    expect(listed.map((f) => [f.id, f.status, f.answer?.how])).toEqual([
      [edited.id, 'answered', 'superseded'],
      [free.body.id, 'answered', 'chat'],
      [asIs.id, 'answered', 'marked'],
    ]);
    for (const client of [candidate, observer]) expect(client.received.map((r) => r.event)).not.toContain('suggestions');
  });

  it('[IC3] practice mode: nothing unasked; on request the engine moves on, asks about a weak move, then hints at the open question', async () => {
    const session = await createTestSession(rig.hatch.url, INTERVIEW_SCENARIO_ID, 'practice');
    const candidate = await join(session, 'candidate');
    await candidate.next('session', (s) => s.status === 'live');
    const { doc } = await rig.edit(session);
    frameEverything(doc);
    buildWeakModel(doc);
    await candidate.next('score', () => true, 10_000);
    await noneFor(candidate, 'followup', 1500);

    // Frame is done: the first request moves on to List.
    const first = ok(await candidate.socket.emitWithAck('followup:request', {}));
    expect(first).toMatchObject({ kind: 'stage', stage: 'list', followUp: null });
    await candidate.next('stage', (s) => s.stage === 'list' && s.changedBy.role === 'ai-interviewer');
    const second = ok(await candidate.socket.emitWithAck('followup:request', {}));
    expect(second).toMatchObject({ kind: 'followup', followUp: { bankId: 'invoice-money', probe: { move: 'money-and-time' }, askedBy: { role: 'ai-interviewer' } } });
    expect(await candidate.next('followup')).toEqual(second.followUp);
    // With a follow-up open, a request gets a hint about it.
    const third = ok(await candidate.socket.emitWithAck('followup:request', {}));
    expect(third).toMatchObject({ kind: 'hint', hint: { followUpId: second.followUp?.id, by: { role: 'ai-interviewer' } }, followUp: null });
    expect(third.hint?.text).toContain('Still on');
    expect(await candidate.next('hint')).toEqual(third.hint);

    const interviewer = await join(session, 'interviewer');
    expect(await interviewer.socket.emitWithAck('followup:request', {})).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    const { candidate: mockCandidate } = await liveSession('mock');
    expect(await mockCandidate.socket.emitWithAck('followup:request', {})).toMatchObject({ ok: false, code: 'WRONG_MODE' });
  });

  it('[IC4] refusals: roles, bad payloads, unknown follow-ups, sessions not started or ended — over socket.io and REST', async () => {
    const session = await createTestSession(rig.hatch.url, INTERVIEW_SCENARIO_ID, 'pair');
    const interviewer = await join(session, 'interviewer');
    expect(await interviewer.socket.emitWithAck('followup:send', { question: 'Too early?' })).toMatchObject({ ok: false, code: 'SESSION_NOT_STARTED' });
    expect(await api(session, 'followups', 'interviewer', { method: 'POST', json: { question: 'Too early?' } })).toMatchObject({
      status: 409,
      body: { code: 'SESSION_NOT_STARTED', type: 'urn:hatch:problem:session-not-started' },
    });
    const candidate = await join(session, 'candidate');
    await interviewer.next('session', (s) => s.status === 'live');
    const observer = await join(session, 'observer');
    const reviewer = await join(session, 'reviewer');

    expect(await candidate.socket.emitWithAck('followup:send', { question: 'Can I ask myself?' })).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    expect(await observer.socket.emitWithAck('followup:answered', { followUpId: '1', answer: 'x' })).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    expect(await reviewer.socket.emitWithAck('suggestions:get', {})).toMatchObject({ ok: false, code: 'FORBIDDEN_ROLE' });
    for (const [payload, path] of [
      [{}, 'payload.question'],
      [{ question: '   ' }, 'payload.question'],
      [{ question: 'x'.repeat(1001) }, 'payload.question'],
      [{ question: 'Fine?', extra: 1 }, 'payload.extra'],
      [{ question: 'Fine?', bankId: 'no-such-entry' }, 'payload.bankId'],
      ['a string', 'payload'],
    ] as const) {
      const ack = await interviewer.socket.emitWithAck('followup:send', payload as never);
      expect(ack).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', issues: [expect.objectContaining({ path })] });
    }
    expect(await interviewer.socket.emitWithAck('note:add', { text: '' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', issues: [{ path: 'payload.text' }] });
    expect(await interviewer.socket.emitWithAck('followup:answered', { followUpId: 'first' })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', issues: [{ path: 'payload.followUpId' }] });
    expect(await interviewer.socket.emitWithAck('followup:answered', { followUpId: '999999999' })).toMatchObject({ ok: false, code: 'FOLLOWUP_NOT_FOUND' });
    const asked = ok(await interviewer.socket.emitWithAck('followup:send', { question: 'What is a tenant here?' })).followUp;
    expect(await candidate.socket.emitWithAck('followup:answered', { followUpId: asked.id })).toMatchObject({ ok: false, code: 'INVALID_PAYLOAD', issues: [{ path: 'payload.answer' }] });
    // Without an acknowledgement the refusal comes back as an `error` event.
    candidate.sendRaw('followup:send', { question: 'no ack' });
    expect(await candidate.next('error', (e) => e.event === 'followup:send')).toMatchObject({ code: 'FORBIDDEN_ROLE' });

    // REST: problem details.
    expect(await api(session, 'followups', 'candidate', { method: 'POST', json: { question: 'Me?' } })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    const invalid = await api(session, 'followups', 'interviewer', { method: 'POST', json: { question: '' } });
    expect(invalid).toMatchObject({ status: 400, body: { code: 'REQUEST_INVALID', errors: [{ path: 'body.question' }] } });
    const unknownBank = await api(session, 'followups', 'interviewer', { method: 'POST', json: { question: 'Hm?', bankId: 'nope' } });
    expect(unknownBank).toMatchObject({ status: 400, body: { code: 'REQUEST_INVALID', errors: [{ path: 'body.bankId' }] } });
    expect(await api(session, 'followups/999999999/answered', 'interviewer', { method: 'POST', json: {} })).toMatchObject({ status: 404, body: { code: 'FOLLOWUP_NOT_FOUND' } });
    expect(await api(session, 'followups/abc/answered', 'interviewer', { method: 'POST', json: {} })).toMatchObject({ status: 400, body: { errors: [{ path: 'params.followUpId' }] } });
    expect(await api(session, `followups/${asked.id}/answered`, 'candidate', { method: 'POST', json: {} })).toMatchObject({ status: 400, body: { errors: [{ path: 'body.answer' }] } });
    expect(await api(session, `followups/${asked.id}/answered`, 'observer', { method: 'POST', json: {} })).toMatchObject({ status: 403, body: { code: 'FORBIDDEN_ROLE' } });
    expect(await api(session, 'notes', 'interviewer', { method: 'POST', json: { text: 'x'.repeat(4001) } })).toMatchObject({ status: 400, body: { errors: [{ path: 'body.text' }] } });
    for (const path of ['interviewer', 'suggestions', 'followups', 'notes']) {
      expect(await api(session, path, null)).toMatchObject({ status: 401, body: { code: 'TOKEN_MISSING' } });
    }
    const other = await createTestSession(rig.hatch.url, INTERVIEW_SCENARIO_ID, 'pair');
    expect(await request(`${rig.hatch.url}/api/sessions/${session.sessionId}/notes`, { headers: { authorization: `Bearer ${other.tokens.interviewer}` } })).toMatchObject({
      status: 403,
      body: { code: 'TOKEN_WRONG_SESSION' },
    });

    ok(await interviewer.socket.emitWithAck('session:end', {}));
    expect(await interviewer.socket.emitWithAck('followup:send', { question: 'One more?' })).toMatchObject({ ok: false, code: 'SESSION_ENDED' });
    expect(await api(session, 'followups', 'interviewer', { method: 'POST', json: { question: 'One more?' } })).toMatchObject({ status: 409, body: { code: 'SESSION_ENDED' } });
    // Notes may still be written after the end (the interviewer's write-up).
    expect(ok(await interviewer.socket.emitWithAck('note:add', { text: 'Hire.' })).note.text).toBe('Hire.');
  });

  it('[IC5] the console and interviewer endpoints are in the OpenAPI document', async () => {
    const { body } = await request(`${rig.hatch.url}/docs-json`);
    for (const path of [
      '/api/sessions/{id}/interviewer',
      '/api/sessions/{id}/suggestions',
      '/api/sessions/{id}/followups',
      '/api/sessions/{id}/followups/{followUpId}/answered',
      '/api/sessions/{id}/notes',
    ]) {
      expect(body.paths[path]).toBeDefined();
    }
    expect(Object.keys(body.paths['/api/sessions/{id}/followups'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(body.paths['/api/sessions/{id}/notes'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(body.paths['/api/sessions/{id}/notes'].get.responses['403']).toBeDefined();
  });
});
