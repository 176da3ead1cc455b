import type { ConnectionState } from './connection';
import { statusOf } from './status';

const state = (patch: Partial<ConnectionState>): ConnectionState => ({ phase: 'connected', synced: true, unsaved: 0, hasEdited: false, problem: null, ...patch });

describe('statusOf', () => {
  it.each([
    [{ phase: 'connecting', synced: false }, true, 'connecting', 'Connecting…'],
    [{}, true, 'connected', 'Connected'],
    [{ unsaved: 2, hasEdited: true }, true, 'saving', 'Saving…'],
    [{ hasEdited: true }, true, 'saved', 'All changes saved'],
    [{ phase: 'offline', synced: false, unsaved: 3, hasEdited: true }, true, 'offline', 'Offline — 3 unsaved changes'],
    [{ phase: 'offline', synced: false, unsaved: 1, hasEdited: true }, true, 'offline', 'Offline — 1 unsaved change'],
    [{ phase: 'offline', synced: false }, true, 'offline', 'Offline — reconnecting…'],
    [{ phase: 'closed', synced: false }, true, 'closed', 'Disconnected'],
    [{}, false, 'read-only', 'Connected · read-only'],
  ] as const)('[WU5] %j (writer: %s) → %s', (patch, canWrite, kind, text) => {
    expect(statusOf(state(patch as Partial<ConnectionState>), canWrite)).toEqual({ kind, text });
  });
});
