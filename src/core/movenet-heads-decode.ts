/**
 * MoveNet MultiPose decoding from the network's heads, outside the graph. The published tfjs
 * graph ("movenet/multipose/lightning", Google) ends in CenterNet-style heads on a grid four
 * times smaller than the input, then decodes them in-graph for a fixed number of people (6).
 * Cutting the graph at the heads and decoding here costs a fraction of the in-graph version
 * (which weighs the whole keypoint heatmap for every row) and has no row limit.
 *
 * The method, as MoveNet's model card and its TensorFlow blog post describe it: find people as
 * peaks of the person-centre heatmap; at a centre, the keypoint-regression head gives a first
 * guess of each keypoint; each keypoint heatmap is then weighted down with the distance from
 * that guess, so the strongest heatmap cell near the guess wins over other people's keypoints;
 * the local-offset head refines the winning cell to sub-cell precision. The constants below are
 * the ones the published graph holds (stored there as float16, hence their odd digits): a 5×5
 * peak window, a weight of exp(−d² / (0.3 · min(grid height, grid width))) limited to the
 * person's box (box-size and box-offset heads), a keypoint's score as the best weighted value any
 * person gives its cell, and the person's score as the centre score times the mean of its keypoint
 * scores above 0.127.
 *
 * Tensors (one image, row-major [gridHeight][gridWidth][channels], channels last, grid units):
 * - centers: 1 channel, person-centre probability (after the sigmoid);
 * - boxScales: 2, box height and width; boxOffsets: 2, box centre minus cell (dy, dx);
 * - keypointHeatmaps: 17, keypoint probability (after the sigmoid), COCO-17 order;
 * - keypointRegression: 34, (dy, dx) from the centre cell to each keypoint;
 * - keypointOffsets: 34, (dy, dx) from a keypoint's cell to the keypoint.
 *
 * The result is the row layout of the in-graph decoder ({@link MOVENET_ROW_LENGTH} values a
 * person: 17 × (y, x, score), box (ymin, xmin, ymax, xmax), score; normalised to the input), so
 * `decodeMoveNet` turns it into poses in frame pixels either way.
 */
import { MOVENET_ROW_LENGTH } from './movenet-decode';
import { COCO17_KEYPOINTS } from './types';

const KEYPOINTS = COCO17_KEYPOINTS.length;

/** Cells on each side a centre must be the maximum of (the graph's 5×5 max-pool). */
export const MOVENET_PEAK_RADIUS = 2;
/** A cell is a peak when it is within this of its window's maximum (the graph's float16 1e-6). */
const PEAK_TOLERANCE = 1.0132789611816406e-6;
/** Keypoint weighting: exp(−d² / (this · min(gridHeight, gridWidth))), d in cells (float16 0.3). */
const KEYPOINT_SPREAD = 0.300048828125;
/** Keypoints scoring above this count towards the person score (the graph's float16 0.127). */
export const MOVENET_KEYPOINT_COUNT_THRESHOLD = 0.126953125;

/**
 * Centre score a peak needs to be decoded as a person. A person's score is at most its centre
 * score, so this is also the lowest person score the decoder can report. 0.05 is the lowest
 * threshold `maskwatch pose-eval` reports; peaks below it are background (on PETS09 at 384 they
 * outnumber people by tens a frame) and would only cost time.
 */
export const DEFAULT_MIN_CENTER_SCORE = 0.05;

export interface MoveNetHeads {
  gridHeight: number;
  gridWidth: number;
  centers: ArrayLike<number>;
  boxScales: ArrayLike<number>;
  boxOffsets: ArrayLike<number>;
  keypointHeatmaps: ArrayLike<number>;
  keypointRegression: ArrayLike<number>;
  keypointOffsets: ArrayLike<number>;
}

export interface MoveNetHeadsOptions {
  /** Centre score a peak needs; see {@link DEFAULT_MIN_CENTER_SCORE}. */
  minCenterScore?: number;
  /**
   * People decoded at most, strongest centres first (default: no limit). With 6 or 20 and
   * `minCenterScore` 0 the rows are those of the in-graph decoder with that many rows.
   */
  maxPeople?: number;
}

