import { expect } from 'chai';
import { assign, minCostAssignment } from '../../src/core/hungarian';

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every partial matching of allowed pairs: the best has most pairs, then least total cost. */
function bruteForce(cost: number[][], allowed: (c: number) => boolean) {
  const rows = cost.length;
  const cols = rows === 0 ? 0 : cost[0].length;
  let best = { pairs: -1, total: Infinity };
  const usedCols = new Array<boolean>(cols).fill(false);
  const visit = (r: number, pairs: number, total: number): void => {
    if (r === rows) {
      if (pairs > best.pairs || (pairs === best.pairs && total < best.total))
        best = { pairs, total };
      return;
    }
    visit(r + 1, pairs, total);
    for (let c = 0; c < cols; c += 1) {
      if (usedCols[c] || !allowed(cost[r][c])) continue;
      usedCols[c] = true;
      visit(r + 1, pairs + 1, total + cost[r][c]);
      usedCols[c] = false;
    }
  };
  visit(0, 0, 0);
  return best;
}

function randomMatrix(rand: () => number, rows: number, cols: number): number[][] {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rand() * 10 - 2));
}

const TOLERANCE = 1e-9;

describe('hungarian', () => {
  it('finds the minimum total cost of brute force on 300 random matrices up to 6×6', () => {
    const rand = random(42);
    for (let trial = 0; trial < 300; trial += 1) {
      const rows = 1 + Math.floor(rand() * 6);
      const cols = 1 + Math.floor(rand() * 6);
      const cost = randomMatrix(rand, rows, cols);
      const rowToCol = minCostAssignment(cost);
      const pairs = rowToCol.filter((c) => c >= 0);
      expect(pairs.length).to.equal(Math.min(rows, cols));
      expect(new Set(pairs).size).to.equal(pairs.length);
      const total = rowToCol.reduce((s, c, r) => (c >= 0 ? s + cost[r][c] : s), 0);
      expect(total).to.be.closeTo(bruteForce(cost, () => true).total, TOLERANCE);
    }
  });

  it('matches brute force with a cost ceiling: most allowed pairs, then least cost', () => {
    const rand = random(7);
    for (let trial = 0; trial < 300; trial += 1) {
      const rows = 1 + Math.floor(rand() * 6);
      const cols = 1 + Math.floor(rand() * 6);
      const cost = randomMatrix(rand, rows, cols).map((row) =>
        row.map((c) => (rand() < 0.1 ? Infinity : c)),
      );
      const maxCost = 4;
      const result = assign(cost, maxCost);
      const expected = bruteForce(cost, (c) => Number.isFinite(c) && c <= maxCost);
      expect(result.matches.length).to.equal(expected.pairs);
      const total = result.matches.reduce((s, [r, c]) => s + cost[r][c], 0);
      expect(total).to.be.closeTo(expected.total, TOLERANCE);
      for (const [r, c] of result.matches) expect(cost[r][c]).to.be.at.most(maxCost);
      expect(result.unmatchedRows.length).to.equal(rows - result.matches.length);
      expect(result.unmatchedCols.length).to.equal(cols - result.matches.length);
    }
  });

  it('assigns a 2×3 matrix (more columns) and a 3×2 matrix (more rows)', () => {
    const wide = [
      [5, 1, 9],
      [2, 8, 1],
    ];
    expect(minCostAssignment(wide)).to.deep.equal([1, 2]);
    const tall = [
      [5, 2],
      [1, 8],
      [9, 1],
    ];
    expect(minCostAssignment(tall)).to.deep.equal([-1, 0, 1]);
    const result = assign(tall);
    expect(result.matches).to.deep.equal([
      [1, 0],
      [2, 1],
    ]);
    expect(result.unmatchedRows).to.deep.equal([0]);
    expect(result.unmatchedCols).to.deep.equal([]);
  });

  it('never pairs above the ceiling, and keeps the pairs that solve-then-threshold would lose', () => {
    // Solving first picks (0,0)+(1,1) = 0.65 over (0,1)+(1,0) = 0.85; the ceiling 0.5 then drops
    // (1,1) and leaves row 1 unmatched, although (0,1)+(1,0) matches both rows under the ceiling.
    const cost = [
      [0.1, 0.45],
      [0.4, 0.55],
    ];
    expect(minCostAssignment(cost)).to.deep.equal([0, 1]);
    const result = assign(cost, 0.5);
    expect(result.matches).to.deep.equal([
      [0, 1],
      [1, 0],
    ]);
    expect(result.unmatchedRows).to.deep.equal([]);
    expect(result.unmatchedCols).to.deep.equal([]);
    expect(assign([[0.6, 0.1]], 0.5).matches).to.deep.equal([[0, 1]]);
  });

  it('returns everything unmatched when no pair is under the ceiling or a side is empty', () => {
    expect(assign([[3, 4]], 1)).to.deep.equal({
      matches: [],
      unmatchedRows: [0],
      unmatchedCols: [0, 1],
    });
    expect(assign([])).to.deep.equal({ matches: [], unmatchedRows: [], unmatchedCols: [] });
    expect(assign([[], []])).to.deep.equal({
      matches: [],
      unmatchedRows: [0, 1],
      unmatchedCols: [],
    });
  });

  it('rejects ragged matrices and non-finite costs where they are not allowed', () => {
    expect(() => assign([[1, 2], [3]])).to.throw(RangeError, 'row 1');
    expect(() => minCostAssignment([[1, NaN]])).to.throw(RangeError, 'non-finite');
  });
});
