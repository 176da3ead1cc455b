import { parseRoute } from './route';

const at = (pathname: string, hash = '', search = '') => parseRoute({ pathname, hash, search });

describe('parseRoute', () => {
  it('[WU6] reads the lobby, the room with its token (fragment or query), and anything else', () => {
    expect(at('/')).toEqual({ name: 'lobby' });
    expect(at('/sessions/abc', '#token=t.1')).toEqual({ name: 'room', sessionId: 'abc', token: 't.1' });
    expect(at('/s/abc/', '', '?token=t.2')).toEqual({ name: 'room', sessionId: 'abc', token: 't.2' });
    expect(at('/sessions/abc')).toEqual({ name: 'room', sessionId: 'abc', token: null });
    expect(at('/sessions/%E0%A4%A')).toEqual({ name: 'not-found', path: '/sessions/%E0%A4%A' });
    expect(at('/nope')).toEqual({ name: 'not-found', path: '/nope' });
  });
});