/** A person centre and what its cell predicts, in grid units. */
interface Center {
  cell: number;
  score: number;
  /** Box clipped to the grid: ymin, xmin, ymax, xmax. */
  box: [number, number, number, number];
  /** First guess of each keypoint: y, x per keypoint. */
  guess: Float64Array;
}

/**
 * One row per person centre, strongest centre first (`MOVENET_ROW_LENGTH` values each). Throws a
 * RangeError when a tensor's length does not match the grid.
 */
export function decodeMoveNetHeads(
  heads: MoveNetHeads,
  options: MoveNetHeadsOptions = {},
): Float32Array {
  checkHeads(heads);
  const minCenterScore = options.minCenterScore ?? DEFAULT_MIN_CENTER_SCORE;
  const maxPeople = options.maxPeople ?? Infinity;
  const centers = findCenters(heads, minCenterScore, maxPeople).map((c) =>
    describeCenter(heads, c),
  );
  const spread = KEYPOINT_SPREAD * Math.min(heads.gridHeight, heads.gridWidth);
  const rows = new Float32Array(centers.length * MOVENET_ROW_LENGTH);
  centers.forEach((center, p) => writeRow(heads, centers, center, spread, rows, p));
  return rows;
}

function checkHeads(h: MoveNetHeads): void {
  const cells = h.gridHeight * h.gridWidth;
  if (!Number.isInteger(cells) || cells <= 0) {
    throw new RangeError(
      `MoveNet heads: grid must be positive integers, got ${h.gridHeight}×${h.gridWidth}`,
    );
  }
  const channels: [keyof MoveNetHeads, number][] = [
    ['centers', 1],
    ['boxScales', 2],
    ['boxOffsets', 2],
    ['keypointHeatmaps', KEYPOINTS],
    ['keypointRegression', 2 * KEYPOINTS],
    ['keypointOffsets', 2 * KEYPOINTS],
  ];
  for (const [name, c] of channels) {
    const length = (h[name] as ArrayLike<number>).length;
    if (length !== cells * c) {
      throw new RangeError(
        `MoveNet heads: ${name} must hold ${cells * c} values (${h.gridHeight}×${h.gridWidth}×${c}),` +
          ` got ${length}`,
      );
    }
  }
}

/** Peak cells of the centre heatmap scoring at least `minScore`, strongest first (ties: first cell). */
function findCenters(
  h: MoveNetHeads,
  minScore: number,
  maxPeople: number,
): { cell: number; score: number }[] {
  const { gridHeight: rows, gridWidth: cols, centers } = h;
  const found: { cell: number; score: number }[] = [];
  for (let y = 0; y < rows; y += 1) {
    for (let x = 0; x < cols; x += 1) {
      const score = centers[y * cols + x]!;
      if (score < minScore || score <= 0) continue;
      if (windowMax(centers, rows, cols, y, x) - score < PEAK_TOLERANCE) {
        found.push({ cell: y * cols + x, score });
      }
    }
  }
  found.sort((a, b) => b.score - a.score || a.cell - b.cell);
  return found.length > maxPeople ? found.slice(0, maxPeople) : found;
}

/** Largest value in the peak window around (y, x), cells outside the grid left out. */
function windowMax(
  values: ArrayLike<number>,
  rows: number,
  cols: number,
  y: number,
  x: number,
): number {
  const r = MOVENET_PEAK_RADIUS;
  let best = -Infinity;
  for (let v = Math.max(0, y - r); v <= Math.min(rows - 1, y + r); v += 1) {
    for (let u = Math.max(0, x - r); u <= Math.min(cols - 1, x + r); u += 1) {
      best = Math.max(best, values[v * cols + u]!);
    }
  }
  return best;
}

