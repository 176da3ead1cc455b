import { type FlowStage, flowStages, type EventActor } from '@hatch/protocol';
import { STAGE_LABELS } from '../api/types';
import { ROLE_LABELS } from '../room/collab/presence';

export { flowStages, STAGE_LABELS };
export type { FlowStage };

export { STAGE_COLORS, TOTAL_COLOR } from './chart-geometry';

/** A grader move in prose: `tenant-boundaries` → `Tenant boundaries`. */
export function moveLabel(move: string | null): string {
  if (!move) return 'Free question';
  const words = move.replace(/-/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `14:05` in the viewer's time zone. */
export function clockTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function actorLabel(actor: EventActor): string {
  if (actor.role === 'ai-interviewer') return actor.displayName || 'AI interviewer';
  return actor.displayName || ROLE_LABELS[actor.role];
}

/** Points, one decimal at most: 12, 2.5. */
export function points(value: number): string {
  return String(Math.round(value * 10) / 10);
}
