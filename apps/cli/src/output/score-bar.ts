const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/**
 * A score 0–100 drawn as a bar of `width` cells with eighth-cell resolution: `█████▍░░░░`.
 * The track (`░`) keeps every bar the same length, so bars line up without color.
 */
export function scoreBar(score: number, width = 24): string {
  const clamped = Math.min(100, Math.max(0, Number.isFinite(score) ? score : 0));
  const eighths = Math.round((clamped / 100) * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = EIGHTHS[eighths % 8];
  const used = full + (partial ? 1 : 0);
  return '█'.repeat(full) + partial + '░'.repeat(width - used);
}
