import type { CSSProperties, JSX } from 'react';
import { type FlowStage, flowStages, STAGE_COLORS, STAGE_LABELS } from './panel-format';

export interface TileScores {
  stages: Record<FlowStage, number>;
  total: number;
}

/**
 * The four FLOW scores and the total, in fixed-size tiles with tabular digits: a new score changes
 * digits, never the layout. The current stage is highlighted; the last change shows as a delta in a
 * reserved slot.
 */
export function ScoreTiles({ scores, previous, stage }: { scores: TileScores | null; previous: TileScores | null; stage: FlowStage | null }): JSX.Element {
  return (
    <div className="score-tiles" role="group" aria-label="FLOW scores, 0 to 100" data-testid="score-tiles">
      {flowStages.map((s) => (
        <Tile
          key={s}
          id={s}
          label={STAGE_LABELS[s]}
          value={scores?.stages[s] ?? null}
          before={previous?.stages[s] ?? null}
          current={stage === s}
          color={STAGE_COLORS[s]}
        />
      ))}
      <Tile id="total" label="Total" value={scores?.total ?? null} before={previous?.total ?? null} current={false} color={null} />
    </div>
  );
}

function Tile(props: { id: string; label: string; value: number | null; before: number | null; current: boolean; color: string | null }): JSX.Element {
  const { value, before } = props;
  const delta = value !== null && before !== null ? value - before : 0;
  return (
    <div
      className={`score-tile${props.current ? ' current' : ''}${props.color ? '' : ' score-total'}`}
      data-testid={`score-${props.id}`}
      data-score={value ?? ''}
      data-current={props.current ? 'true' : 'false'}
      style={props.color ? ({ '--stage-color': props.color } as CSSProperties) : undefined}
    >
      <span className="score-label">
        {props.label}
        {props.current && <span className="visually-hidden"> (current stage)</span>}
      </span>
      <span className="score-value">
        {value ?? '–'}
        <span className="visually-hidden">{value === null ? ' (no score yet)' : ' of 100'}</span>
      </span>
      <span className={`score-delta${delta > 0 ? ' up' : delta < 0 ? ' down' : ''}`} aria-hidden="true">
        {delta > 0 ? `▲${delta}` : delta < 0 ? `▼${-delta}` : ''}
      </span>
    </div>
  );
}
