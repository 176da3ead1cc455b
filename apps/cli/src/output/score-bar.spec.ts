import { scoreBar } from './score-bar';
import { padEnd, visibleLength, wrap } from './text-layout';

describe('scoreBar', () => {
  it.each([
    [0, '░░░░░░░░░░'],
    [100, '██████████'],
    [50, '█████░░░░░'],
    [55, '█████▌░░░░'],
    [96, '█████████▋'],
  ])('draws %i as %s', (score, bar) => {
    expect(scoreBar(score, 10)).toBe(bar);
  });

  it('keeps every bar the same width and clamps out-of-range scores', () => {
    for (const score of [-5, 0, 1, 33, 67, 99, 100, 140, Number.NaN]) expect([...scoreBar(score, 24)]).toHaveLength(24);
    expect(scoreBar(140, 4)).toBe('████');
    expect(scoreBar(-5, 4)).toBe('░░░░');
  });

  it('grows with the score', () => {
    const eighths = (score: number) => [...scoreBar(score, 24)].reduce((sum, cell) => sum + (cell === '█' ? 8 : cell === '░' ? 0 : ' ▏▎▍▌▋▊▉'.indexOf(cell)), 0);
    for (let score = 1; score <= 100; score++) expect(eighths(score)).toBeGreaterThanOrEqual(eighths(score - 1));
    expect(eighths(100)).toBe(24 * 8);
  });
});

describe('text layout', () => {
  it('measures text without ANSI escapes', () => {
    expect(visibleLength('\u001b[32m█▌\u001b[39m')).toBe(2);
    expect(padEnd('\u001b[1mab\u001b[22m', 4)).toBe('\u001b[1mab\u001b[22m  ');
  });

  it('wraps words to the width with an indent', () => {
    expect(wrap('one two three four five six', 31, '    ')).toEqual(['    one two three four five six']);
    const lines = wrap('alpha beta gamma delta epsilon zeta eta theta iota kappa', 24, '  ');
    expect(lines.every((line) => line.length <= 24 && line.startsWith('  '))).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ').trim()).toBe('alpha beta gamma delta epsilon zeta eta theta iota kappa');
  });
});
