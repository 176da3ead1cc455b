import { headerlessForwarder, parseJudgment, parseNextReply, splitReply } from './llm-reply';

describe('reading the model’s replies', () => {
  it.each([
    ['FOLLOWUP history\nWhat happens to audit rows when a user is deleted?', { kind: 'followup', move: 'history', text: 'What happens to audit rows when a user is deleted?' }],
    ['**Follow-up: access-pattern-indexes**\n"Which index serves the dashboard?"', { kind: 'followup', move: 'access-pattern-indexes', text: 'Which index serves the dashboard?' }],
    ['HINT none\nLook at how invoice_items reaches invoices.', { kind: 'hint', move: 'none', text: 'Look at how invoice_items reaches invoices.' }],
    ['How would you index usage by tenant and meter?', { kind: 'followup', move: 'tenant-boundaries', text: 'How would you index usage by tenant and meter?' }],
  ])('[R1] %j', (raw, expected) => {
    expect(parseNextReply(raw, { kind: 'followup', move: 'tenant-boundaries' })).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['FOLLOWUP teleportation\nHow?', /move/],
    ['FOLLOWUP history\nWhy?', /too short/],
    [`FOLLOWUP history\n${'x'.repeat(700)}`, /longer than 600/],
    ['{"kind":"followup"}', /JSON/],
  ])('[R2] rejects %j', (raw, error) => {
    const parsed = parseNextReply(raw, { kind: 'followup', move: null });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });

  it('[R3] the forwarder drops the header line, however the stream splits it, and passes a header-less reply through', () => {
    const run = (deltas: string[]) => {
      const seen: string[] = [];
      const forward = headerlessForwarder((d) => seen.push(d));
      for (const d of deltas) forward(d);
      return seen;
    };
    expect(run(['F', 'OLLOW', 'UP his', 'tory', '\nWhat ', 'happens?'])).toEqual(['What ', 'happens?']);
    expect(run(['HINT none\n', 'Look at ', 'the keys.'])).toEqual(['Look at ', 'the keys.']);
    expect(run(['How would ', 'you index it?'])).toEqual(['How would ', 'you index it?']);
    expect(run(['Hi', 'story tables?'])).toEqual(['History tables?']);
    expect(splitReply('  FOLLOWUP: history — What about deletes?')).toEqual({ kind: 'followup', move: 'history', text: 'What about deletes?' });
  });

  it('[R4] a judgment is JSON, bare, fenced or inside prose; anything else is malformed', () => {
    const verdicts = [{ target: 'frame.tenancy', verdict: 'partly', rationale: 'No reason.' }];
    for (const raw of [JSON.stringify({ verdicts }), `\`\`\`json\n${JSON.stringify({ verdicts })}\n\`\`\``, `Sure! ${JSON.stringify({ verdicts })} Done.`]) {
      expect(parseJudgment(raw)).toEqual({ ok: true, value: { verdicts } });
    }
    expect(parseJudgment('no json here')).toEqual({ ok: false, error: 'malformed judgment: the reply is not JSON' });
    expect(parseJudgment('{"verdicts":[{"target":"frame.tenancy","verdict":"great","rationale":"x"}]}')).toMatchObject({ ok: false, error: expect.stringContaining('verdicts.0.verdict') });
  });
});
