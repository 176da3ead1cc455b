import { type FlowStage, flowStages, type ScoreUpdate } from '@hatch/protocol';

/** Stage line colours, shared by the tiles, the chart and its legend. */
export const STAGE_COLORS: Record<FlowStage, string> = { frame: '#2563eb', list: '#0f766e', optimize: '#c2410c', win: '#7c3aed' };
export const TOTAL_COLOR = '#1b2430';

const WIDTH = 296;
const HEIGHT = 112;
const PAD = { left: 24, right: 6, top: 6, bottom: 16 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;
/** The x axis spans at least this long, so the first samples do not stretch across the chart. */
const MIN_SPAN_MS = 60_000;

export type Series = { key: FlowStage | 'total'; color: string; points: string; total: boolean };

/** Step lines (a score holds until the next sample) from the samples, x = time since `startMs`. */
export function chartSeries(samples: readonly ScoreUpdate[], startMs: number): { series: Series[]; spanMs: number } {
  const times = samples.map((s) => Date.parse(s.at));
  const last = times.length ? Math.max(...times) : startMs;
  const spanMs = Math.max(MIN_SPAN_MS, last - startMs);
  const x = (t: number) => PAD.left + (Math.max(0, t - startMs) / spanMs) * PLOT_W;
  const y = (v: number) => PAD.top + (1 - Math.min(100, Math.max(0, v)) / 100) * PLOT_H;
  const line = (value: (s: ScoreUpdate) => number) => {
    const out: string[] = [];
    samples.forEach((sample, i) => {
      const px = x(times[i]).toFixed(1);
      if (i > 0) out.push(`${px},${y(value(samples[i - 1])).toFixed(1)}`);
      out.push(`${px},${y(value(sample)).toFixed(1)}`);
    });
    return out.join(' ');
  };
  const series: Series[] = flowStages.map((stage) => ({ key: stage, color: STAGE_COLORS[stage], points: line((s) => s.stages[stage]), total: false }));
  series.push({ key: 'total', color: TOTAL_COLOR, points: line((s) => s.total), total: true });
  return { series, spanMs };
}

/** The chart's fixed box (SVG user units = CSS px). */
export const CHART = { width: WIDTH, height: HEIGHT, pad: PAD, plotW: PLOT_W, plotH: PLOT_H } as const;
