import type { InterviewerMove, InterviewState } from './interviewer.types';
import { stageLabel } from './text';

const ORDER = ['frame', 'list', 'optimize', 'win'] as const;

/**
 * The AI interviewer's first words in a mock interview: the plan and the first task, said once, as soon
 * as the session is live and before any grade exists, so a candidate never faces a silent room.
 * Null when it is not the moment (another mode, not started, or an interviewer has already spoken).
 */
export function openingMove(state: InterviewState): InterviewerMove | null {
  if (state.mode !== 'mock' || state.stage === null || state.sessionStartedAt === null) return null;
  if (state.lastInterviewerMoveAt !== null || state.followUps.length > 0) return null;
  if (state.conversation.some((turn) => turn.speaker !== 'candidate')) return null;
  const time = state.scenario.timePerStage;
  const plan = ORDER.map((stage) => `${stageLabel(stage)} (${time[stage]} min)`).join(' → ');
  const then = state.scenario.formats.includes('event-tracking')
    ? 'Then model the entities in the Diagram and the events in the Events tab.'
    : 'Then model the entities in the Diagram.';
  const first =
    state.stage === 'frame'
      ? `Start with Frame: in the Frame tab, name the actors, the rules that must always hold, the questions the system must answer fastest (with how often), and your tenancy decision. ${then}`
      : `We start at ${stageLabel(state.stage)}.`;
  return {
    kind: 'hint',
    text: `Welcome — I'm your interviewer for “${state.scenario.title}”. We'll go ${plan}, and I'll ask follow-ups as your model takes shape. ${first} Think aloud in the chat whenever you like.`,
    move: state.stage === 'frame' ? 'framing' : null,
    why: 'The interview has started and the interviewer has not spoken yet.',
  };
}