function describeCenter(h: MoveNetHeads, c: { cell: number; score: number }): Center {
  const cols = h.gridWidth;
  const y = Math.floor(c.cell / cols);
  const x = c.cell - y * cols;
  const cy = y + h.boxOffsets[c.cell * 2]!;
  const cx = x + h.boxOffsets[c.cell * 2 + 1]!;
  const halfHeight = Math.max(0, h.boxScales[c.cell * 2]!) / 2;
  const halfWidth = Math.max(0, h.boxScales[c.cell * 2 + 1]!) / 2;
  const box: Center['box'] = [
    clamp(cy - halfHeight, 0, h.gridHeight),
    clamp(cx - halfWidth, 0, cols),
    clamp(cy + halfHeight, 0, h.gridHeight),
    clamp(cx + halfWidth, 0, cols),
  ];
  const guess = new Float64Array(2 * KEYPOINTS);
  for (let k = 0; k < KEYPOINTS; k += 1) {
    guess[2 * k] = y + h.keypointRegression[c.cell * 2 * KEYPOINTS + 2 * k]!;
    guess[2 * k + 1] = x + h.keypointRegression[c.cell * 2 * KEYPOINTS + 2 * k + 1]!;
  }
  return { cell: c.cell, score: c.score, box, guess };
}

/** Heatmap value of keypoint `k` at cell (y, x) weighted for `center`; 0 outside its box. */
function weighted(
  h: MoveNetHeads,
  center: Center,
  k: number,
  y: number,
  x: number,
  spread: number,
): number {
  const [ymin, xmin, ymax, xmax] = center.box;
  if (y < ymin || y >= ymax || x < xmin || x >= xmax) return 0;
  const dy = y - center.guess[2 * k]!;
  const dx = x - center.guess[2 * k + 1]!;
  return (
    h.keypointHeatmaps[(y * h.gridWidth + x) * KEYPOINTS + k]! *
    Math.exp(-(dy * dy + dx * dx) / spread)
  );
}

/**
 * The cell where keypoint `k` of `center` weighs most, first in row-major order on ties. Only
 * cells inside the box weigh anything; when none does, the in-graph arg-max over a map of zeros
 * gives the first cell, and so does this.
 */
function bestCell(h: MoveNetHeads, center: Center, k: number, spread: number): number {
  const [ymin, xmin, ymax, xmax] = center.box;
  let best = 0;
  let bestCell = 0;
  for (let y = Math.ceil(ymin); y < ymax; y += 1) {
    for (let x = Math.ceil(xmin); x < xmax; x += 1) {
      const w = weighted(h, center, k, y, x, spread);
      if (w > best) {
        best = w;
        bestCell = y * h.gridWidth + x;
      }
    }
  }
  return bestCell;
}

function writeRow(
  h: MoveNetHeads,
  all: readonly Center[],
  center: Center,
  spread: number,
  rows: Float32Array,
  p: number,
): void {
  const base = p * MOVENET_ROW_LENGTH;
  const cols = h.gridWidth;
  let sum = 0;
  let counted = 0;
  for (let k = 0; k < KEYPOINTS; k += 1) {
    const cell = bestCell(h, center, k, spread);
    const y = Math.floor(cell / cols);
    const x = cell - y * cols;
    // A keypoint's score is the best weight any person gives its cell, as in the graph.
    let score = 0;
    for (const other of all) score = Math.max(score, weighted(h, other, k, y, x, spread));
    rows[base + 3 * k] = (y + h.keypointOffsets[cell * 2 * KEYPOINTS + 2 * k]!) / h.gridHeight;
    rows[base + 3 * k + 1] = (x + h.keypointOffsets[cell * 2 * KEYPOINTS + 2 * k + 1]!) / cols;
    rows[base + 3 * k + 2] = score;
    if (score > MOVENET_KEYPOINT_COUNT_THRESHOLD) {
      sum += score;
      counted += 1;
    }
  }
  const [ymin, xmin, ymax, xmax] = center.box;
  const b = base + 3 * KEYPOINTS;
  rows[b] = ymin / h.gridHeight;
  rows[b + 1] = xmin / cols;
  rows[b + 2] = ymax / h.gridHeight;
  rows[b + 3] = xmax / cols;
  rows[b + 4] = (center.score * sum) / Math.max(1, counted);
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
