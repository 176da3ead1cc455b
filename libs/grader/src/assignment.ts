import { getOrCreate } from './collections';

/** A candidate pair and its score; only listed pairs can be assigned. */
export interface ScoredPair {
  row: number;
  col: number;
  score: number;
}

/**
 * One-to-one assignment maximizing the total score (Hungarian algorithm, O(n²·m) on the rows and
 * columns that have at least one pair). Unlike greedy first-come matching, a row gives up its best
 * column when that lets another row keep a better one. Ties resolve by input order, so the result
 * is deterministic. Returns the chosen pairs sorted by row.
 */
export function assignOneToOne(pairs: readonly ScoredPair[]): ScoredPair[] {
  if (pairs.length === 0) return [];
  // Rows and columns that share no pair are independent: solve each connected group alone,
  // and take a group of a single pair as is (the usual case: one exact name, one concept).
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    let node = x;
    while (node !== root) {
      const next = parent.get(node) as string;
      parent.set(node, root);
      node = next;
    }
    return root;
  };
  for (const pair of pairs) {
    const r = `r${pair.row}`;
    const c = `c${pair.col}`;
    if (!parent.has(r)) parent.set(r, r);
    if (!parent.has(c)) parent.set(c, c);
    const a = find(r);
    const b = find(c);
    if (a !== b) parent.set(a, b);
  }
  const groups = new Map<string, ScoredPair[]>();
  for (const pair of pairs) {
    const root = find(`r${pair.row}`);
    const group = getOrCreate(groups, root, () => [] as ScoredPair[]);
    group.push(pair);
  }
  const chosen: ScoredPair[] = [];
  for (const group of groups.values()) {
    if (group.length === 1) chosen.push(group[0]);
    else chosen.push(...hungarian(group));
  }
  return chosen.sort((a, b) => a.row - b.row);
}

function hungarian(pairs: readonly ScoredPair[]): ScoredPair[] {
  const rowIndex = new Map<number, number>();
  const colIndex = new Map<number, number>();
  const rows: number[] = [];
  const cols: number[] = [];
  for (const pair of pairs) {
    if (!rowIndex.has(pair.row)) {
      rowIndex.set(pair.row, rows.length);
      rows.push(pair.row);
    }
    if (!colIndex.has(pair.col)) {
      colIndex.set(pair.col, cols.length);
      cols.push(pair.col);
    }
  }
  // The algorithm needs n <= m; transpose when there are more rows than columns.
  const transpose = rows.length > cols.length;
  const n = transpose ? cols.length : rows.length;
  const m = transpose ? rows.length : cols.length;
  const score = new Float64Array(n * m);
  const present = new Uint8Array(n * m);
  let best = 0;
  for (const pair of pairs) {
    const r = rowIndex.get(pair.row) as number;
    const c = colIndex.get(pair.col) as number;
    const i = transpose ? c : r;
    const j = transpose ? r : c;
    if (!present[i * m + j] || pair.score > score[i * m + j]) score[i * m + j] = pair.score;
    present[i * m + j] = 1;
    if (pair.score > best) best = pair.score;
  }
  // Minimize cost = big - score; absent pairs cost more than leaving the row unassigned would gain.
  const big = best + 1;
  const absent = big * 4;
  const cost = (i: number, j: number) => (present[i * m + j] ? big - score[i * m + j] : absent);

  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j] = row (1-based) assigned to column j
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j] - 1e-12) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta - 1e-12) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0 !== 0);
  }

  const chosen: ScoredPair[] = [];
  for (let j = 1; j <= m; j++) {
    const i = p[j];
    if (i === 0 || !present[(i - 1) * m + (j - 1)]) continue;
    const r = transpose ? j - 1 : i - 1;
    const c = transpose ? i - 1 : j - 1;
    chosen.push({ row: rows[r], col: cols[c], score: score[(i - 1) * m + (j - 1)] });
  }
  return chosen;
}
