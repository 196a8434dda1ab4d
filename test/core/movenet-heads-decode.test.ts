import { expect } from 'chai';
import { MOVENET_ROW_LENGTH } from '../../src/core/movenet-decode';
import {
  decodeMoveNetHeads,
  DEFAULT_MIN_CENTER_SCORE,
  MOVENET_KEYPOINT_COUNT_THRESHOLD,
  type MoveNetHeads,
} from '../../src/core/movenet-heads-decode';
import { COCO17_KEYPOINTS } from '../../src/core/types';

const K = COCO17_KEYPOINTS.length;
const TOL = 1e-6;
/** The published graph's weighting: exp(−d² / (0.3 · min(grid sides))), its 0.3 as float16. */
const SPREAD_FACTOR = 0.300048828125;

/** MoveNet heads with writable tensors, to draw people into. */
interface Canvas extends MoveNetHeads {
  centers: Float32Array;
  boxScales: Float32Array;
  boxOffsets: Float32Array;
  keypointHeatmaps: Float32Array;
  keypointRegression: Float32Array;
  keypointOffsets: Float32Array;
}

/** Heads of a grid, all zero. */
function emptyHeads(gridHeight: number, gridWidth: number): Canvas {
  const cells = gridHeight * gridWidth;
  return {
    gridHeight,
    gridWidth,
    centers: new Float32Array(cells),
    boxScales: new Float32Array(cells * 2),
    boxOffsets: new Float32Array(cells * 2),
    keypointHeatmaps: new Float32Array(cells * K),
    keypointRegression: new Float32Array(cells * 2 * K),
    keypointOffsets: new Float32Array(cells * 2 * K),
  };
}

interface Person {
  /** Centre cell and score. */
  cy: number;
  cx: number;
  centre: number;
  /** Box centre offset from the cell and box size, cells. */
  box: { dy: number; dx: number; height: number; width: number };
  /** Keypoint k's cell, heatmap value and sub-cell offset; the regression points at the cell. */
  keypoint: (k: number) => { y: number; x: number; heat: number; oy: number; ox: number };
}

function draw(h: Canvas, p: Person): void {
  const w = h.gridWidth;
  const c = p.cy * w + p.cx;
  h.centers[c] = p.centre;
  h.boxOffsets.set([p.box.dy, p.box.dx], c * 2);
  h.boxScales.set([p.box.height, p.box.width], c * 2);
  for (let k = 0; k < K; k += 1) {
    const kp = p.keypoint(k);
    const cell = kp.y * w + kp.x;
    h.keypointRegression.set([kp.y - p.cy, kp.x - p.cx], c * 2 * K + 2 * k);
    h.keypointHeatmaps[cell * K + k] = kp.heat;
    h.keypointOffsets.set([kp.oy, kp.ox], cell * 2 * K + 2 * k);
  }
}

/** A standing person: keypoints down a column of cells below the head, inside a 20×8 box. */
function standing(cy: number, cx: number, centre: number, heat = 0.9): Person {
  return {
    cy,
    cx,
    centre,
    box: { dy: 0.5, dx: 0, height: 20, width: 8 },
    keypoint: (k) => ({ y: cy - 8 + k, x: cx + (k % 2 === 0 ? -1 : 1), heat, oy: 0.25, ox: -0.5 }),
  };
}

function row(rows: Float32Array, p: number): Float32Array {
  return rows.subarray(p * MOVENET_ROW_LENGTH, (p + 1) * MOVENET_ROW_LENGTH);
}

