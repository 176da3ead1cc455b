import type { TimerPayload } from '@hatch/protocol';
import { formatDuration, stageClock } from './timer';

const timer = (patch: Partial<TimerPayload> = {}): TimerPayload => ({
  status: 'live',
  sessionStartedAt: '2030-01-01T10:00:00.000Z',
  sessionEndedAt: null,
  stage: 'frame',
  stageStartedAt: '2030-01-01T10:00:00.000Z',
  minutesPerStage: { frame: 8, list: 15, optimize: 12, win: 10 },
  serverNow: '2030-01-01T10:00:00.000Z',
  ...patch,
});
const at = (iso: string) => Date.parse(iso);

describe('stage timer', () => {
  it('[WP6] remaining = minutes × 60 − (server now − stage start), with the clock offset', () => {
    // the local clock is 30 s behind the server's: local 10:02:30 is server 10:03:00
    expect(stageClock(timer(), 30_000, at('2030-01-01T10:02:30.000Z'))).toEqual({ stage: 'frame', elapsedSeconds: 180, limitSeconds: 480, remainingSeconds: 300 });
  });

  it('[WP7] overtime is negative; an ended session stops the clock; no time → elapsed only', () => {
    expect(stageClock(timer(), 0, at('2030-01-01T10:09:05.000Z'))?.remainingSeconds).toBe(-65);
    expect(stageClock(timer({ status: 'ended', sessionEndedAt: '2030-01-01T10:04:00.000Z' }), 0, at('2030-01-01T11:00:00.000Z'))?.remainingSeconds).toBe(240);
    expect(stageClock(timer({ minutesPerStage: null }), 0, at('2030-01-01T10:01:00.000Z'))).toEqual({ stage: 'frame', elapsedSeconds: 60, limitSeconds: null, remainingSeconds: null });
    expect(stageClock(timer({ status: 'created', stage: null, stageStartedAt: null }), 0, Date.now())).toBeNull();
    expect(stageClock(null, 0, Date.now())).toBeNull();
  });

  it('[WP8] durations read m:ss or h:mm:ss', () => {
    expect([0, 5, 65, 600, 3725, -3].map(formatDuration)).toEqual(['0:00', '0:05', '1:05', '10:00', '1:02:05', '0:00']);
  });
});
