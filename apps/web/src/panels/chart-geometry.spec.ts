import type { ScoreUpdate } from '@hatch/protocol';
import { CHART, chartSeries } from './chart-geometry';

const sample = (id: string, at: string, list: number, total: number): ScoreUpdate => ({
  id,
  seq: Number(id),
  at,
  total,
  stages: { frame: 0, list, optimize: 0, win: 0 },
  weakMoves: [],
});
const start = Date.parse('2030-01-01T10:00:00.000Z');

describe('score chart geometry', () => {
  it('[WP9] one step line per stage plus the total, x from the session start, y 0–100 inside the box', () => {
    const samples = [sample('1', '2030-01-01T10:00:30.000Z', 10, 3), sample('2', '2030-01-01T10:02:00.000Z', 50, 13)];
    const { series, spanMs } = chartSeries(samples, start);
    expect(series.map((s) => s.key)).toEqual(['frame', 'list', 'optimize', 'win', 'total']);
    expect(spanMs).toBe(120_000);
    const list = series[1].points.split(' ').map((p) => p.split(',').map(Number));
    const { pad, plotW, plotH } = CHART;
    // (30 s, 10) → (120 s, 10) → (120 s, 50): the score holds until the next sample
    expect(list).toEqual([
      [pad.left + plotW / 4, pad.top + plotH * 0.9],
      [pad.left + plotW, pad.top + plotH * 0.9],
      [pad.left + plotW, pad.top + plotH * 0.5],
    ].map(([x, y]) => [Number(x.toFixed(1)), Number(y.toFixed(1))]));
  });

  it('[WP10] the axis spans at least a minute; no samples → empty lines', () => {
    expect(chartSeries([sample('1', '2030-01-01T10:00:06.000Z', 10, 3)], start).spanMs).toBe(60_000);
    expect(chartSeries([], start).series.every((s) => s.points === '')).toBe(true);
  });
});
