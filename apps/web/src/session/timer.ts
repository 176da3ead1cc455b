import type { FlowStage, TimerPayload } from '@hatch/protocol';

export interface StageClock {
  stage: FlowStage;
  /** Seconds left in the stage (negative: overtime); null when the scenario gives no time. */
  remainingSeconds: number | null;
  /** Seconds since the stage started. */
  elapsedSeconds: number;
  limitSeconds: number | null;
}

/**
 * remaining = minutesPerStage[stage] × 60 − (serverNow − stageStartedAt), where serverNow is the local
 * clock plus the offset measured from the last `timer` (docs/session-events.md). An ended session's
 * clock stops at its end.
 */
export function stageClock(timer: TimerPayload | null, clockOffsetMs: number, localNow: number): StageClock | null {
  if (!timer?.stage || !timer.stageStartedAt) return null;
  const started = Date.parse(timer.stageStartedAt);
  const ended = timer.sessionEndedAt ? Date.parse(timer.sessionEndedAt) : null;
  const serverNow = ended ?? localNow + clockOffsetMs;
  const elapsedSeconds = Math.max(0, Math.floor((serverNow - started) / 1000));
  const minutes = timer.minutesPerStage?.[timer.stage];
  const limitSeconds = minutes === undefined || minutes === null ? null : Math.round(minutes * 60);
  return { stage: timer.stage, elapsedSeconds, limitSeconds, remainingSeconds: limitSeconds === null ? null : limitSeconds - elapsedSeconds };
}

/** `m:ss` (or `h:mm:ss`) of a non-negative number of seconds. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
