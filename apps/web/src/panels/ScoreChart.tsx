import type { ScoreUpdate } from '@hatch/protocol';
import { type JSX, useMemo } from 'react';
import { formatDuration } from '../session/timer';
import { CHART, chartSeries } from './chart-geometry';
import { flowStages, STAGE_LABELS } from './panel-format';

/**
 * Scores over the session so far: an inline SVG of fixed size (four stage lines and the total, y 0–100,
 * x the time since the session started). New samples redraw the lines inside the same box.
 */
export function ScoreChart({ samples, startedAt }: { samples: readonly ScoreUpdate[]; startedAt: string | null }): JSX.Element {
  const startMs = useMemo(() => {
    const started = startedAt ? Date.parse(startedAt) : NaN;
    if (Number.isFinite(started)) return started;
    return samples.length ? Date.parse(samples[0].at) : Date.now();
  }, [startedAt, samples]);
  const { series, spanMs } = useMemo(() => chartSeries(samples, startMs), [samples, startMs]);
  const latest = samples[samples.length - 1];
  const summary = latest
    ? `${samples.length} score samples. Latest: ${flowStages.map((s) => `${STAGE_LABELS[s]} ${latest.stages[s]}`).join(', ')}, total ${latest.total}.`
    : 'No score samples yet.';
  return (
    <figure className="score-chart" data-testid="score-chart" data-points={samples.length}>
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} width={CHART.width} height={CHART.height} role="img" aria-label={`Scores over time. ${summary}`}>
        {[0, 50, 100].map((v) => {
          const gy = CHART.pad.top + (1 - v / 100) * CHART.plotH;
          return (
            <g key={v}>
              <line x1={CHART.pad.left} x2={CHART.width - CHART.pad.right} y1={gy} y2={gy} className="chart-grid" />
              <text x={CHART.pad.left - 4} y={gy + 3} className="chart-axis" textAnchor="end">
                {v}
              </text>
            </g>
          );
        })}
        <text x={CHART.pad.left} y={CHART.height - 3} className="chart-axis">
          0:00
        </text>
        <text x={CHART.width - CHART.pad.right} y={CHART.height - 3} className="chart-axis" textAnchor="end">
          {formatDuration(spanMs / 1000)}
        </text>
        {samples.length === 0 && (
          <text x={CHART.pad.left + CHART.plotW / 2} y={CHART.pad.top + CHART.plotH / 2} className="chart-empty" textAnchor="middle">
            Scores appear as the model changes
          </text>
        )}
        {series.map((s) => (
          <polyline key={s.key} points={s.points} fill="none" stroke={s.color} strokeWidth={s.total ? 2.2 : 1.5} strokeDasharray={s.total ? '4 2' : undefined} data-series={s.key} />
        ))}
      </svg>
      <figcaption className="chart-legend" aria-hidden="true">
        {series.map((s) => (
          <span key={s.key} className="legend-item">
            <span className={`legend-swatch${s.total ? ' dashed' : ''}`} style={{ borderColor: s.color }} />
            {s.key === 'total' ? 'Total' : STAGE_LABELS[s.key]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
