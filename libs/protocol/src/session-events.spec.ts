import { roles } from './roles';
import {
  CHAT_MAX_LENGTH,
  clientEventSchemas,
  END_REASON_MAX_LENGTH,
  flowStages,
  FOLLOWUP_MAX_LENGTH,
  mayReadStoredEvent,
  NOTE_MAX_LENGTH,
  privateEventTypes,
  type StoredEventType,
  storedEventTypes,
} from './session-events';

describe('session event payload schemas', () => {
  const chat = clientEventSchemas['chat:send'];
  const stage = clientEventSchemas['stage:set'];
  const start = clientEventSchemas['session:start'];
  const end = clientEventSchemas['session:end'];

  it('[PE1] chat:send trims the text and accepts up to the limit', () => {
    expect(chat.parse({ text: '  hello  ' })).toEqual({ text: 'hello' });
    expect(chat.parse({ text: 'x'.repeat(CHAT_MAX_LENGTH) }).text).toHaveLength(CHAT_MAX_LENGTH);
  });

  it.each([
    ['an empty text', { text: '   ' }, 'must not be empty'],
    ['a text over the limit', { text: 'x'.repeat(CHAT_MAX_LENGTH + 1) }, `at most ${CHAT_MAX_LENGTH}`],
    ['a number', { text: 42 }, 'string'],
    ['an unknown field', { text: 'hi', html: '<b>' }, 'html'],
    ['no payload', undefined, 'object'],
  ])('[PE2] chat:send refuses %s', (_label, payload, message) => {
    const result = chat.safeParse(payload);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain(message);
  });

  it('[PE3] stage:set accepts exactly the four FLOW stages', () => {
    for (const s of flowStages) expect(stage.parse({ stage: s })).toEqual({ stage: s });
    const bad = stage.safeParse({ stage: 'deploy' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toBe('must be one of frame, list, optimize, win');
    expect(stage.safeParse({ stage: 'FRAME' }).success).toBe(false);
  });

  it('[PE4] session:start and session:end take a missing payload as {}, and refuse extra fields', () => {
    expect(start.parse(undefined)).toEqual({});
    expect(start.parse({})).toEqual({});
    expect(start.safeParse({ at: 1 }).success).toBe(false);
    expect(end.parse(undefined)).toEqual({});
    expect(end.parse({ reason: ' time is up ' })).toEqual({ reason: 'time is up' });
    expect(end.safeParse({ reason: 'x'.repeat(END_REASON_MAX_LENGTH + 1) }).success).toBe(false);
    expect(end.safeParse('stop').success).toBe(false);
  });

  it('[PE5] the stored event types are unique and the FLOW stages are in order', () => {
    expect(new Set<StoredEventType>(storedEventTypes).size).toBe(storedEventTypes.length);
    expect(flowStages).toEqual(['frame', 'list', 'optimize', 'win']);
    expect(roles).toContain('interviewer');
  });

  it('[PE6] followup:send takes a trimmed question and an optional bank id; nothing else', () => {
    const send = clientEventSchemas['followup:send'];
    expect(send.parse({ question: '  How do you keep tenants apart?  ' })).toEqual({ question: 'How do you keep tenants apart?' });
    expect(send.parse({ question: 'Edited?', bankId: 'isolation' })).toEqual({ question: 'Edited?', bankId: 'isolation' });
    expect(send.parse({ question: 'Free?', bankId: null })).toEqual({ question: 'Free?', bankId: null });
    for (const bad of [{}, { question: ' ' }, { question: 'x'.repeat(FOLLOWUP_MAX_LENGTH + 1) }, { question: 'ok', bankId: '' }, { question: 'ok', probe: {} }, 'ok']) {
      expect(send.safeParse(bad).success).toBe(false);
    }
  });

  it('[PE7] followup:answered names a follow-up by its event id, with an optional answer; note:add a text; the rest take nothing', () => {
    const answered = clientEventSchemas['followup:answered'];
    expect(answered.parse({ followUpId: '42', answer: ' bigint minor units ' })).toEqual({ followUpId: '42', answer: 'bigint minor units' });
    expect(answered.parse({ followUpId: '42' })).toEqual({ followUpId: '42' });
    for (const bad of [{ followUpId: 42 }, { followUpId: 'abc' }, { followUpId: '1', answer: '' }, { followUpId: '1', answer: 'x'.repeat(CHAT_MAX_LENGTH + 1) }]) {
      expect(answered.safeParse(bad).success).toBe(false);
    }
    const note = clientEventSchemas['note:add'];
    expect(note.parse({ text: ' strong framing ' })).toEqual({ text: 'strong framing' });
    expect(note.safeParse({ text: 'x'.repeat(NOTE_MAX_LENGTH + 1) }).success).toBe(false);
    for (const event of ['followup:request', 'suggestions:get'] as const) {
      expect(clientEventSchemas[event].parse(undefined)).toEqual({});
      expect(clientEventSchemas[event].safeParse({ limit: 3 }).success).toBe(false);
    }
  });

  it('[PE8] private notes are readable by interviewers only; every other stored event by every role', () => {
    expect(privateEventTypes).toEqual(['note']);
    for (const role of roles) {
      expect(mayReadStoredEvent(role, 'note')).toBe(role === 'interviewer');
      for (const type of storedEventTypes.filter((t) => t !== 'note')) expect(mayReadStoredEvent(role, type)).toBe(true);
    }
  });
});
