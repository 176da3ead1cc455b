/** Question text compared for repeats: case, punctuation and spacing ignored. */
export function normalizeQuestion(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whole minutes, for messages ("4 min"). */
export const minutes = (ms: number) => `${Math.max(0, Math.round(ms / 60_000))} min`;

/** The stage name as a word in a sentence. */
export const stageLabel = (stage: string) => stage.charAt(0).toUpperCase() + stage.slice(1);

/** A move name in prose: `tenant-boundaries` → `tenant boundaries`. */
export const moveLabel = (move: string) => move.replace(/-/g, ' ');

/** Text cut to `max` characters with an ellipsis. */
export function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
}
