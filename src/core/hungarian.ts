/**
 * Optimal assignment (Kuhn–Munkres) on a rectangular cost matrix, by successive shortest
 * augmenting paths with row and column potentials, the O(n²·m) formulation Jonker and Volgenant
 * made popular. Rows are typically tracks and columns detections.
 */

/** Pairs chosen by `assign`, and the rows and columns left without a partner. */
export interface Assignment {
  /** `[row, col]` pairs, sorted by row. */
  matches: Array<[number, number]>;
  unmatchedRows: number[];
  unmatchedCols: number[];
}

/**
 * Minimum-total-cost assignment of min(rows, cols) pairs; every entry must be finite.
 * Returns, for each row, its column or -1 (only when there are more rows than columns).
 */
export function minCostAssignment(cost: readonly (readonly number[])[]): number[] {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0].length;
  checkMatrix(cost, cols);
  if (rows === 0 || cols === 0) return new Array<number>(rows).fill(-1);
  if (rows <= cols) return assignRowsToCols(cost, rows, cols);
  // The path search below needs rows ≤ cols: solve the transpose and turn the answer around.
  const transposed = Array.from({ length: cols }, (_, j) => cost.map((row) => row[j]));
  const colToRow = assignRowsToCols(transposed, cols, rows);
  const rowToCol = new Array<number>(rows).fill(-1);
  colToRow.forEach((r, c) => {
    rowToCol[r] = c;
  });
  return rowToCol;
}

/**
 * Assignment with a cost ceiling: pairs costing more than `maxCost` (or NaN / ±Infinity) are
 * forbidden. The result has as many allowed pairs as any assignment can have and, among those,
 * the least total cost; forbidden pairs are never returned.
 *
 * Forbidden entries are replaced by a penalty larger than any difference allowed pairs can make,
 * and pairs still at the penalty are dropped afterwards. This is stronger than solving first and
 * thresholding after (as SORT does): there, one above-threshold pair can pull a row away from a
 * good partner and leave both unmatched.
 */
export function assign(cost: readonly (readonly number[])[], maxCost = Infinity): Assignment {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0].length;
  checkMatrix(cost, cols, true);
  const allowed = (c: number): boolean => Number.isFinite(c) && c <= maxCost;
  const matches = uncontested(cost, rows, cols, maxCost);
  if (matches === undefined) return assignContested(cost, rows, cols, allowed);
  return withUnmatched(matches, rows, cols);
}

/**
 * The pairs when no row or column has more than one allowed partner, so there is nothing to
 * choose; undefined as soon as one has two. In a tracker this is most frames.
 */
function uncontested(
  cost: readonly (readonly number[])[],
  rows: number,
  cols: number,
  maxCost: number,
): Array<[number, number]> | undefined {
  const colPartner = new Int32Array(cols).fill(-1);
  const matches: Array<[number, number]> = [];
  for (let r = 0; r < rows; r += 1) {
    let partner = -1;
    const row = cost[r];
    for (let c = 0; c < cols; c += 1) {
      const v = row[c];
      if (!(v <= maxCost) || !Number.isFinite(v)) continue;
      if (partner >= 0 || colPartner[c] >= 0) return undefined;
      partner = c;
      colPartner[c] = r;
    }
    if (partner >= 0) matches.push([r, partner]);
  }
  return matches;
}

function assignContested(
  cost: readonly (readonly number[])[],
  rows: number,
  cols: number,
  allowed: (c: number) => boolean,
): Assignment {
  const matches: Array<[number, number]> = [];
  // Rows and columns linked by allowed pairs form independent sub-problems: the best
  // assignment of the whole is the union of the best of each.
  for (const { rowIds, colIds } of components(cost, rows, cols, allowed)) {
    if (rowIds.length === 1 && colIds.length === 1) {
      matches.push([rowIds[0], colIds[0]]);
      continue;
    }
    const sub = rowIds.map((r) => colIds.map((c) => cost[r][c]));
    for (const [r, c] of assignComponent(sub, allowed)) matches.push([rowIds[r], colIds[c]]);
  }
  matches.sort((a, b) => a[0] - b[0]);
  return withUnmatched(matches, rows, cols);
}

function withUnmatched(matches: Array<[number, number]>, rows: number, cols: number): Assignment {
  const rowTaken = new Uint8Array(rows);
  const colTaken = new Uint8Array(cols);
  for (const [r, c] of matches) {
    rowTaken[r] = 1;
    colTaken[c] = 1;
  }
  const unmatchedRows: number[] = [];
  const unmatchedCols: number[] = [];
  for (let r = 0; r < rows; r += 1) if (rowTaken[r] === 0) unmatchedRows.push(r);
  for (let c = 0; c < cols; c += 1) if (colTaken[c] === 0) unmatchedCols.push(c);
  return { matches, unmatchedRows, unmatchedCols };
}

