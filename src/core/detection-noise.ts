/**
 * Simulated detections made from ground truth: each true box jittered in position and size,
 * some missed (one at a time, and in runs, as when a person is hidden), scored at random, and a
 * few false boxes added. It lets the tracker be scored apart from the detector: "what would the
 * tracker do with a detector this good". The random source is the caller's (seeded), so a run
 * is reproducible.
 */
import { boxHeight, boxWidth, clipBox } from './box';
import type { MotRow } from './mot-format';

export interface DetectionNoise {
  /** Std of the centre jitter, as a fraction of the box height. */
  positionStd: number;
  /** Std of the width and height jitter, as a fraction of each. */
  sizeStd: number;
  /** Chance that a true box is missed on its own in a frame. */
  dropRate: number;
  /** Chance per true box and frame that a run of misses starts there (an occlusion). */
  runStartRate: number;
  /** Longest run of misses, in frames (a run lasts 1 to this many). */
  maxRunFrames: number;
  /** Expected false boxes per frame, at most 1 (one Bernoulli draw a frame). */
  falsePerFrame: number;
  /** True boxes score uniformly in [minScore, 1), false ones in [0, 1 − minScore). */
  minScore: number;
}

/**
 * Defaults: a decent pedestrian detector on low-resolution video. Jitter of 5 % of the height is
 * what pose boxes show on PETS09; one box in ten missed, and a 2 % chance per frame of a miss of
 * up to 10 frames, stand in for occlusions; one false box every five frames.
 */
export const DEFAULT_DETECTION_NOISE: Readonly<DetectionNoise> = Object.freeze({
  positionStd: 0.05,
  sizeStd: 0.05,
  dropRate: 0.1,
  runStartRate: 0.02,
  maxRunFrames: 10,
  falsePerFrame: 0.2,
  minScore: 0.3,
});

export interface FrameSize {
  width: number;
  height: number;
}

/**
 * Detections (id -1) made from ground-truth rows by `noise`, inside a frame of `size`.
 * `random` returns uniform numbers in [0, 1).
 */
export function noisyDetections(
  gt: readonly MotRow[],
  size: FrameSize,
  random: () => number,
  noise: Partial<DetectionNoise> = {},
): MotRow[] {
  const n = { ...DEFAULT_DETECTION_NOISE, ...noise };
  const gauss = gaussian(random);
  const missUntil = new Map<number, number>(); // truth id → last frame of its current run of misses
  const sorted = [...gt].sort((a, b) => a.frame - b.frame || a.id - b.id);
  const out: MotRow[] = [];
  for (const row of sorted) {
    const runEnd = missUntil.get(row.id) ?? 0;
    if (row.frame <= runEnd) continue;
    if (random() < n.runStartRate) {
      missUntil.set(row.id, row.frame + Math.floor(random() * n.maxRunFrames));
      continue;
    }
    if (random() < n.dropRate) continue;
    const w = boxWidth(row.box) * (1 + n.sizeStd * gauss());
    const h = boxHeight(row.box) * (1 + n.sizeStd * gauss());
    const cx = (row.box.x1 + row.box.x2) / 2 + n.positionStd * boxHeight(row.box) * gauss();
    const cy = (row.box.y1 + row.box.y2) / 2 + n.positionStd * boxHeight(row.box) * gauss();
    const box = clipBox(
      { x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2 },
      size.width,
      size.height,
    );
    out.push({ frame: row.frame, id: -1, box, score: n.minScore + (1 - n.minScore) * random() });
  }
  out.push(...falseDetections(sorted, size, random, n));
  return out.sort((a, b) => a.frame - b.frame);
}

/** False boxes the size of a typical true one, anywhere in the frame, scored low to middling. */
function falseDetections(
  gt: readonly MotRow[],
  size: FrameSize,
  random: () => number,
  n: DetectionNoise,
): MotRow[] {
  if (gt.length === 0) return [];
  const heights = gt.map((r) => boxHeight(r.box)).sort((a, b) => a - b);
  const h = heights[Math.floor(heights.length / 2)];
  const w = h * medianAspect(gt);
  const first = gt[0].frame;
  const last = gt[gt.length - 1].frame;
  const out: MotRow[] = [];
  for (let frame = first; frame <= last; frame += 1) {
    // At most one false box a frame: a Bernoulli draw at the expected rate (rates stay < 1).
    if (random() >= n.falsePerFrame) continue;
    const x = random() * Math.max(1, size.width - w);
    const y = random() * Math.max(1, size.height - h);
    out.push({
      frame,
      id: -1,
      box: { x1: x, y1: y, x2: x + w, y2: y + h },
      score: (1 - n.minScore) * random(),
    });
  }
  return out;
}

function medianAspect(gt: readonly MotRow[]): number {
  const aspects = gt
    .map((r) => boxWidth(r.box) / Math.max(boxHeight(r.box), 1))
    .sort((a, b) => a - b);
  return aspects[Math.floor(aspects.length / 2)];
}

/** Standard normal numbers by the Box–Muller transform. */
function gaussian(random: () => number): () => number {
  return () => {
    const u = 1 - random(); // in (0, 1], so the log is finite
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
}