describe('movenet-heads-decode', () => {
  it('gives back a person drawn into the heads: keypoints, box and score', () => {
    const h = emptyHeads(36, 48);
    draw(h, standing(14, 20, 0.8));
    const rows = decodeMoveNetHeads(h);
    expect(rows.length).to.equal(MOVENET_ROW_LENGTH);
    const r = row(rows, 0);
    for (let k = 0; k < K; k += 1) {
      const y = 14 - 8 + k + 0.25;
      const x = 20 + (k % 2 === 0 ? -1 : 1) - 0.5;
      expect(r[3 * k], `${COCO17_KEYPOINTS[k]} y`).to.be.closeTo(y / 36, TOL);
      expect(r[3 * k + 1], `${COCO17_KEYPOINTS[k]} x`).to.be.closeTo(x / 48, TOL);
      // The regression lands on the cell, so the weight is 1 and the score is the heatmap's.
      expect(r[3 * k + 2]).to.be.closeTo(0.9, TOL);
    }
    // Box centre (14.5, 20), 20 cells tall and 8 wide, normalised.
    expect(r[51]).to.be.closeTo(4.5 / 36, TOL);
    expect(r[52]).to.be.closeTo(16 / 48, TOL);
    expect(r[53]).to.be.closeTo(24.5 / 36, TOL);
    expect(r[54]).to.be.closeTo(24 / 48, TOL);
    expect(r[55]).to.be.closeTo(0.8 * 0.9, TOL);
  });

  it('prefers the heatmap cell near the regressed keypoint to a stronger one far from it', () => {
    const h = emptyHeads(36, 48);
    draw(h, standing(14, 20, 0.8));
    // A stronger nose 5 cells away inside the box: 0.95 · exp(−25 / (0.3 · 36)) ≈ 0.09 < 0.9.
    const far = (6 + 5) * 48 + 19;
    h.keypointHeatmaps[far * K] = 0.95;
    const r = row(decodeMoveNetHeads(h), 0);
    expect(r[0]).to.be.closeTo((6 + 0.25) / 36, TOL);
    expect(r[2]).to.be.closeTo(0.9, TOL);
  });

  it('weighs keypoints by exp(−d² / (0.3 · the shorter grid side)) from the regressed guess', () => {
    const h = emptyHeads(36, 48);
    const p = standing(14, 20, 0.8);
    draw(h, p);
    // Move the nose's guess 2 cells right of its cell: the weight is exp(−4 / (0.3 · 36)).
    h.keypointRegression[(14 * 48 + 20) * 2 * K + 1] += 2;
    const r = row(decodeMoveNetHeads(h), 0);
    expect(r[2]).to.be.closeTo(0.9 * Math.exp(-4 / (SPREAD_FACTOR * 36)), 1e-6);
  });

  it('leaves heatmap cells outside the person box out', () => {
    const h = emptyHeads(36, 48);
    draw(h, standing(14, 20, 0.8));
    // Box columns are 16 ≤ x < 24; a left-ankle peak right at its guess but at x = 24 is outside.
    const ankle = 15;
    const guessCell = (14 - 8 + ankle) * 48 + 21;
    h.keypointHeatmaps[guessCell * K + ankle] = 0; // the drawn ankle is gone
    h.keypointRegression[(14 * 48 + 20) * 2 * K + 2 * ankle + 1] = 4; // guess at x = 24
    h.keypointHeatmaps[(guessCell + 3) * K + ankle] = 0.99;
    h.keypointHeatmaps[(guessCell + 1) * K + ankle] = 0.3; // x = 22, inside
    const r = row(decodeMoveNetHeads(h), 0);
    expect(r[3 * ankle + 1]).to.be.closeTo(22 / 48, 1e-6);
  });

  it('scores a keypoint by the best weight any person gives its cell', () => {
    const h = emptyHeads(36, 48);
    draw(h, standing(14, 10, 0.8)); // box columns 6 ≤ x < 14
    draw(h, standing(14, 13, 0.7)); // box columns 9 ≤ x < 17
    const shoulder = 6; // person 1's right shoulder is drawn at cell (12, 9)
    const regression = (cy: number, cx: number): number => (cy * 48 + cx) * 2 * K + 2 * shoulder;
    // Person 1's guess is 2 cells left of the cell: its own weight is exp(−4 / (0.3 · 36)).
    h.keypointRegression[regression(14, 10) + 1] -= 2;
    // Person 2's own shoulder is gone, and its guess falls exactly on person 1's cell.
    h.keypointHeatmaps[(12 * 48 + 14) * K + shoulder] = 0;
    h.keypointRegression.set([12 - 14, 9 - 13], regression(14, 13));
    const rows = decodeMoveNetHeads(h);
    expect(rows.length).to.equal(2 * MOVENET_ROW_LENGTH);
    for (const p of [0, 1]) {
      expect(row(rows, p)[3 * shoulder + 1], `person ${p + 1}`).to.be.closeTo(8.5 / 48, TOL);
      expect(row(rows, p)[3 * shoulder + 2], `person ${p + 1}`).to.be.closeTo(0.9, TOL);
    }
  });

  it('counts only keypoints above 0.127 in the person score', () => {
    const h = emptyHeads(36, 48);
    const p = standing(14, 20, 0.5);
    draw(h, { ...p, keypoint: (k) => ({ ...p.keypoint(k), heat: k < 5 ? 0.6 : 0.12 }) });
    const r = row(decodeMoveNetHeads(h), 0);
    expect(0.12).to.be.below(MOVENET_KEYPOINT_COUNT_THRESHOLD);
    expect(r[55]).to.be.closeTo(0.5 * 0.6, TOL);
  });

  it('reports every centre above the threshold, strongest first: no row limit', () => {
    const h = emptyHeads(48, 160);
    const people = 30;
    for (let i = 0; i < people; i += 1) {
      draw(h, standing(i % 2 === 0 ? 12 : 34, 3 + 5 * i, 0.3 + i / 100));
    }
    const rows = decodeMoveNetHeads(h);
    expect(rows.length / MOVENET_ROW_LENGTH).to.equal(people);
    const scores = Array.from({ length: people }, (_, p) => row(rows, p)[55]!);
    expect(scores).to.deep.equal([...scores].sort((a, b) => b - a));
    const capped = decodeMoveNetHeads(h, { maxPeople: 6 });
    expect(capped.length / MOVENET_ROW_LENGTH).to.equal(6);
    expect(Array.from(capped)).to.deep.equal(Array.from(rows.subarray(0, 6 * MOVENET_ROW_LENGTH)));
  });

  it('keeps one centre per 5×5 window and leaves weak centres out', () => {
    const h = emptyHeads(36, 48);
    draw(h, standing(14, 20, 0.8));
    h.centers[14 * 48 + 21] = 0.75; // a neighbour: not a peak
    h.centers[14 * 48 + 40] = DEFAULT_MIN_CENTER_SCORE / 2; // a peak, but weak
    expect(decodeMoveNetHeads(h).length / MOVENET_ROW_LENGTH).to.equal(1);
    expect(decodeMoveNetHeads(h, { minCenterScore: 0 }).length / MOVENET_ROW_LENGTH).to.equal(2);
  });

  it('rejects heads whose sizes do not match the grid, naming the tensor', () => {
    const h = emptyHeads(36, 48);
    expect(() => decodeMoveNetHeads({ ...h, keypointHeatmaps: new Float32Array(10) })).to.throw(
      RangeError,
      /keypointHeatmaps must hold 29376 values \(36×48×17\), got 10/,
    );
  });
});