/**
 * One connected sub-problem. Forbidden entries are replaced by a penalty larger than any
 * difference allowed pairs can make, and pairs still at the penalty are dropped afterwards.
 * This is stronger than solving first and thresholding after (as SORT does): there, one
 * above-threshold pair can pull a row away from a good partner and leave both unmatched.
 */
function assignComponent(
  cost: readonly (readonly number[])[],
  allowed: (c: number) => boolean,
): Array<[number, number]> {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of cost) {
    for (const c of row) {
      if (allowed(c)) {
        lo = Math.min(lo, c);
        hi = Math.max(hi, c);
      }
    }
  }
  // Any matching with one more allowed pair must cost less, whatever its allowed pairs cost.
  const penalty = Math.min(cost.length, cost[0].length) * (Math.abs(lo) + Math.abs(hi) + 1) + 1;
  const penalised = cost.map((row) => row.map((c) => (allowed(c) ? c : penalty)));
  const pairs: Array<[number, number]> = [];
  minCostAssignment(penalised).forEach((c, r) => {
    if (c >= 0 && allowed(cost[r][c])) pairs.push([r, c]);
  });
  return pairs;
}

/** Groups of rows and columns connected by allowed entries (union–find over rows + columns). */
function components(
  cost: readonly (readonly number[])[],
  rows: number,
  cols: number,
  allowed: (c: number) => boolean,
): Array<{ rowIds: number[]; colIds: number[] }> {
  const parent = new Int32Array(rows + cols);
  for (let i = 0; i < parent.length; i += 1) parent[i] = i;
  const root = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    while (parent[i] !== r) [parent[i], i] = [r, parent[i]];
    return r;
  };
  const linked = new Uint8Array(rows + cols);
  for (let r = 0; r < rows; r += 1) {
    for (let c = 0; c < cols; c += 1) {
      if (!allowed(cost[r][c])) continue;
      linked[r] = 1;
      linked[rows + c] = 1;
      parent[root(r)] = root(rows + c);
    }
  }
  const groups = new Map<number, { rowIds: number[]; colIds: number[] }>();
  for (let i = 0; i < rows + cols; i += 1) {
    if (linked[i] === 0) continue;
    const key = root(i);
    let g = groups.get(key);
    if (g === undefined) {
      g = { rowIds: [], colIds: [] };
      groups.set(key, g);
    }
    if (i < rows) g.rowIds.push(i);
    else g.colIds.push(i - rows);
  }
  return [...groups.values()];
}

/**
 * Adds rows one at a time; each addition finds the cheapest augmenting path in the reduced costs
 * cost[r][c] - rowPotential[r] - colPotential[c] (Dijkstra-like, all reduced costs stay ≥ 0), then
 * flips the path. Index 0 is a virtual column that holds the row being inserted, so arrays are
 * 1-based in columns.
 */
function assignRowsToCols(cost: readonly (readonly number[])[], rows: number, cols: number) {
  const rowPotential = new Array<number>(rows + 1).fill(0);
  const colPotential = new Array<number>(cols + 1).fill(0);
  const rowOfCol = new Array<number>(cols + 1).fill(0); // 1-based row, 0 = free
  const previousCol = new Array<number>(cols + 1).fill(0);
  for (let row = 1; row <= rows; row += 1) {
    rowOfCol[0] = row;
    let col = 0;
    const slack = new Array<number>(cols + 1).fill(Infinity);
    const visited = new Array<boolean>(cols + 1).fill(false);
    do {
      visited[col] = true;
      const r = rowOfCol[col];
      let delta = Infinity;
      let nextCol = 0;
      for (let c = 1; c <= cols; c += 1) {
        if (visited[c]) continue;
        const reduced = cost[r - 1][c - 1] - rowPotential[r] - colPotential[c];
        if (reduced < slack[c]) {
          slack[c] = reduced;
          previousCol[c] = col;
        }
        if (slack[c] < delta) {
          delta = slack[c];
          nextCol = c;
        }
      }
      for (let c = 0; c <= cols; c += 1) {
        if (visited[c]) {
          rowPotential[rowOfCol[c]] += delta;
          colPotential[c] -= delta;
        } else {
          slack[c] -= delta;
        }
      }
      col = nextCol;
    } while (rowOfCol[col] !== 0);
    // Walk the path back, shifting each column's row one step along it.
    while (col !== 0) {
      const prev = previousCol[col];
      rowOfCol[col] = rowOfCol[prev];
      col = prev;
    }
  }
  const rowToCol = new Array<number>(rows).fill(-1);
  for (let c = 1; c <= cols; c += 1) if (rowOfCol[c] !== 0) rowToCol[rowOfCol[c] - 1] = c - 1;
  return rowToCol;
}

function checkMatrix(cost: readonly (readonly number[])[], cols: number, allowNonFinite = false) {
  cost.forEach((row, r) => {
    if (row.length !== cols) {
      throw new RangeError(`cost row ${r} has ${row.length} entries, expected ${cols}`);
    }
    if (!allowNonFinite && !row.every(Number.isFinite)) {
      throw new RangeError(`cost row ${r} has a non-finite entry`);
    }
  });
}
