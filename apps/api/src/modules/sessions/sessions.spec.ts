import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { HatchApp } from '../../app.factory';
import { PROBLEM_CONTENT_TYPE } from '../../common/problem-details';
import { FIXTURE_SCENARIO_ID, request, startTestApp, type TestResponse } from '../../testing/test-app';
import { type TestDatabase, testBackends } from '../../testing/test-databases';
import type { CreatedSession } from './session.dto';
import { JOIN_TOKEN_AUDIENCE, JOIN_TOKEN_ISSUER, JoinTokenService } from '../auth/join-token.service';

const ROLES = ['candidate', 'interviewer', 'observer', 'reviewer'] as const;

const decodeJwtPart = (token: string, part: 0 | 1) => JSON.parse(Buffer.from(token.split('.')[part], 'base64url').toString('utf8'));

describe.each(testBackends())('sessions API on $name', (backend) => {
  let testDb: TestDatabase;
  let hatch: HatchApp;
  let api: string;

  beforeAll(async () => {
    testDb = await backend.create();
    hatch = await startTestApp(testDb.env);
    api = `${hatch.url}/api`;
  });

  afterAll(async () => {
    await hatch?.close();
    await testDb?.dispose();
  });

  const createSession = async (mode = 'mock'): Promise<CreatedSession> => {
    const res = await request(`${api}/sessions`, { method: 'POST', json: { scenarioId: FIXTURE_SCENARIO_ID, mode } });
    expect(res.status).toBe(201);
    return res.body;
  };

  const expectProblem = (res: TestResponse, status: number, code: string) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toContain(PROBLEM_CONTENT_TYPE);
    expect(res.body).toMatchObject({ status, code, type: expect.stringMatching(/^urn:hatch:problem:/), title: expect.any(String) });
    expect(typeof res.body.detail).toBe('string');
    expect(JSON.stringify(res.body)).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack frames
  };

  describe('POST /api/sessions', () => {
    it('[S1] creates a session with one signed join token per role', async () => {
      const created = await createSession('pair');
      expect(created).toMatchObject({ scenarioId: FIXTURE_SCENARIO_ID, scenarioVersion: 3, mode: 'pair', status: 'created' });
      expect(created.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(Object.keys(created.tokens).sort()).toEqual([...ROLES].sort());
      const participantIds = new Set<string>();
      for (const role of ROLES) {
        const token = created.tokens[role];
        expect(decodeJwtPart(token, 0)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
        const claims = decodeJwtPart(token, 1);
        expect(claims).toMatchObject({ sid: created.sessionId, role, iss: JOIN_TOKEN_ISSUER, aud: JOIN_TOKEN_AUDIENCE });
        expect(claims.exp - claims.iat).toBe(7 * 86400);
        participantIds.add(claims.sub);
        expect(created.links[role]).toBe(`/sessions/${created.sessionId}#token=${token}`);
      }
      expect(participantIds.size).toBe(4);
    });

    it('[S2] 404 problem for an unknown scenario', async () => {
      const res = await request(`${api}/sessions`, { method: 'POST', json: { scenarioId: 'no-such-scenario', mode: 'mock' } });
      expectProblem(res, 404, 'SCENARIO_NOT_FOUND');
      expect(res.body.detail).toContain('no-such-scenario');
      expect(res.body.instance).toBe('/api/sessions');
    });

    it.each([
      ['a missing mode', { scenarioId: FIXTURE_SCENARIO_ID }, ['body.mode']],
      ['an unknown mode', { scenarioId: FIXTURE_SCENARIO_ID, mode: 'solo' }, ['body.mode']],
      ['an empty scenario id and a wrong type', { scenarioId: '  ', mode: 7 }, ['body.scenarioId', 'body.mode']],
      ['an unknown field', { scenarioId: FIXTURE_SCENARIO_ID, mode: 'mock', extra: true }, ['body.extra']],
      ['an array body', [1, 2], ['body']],
    ])('[S3] 400 problem naming the field for %s', async (_label, json, paths) => {
      const res = await request(`${api}/sessions`, { method: 'POST', json });
      expectProblem(res, 400, 'REQUEST_INVALID');
      expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual([...paths].sort());
      for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
    });

    it('[S4] 400 problem for malformed JSON', async () => {
      const res = await request(`${api}/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"scenarioId": "tiny-saas",',
      });
      expectProblem(res, 400, 'BODY_MALFORMED');
    });

    it('[S5] 413 problem for an oversized body', async () => {
      const res = await request(`${api}/sessions`, {
        method: 'POST',
        json: { scenarioId: FIXTURE_SCENARIO_ID, mode: 'mock', padding: 'x'.repeat(200_000) },
      });
      expectProblem(res, 413, 'BODY_TOO_LARGE');
    });
  });

  describe('GET /api/sessions/:id', () => {
    let session: CreatedSession;
    let other: CreatedSession;

    beforeAll(async () => {
      session = await createSession('mock');
      other = await createSession('practice');
    });

    it.each(ROLES)('[S6] returns the session to the %s, with a Bearer token', async (role) => {
      const res = await request(`${api}/sessions/${session.sessionId}`, { headers: { authorization: `Bearer ${session.tokens[role]}` } });
      expect(res.status).toBe(200);
      const participantId = decodeJwtPart(session.tokens[role], 1).sub;
      expect(res.body).toMatchObject({
        id: session.sessionId,
        scenario: { id: FIXTURE_SCENARIO_ID, version: 3, title: 'Tiny SaaS', difficulty: 'junior', formats: ['multi-tenant-saas'], totalMinutes: 25 },
        mode: 'mock',
        status: 'created',
        startedAt: null,
        endedAt: null,
        you: { role, participantId },
      });
      expect(new Date(res.body.createdAt).toISOString()).toBe(res.body.createdAt);
      expect(res.body.participants.map((p: { role: string }) => p.role)).toEqual([...ROLES]);
      expect(res.body.participants.find((p: { id: string }) => p.id === participantId).role).toBe(role);
    });

    it('[S7] accepts the token as ?token= too, and an upper-case id', async () => {
      const res = await request(`${api}/sessions/${session.sessionId.toUpperCase()}?token=${session.tokens.observer}`);
      expect(res.status).toBe(200);
      expect(res.body.you.role).toBe('observer');
    });

    it('[S8] 401 TOKEN_MISSING without a token', async () => {
      const res = await request(`${api}/sessions/${session.sessionId}`);
      expectProblem(res, 401, 'TOKEN_MISSING');
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    });

    it('[S9] 401 TOKEN_INVALID for a token signed with another key, a tampered one and garbage', async () => {
      const forger = new JwtService({ secret: 'f'.repeat(48) });
      const forged = await forger.signAsync(
        { sid: session.sessionId, role: 'interviewer' },
        { subject: randomUUID(), issuer: JOIN_TOKEN_ISSUER, audience: JOIN_TOKEN_AUDIENCE, expiresIn: 3600 },
      );
      const [header, payload, signature] = session.tokens.observer.split('.');
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      const tampered = [header, Buffer.from(JSON.stringify({ ...claims, role: 'interviewer' })).toString('base64url'), signature].join('.');
      for (const token of [forged, tampered, 'not-a-jwt']) {
        const res = await request(`${api}/sessions/${session.sessionId}`, { headers: { authorization: `Bearer ${token}` } });
        expectProblem(res, 401, 'TOKEN_INVALID');
      }
    });

    it('[S10] 401 TOKEN_EXPIRED for an expired token', async () => {
      const participantId = decodeJwtPart(session.tokens.candidate, 1).sub;
      const expired = await hatch.app
        .get(JoinTokenService)
        .sign({ sessionId: session.sessionId, role: 'candidate', participantId }, -60);
      const res = await request(`${api}/sessions/${session.sessionId}`, { headers: { authorization: `Bearer ${expired}` } });
      expectProblem(res, 401, 'TOKEN_EXPIRED');
    });

    it("[S11] 403 TOKEN_WRONG_SESSION for another session's valid token", async () => {
      const res = await request(`${api}/sessions/${session.sessionId}`, { headers: { authorization: `Bearer ${other.tokens.candidate}` } });
      expectProblem(res, 403, 'TOKEN_WRONG_SESSION');
    });

    it('[S12] 404 SESSION_NOT_FOUND for a well-formed id no session has', async () => {
      const missing = randomUUID();
      const token = await hatch.app.get(JoinTokenService).sign({ sessionId: missing, role: 'candidate', participantId: randomUUID() });
      const res = await request(`${api}/sessions/${missing}`, { headers: { authorization: `Bearer ${token}` } });
      expectProblem(res, 404, 'SESSION_NOT_FOUND');
    });

    it('[S13] 401 when the token names a participant the session does not have', async () => {
      const token = await hatch.app
        .get(JoinTokenService)
        .sign({ sessionId: session.sessionId, role: 'interviewer', participantId: randomUUID() });
      const res = await request(`${api}/sessions/${session.sessionId}`, { headers: { authorization: `Bearer ${token}` } });
      expectProblem(res, 401, 'TOKEN_INVALID');
    });

    it('[S14] 400 for a malformed id, naming params.id (before any token check)', async () => {
      const res = await request(`${api}/sessions/not-a-uuid`);
      expectProblem(res, 400, 'REQUEST_INVALID');
      expect(res.body.errors).toEqual([{ path: 'params.id', message: 'must be a UUID' }]);
    });

    it('[S15] never echoes the token of the query string in the problem', async () => {
      const res = await request(`${api}/sessions/${session.sessionId}?token=${other.tokens.candidate}`);
      expect(res.status).toBe(403);
      expect(res.body.instance).toBe(`/api/sessions/${session.sessionId}`);
      expect(JSON.stringify(res.body)).not.toContain(other.tokens.candidate);
    });
  });
});
