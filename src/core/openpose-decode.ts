/**
 * OpenPose grouping (Cao et al., "Realtime Multi-Person 2D Pose Estimation using Part Affinity
 * Fields", CVPR 2017): part candidates are the peaks of each heatmap; a limb between two
 * candidates is scored by the line integral of its part affinity field (PAF) along the segment;
 * each limb type is a bipartite matching between its two parts' candidates (solved exactly);
 * people are assembled by joining the matched limbs that share a part.
 *
 * Maps are planar (NCHW of one image: channel, row, column) on the network's output grid, as
 * OpenPose ONNX exports give them; grid cell (y, x) is input pixel (y · stride, x · stride).
 */
import { assign } from './hungarian';
import { boxFromKeypoints } from './keypoint-box';
import { inputToFrame, type Letterbox } from './letterbox';
import type { OpenPoseLayout } from './openpose-layouts';
import type { Keypoint, Pose } from './types';

export interface OpenPoseMaps {
  /** `heatmapChannels` planes (the last is the background), gridHeight × gridWidth each. */
  heatmaps: ArrayLike<number>;
  /** `pafChannels` planes. */
  pafs: ArrayLike<number>;
  gridHeight: number;
  gridWidth: number;
}

export interface OpenPoseGroupOptions {
  /** Heatmap value a peak needs (OpenPose's default 0.05–0.1). */
  minPeakScore?: number;
  /** PAF alignment (dot product with the limb direction) a sample point needs. */
  minPafScore?: number;
  /** Samples along a candidate limb. */
  pafSamples?: number;
  /** Share of samples that must be aligned for the limb to count. */
  minAlignedShare?: number;
  /** Fewest parts a person needs. */
  minParts?: number;
  /** Mean score (parts and limbs) a person needs. */
  minPersonScore?: number;
}

/**
 * Defaults: peaks ≥ 0.1, samples aligned ≥ 0.05 on 10 of 10 points with 80 % aligned (the values
 * of the paper's reference implementation); at least 3 parts and a mean score of 0.2 per person.
 */
export const OPENPOSE_DEFAULTS: Required<OpenPoseGroupOptions> = {
  minPeakScore: 0.1,
  minPafScore: 0.05,
  pafSamples: 10,
  minAlignedShare: 0.8,
  minParts: 3,
  minPersonScore: 0.2,
};

/** A part candidate: a heatmap peak, refined to sub-cell precision, in grid units. */
export interface Peak {
  part: number;
  x: number;
  y: number;
  score: number;
}

/** A person as grouping found it: one peak (index into `peaks`) or -1 per part. */
export interface GroupedPerson {
  parts: number[];
  /** Limbs (indices into the layout's `limbs`) that joined this person's parts. */
  limbs: number[];
  /** Mean of its parts' and limbs' scores. */
  score: number;
}

export interface Grouping {
  peaks: Peak[];
  people: GroupedPerson[];
}

/** Peaks, limbs and people, in grid units (the core of the decoder, for tests and tools). */
export function groupOpenPose(
  maps: OpenPoseMaps,
  layout: OpenPoseLayout,
  options: OpenPoseGroupOptions = {},
): Grouping {
  const o = { ...OPENPOSE_DEFAULTS, ...options };
  checkMaps(maps, layout);
  const peaks = findPeaks(maps, layout.parts.length, o.minPeakScore);
  const byPart = layout.parts.map((_, part) => peaks.filter((p) => p.part === part));
  const people: Assembly[] = [];
  layout.limbs.forEach((limb, k) => {
    for (const c of matchLimb(maps, limb, byPart, peaks, o)) {
      join(people, layout.parts.length, limb, k, c, peaks);
    }
  });
  return {
    peaks,
    people: people
      .map((p) => ({ parts: p.parts, limbs: p.limbs, score: p.scoreSum / p.scoreCount }))
      .filter((p) => p.parts.filter((i) => i >= 0).length >= o.minParts)
      .filter((p) => p.score >= o.minPersonScore)
      .sort((a, b) => b.score - a.score),
  };
}

/** Poses in frame pixels, COCO-17 keypoints, best first. */
export function decodeOpenPose(
  maps: OpenPoseMaps,
  layout: OpenPoseLayout,
  stride: number,
  letterbox: Letterbox,
  options: OpenPoseGroupOptions & { minKeypointScore?: number; minPoseScore?: number } = {},
): Pose[] {
  const { peaks, people } = groupOpenPose(maps, layout, options);
  const { width, height } = letterbox.frame;
  const toFrame = (p: Peak): { x: number; y: number } => {
    const q = inputToFrame(letterbox, p.x * stride, p.y * stride);
    return { x: Math.min(Math.max(q.x, 0), width), y: Math.min(Math.max(q.y, 0), height) };
  };
  const poses: Pose[] = [];
  for (const person of people) {
    // Every part shapes the box, also those COCO-17 has no name for (neck, feet).
    const points: { x: number; y: number }[] = [];
    const keypoints: Keypoint[] = [];
    person.parts.forEach((index, part) => {
      if (index < 0) return;
      const peak = peaks[index]!;
      const point = toFrame(peak);
      points.push(point);
      const name = layout.coco17[part];
      if (name !== null && peak.score >= (options.minKeypointScore ?? 0)) {
        keypoints.push({ name, ...point, score: peak.score });
      }
    });
    const box = boxFromKeypoints(points, width, height);
    if (box === undefined || person.score < (options.minPoseScore ?? 0)) continue;
    poses.push({ keypoints, score: Math.min(1, person.score), box });
  }
  return poses;
}

function checkMaps(maps: OpenPoseMaps, layout: OpenPoseLayout): void {
  const cells = maps.gridHeight * maps.gridWidth;
  if (maps.heatmaps.length !== layout.heatmapChannels * cells) {
    throw new RangeError(
      `OpenPose ${layout.name} heatmaps must hold ${layout.heatmapChannels} planes of ` +
        `${maps.gridHeight}×${maps.gridWidth}, got ${maps.heatmaps.length} values`,
    );
  }
  if (maps.pafs.length !== layout.pafChannels * cells) {
    throw new RangeError(
      `OpenPose ${layout.name} PAFs must hold ${layout.pafChannels} planes of ` +
        `${maps.gridHeight}×${maps.gridWidth}, got ${maps.pafs.length} values`,
    );
  }
}

/** 3×3 local maxima above the threshold, refined to sub-cell precision per axis. */
function findPeaks(maps: OpenPoseMaps, parts: number, minScore: number): Peak[] {
  const { gridHeight: h, gridWidth: w, heatmaps } = maps;
  const peaks: Peak[] = [];
  for (let part = 0; part < parts; part += 1) {
    const plane = part * h * w;
    const at = (y: number, x: number): number =>
      y < 0 || y >= h || x < 0 || x >= w ? -Infinity : heatmaps[plane + y * w + x]!;
    const found: { cellX: number; cellY: number; peak: Peak }[] = [];
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        const v = at(y, x);
        if (v < minScore || !noNeighbourAbove(at, y, x, v)) continue;
        const dx = parabolicOffset(at(y, x - 1), v, at(y, x + 1));
        const dy = parabolicOffset(at(y - 1, x), v, at(y + 1, x));
        found.push({ cellX: x, cellY: y, peak: { part, x: x + dx, y: y + dy, score: v } });
      }
    }
    // A peak between cells shows as a plateau of neighbouring maxima: keep one of them.
    const kept: typeof found = [];
    for (const f of found.sort((a, b) => b.peak.score - a.peak.score)) {
      const twin = kept.some(
        (k) => Math.abs(k.cellX - f.cellX) <= 1 && Math.abs(k.cellY - f.cellY) <= 1,
      );
      if (!twin) kept.push(f);
    }
    peaks.push(...kept.map((k) => k.peak));
  }
  return peaks;
}

/** True when no cell of the 3×3 neighbourhood is strictly higher than `v`. */
function noNeighbourAbove(
  at: (y: number, x: number) => number,
  y: number,
  x: number,
  v: number,
): boolean {
  for (let dy = -1; dy <= 1; dy += 1) {
    for (let dx = -1; dx <= 1; dx += 1) {
      if ((dx !== 0 || dy !== 0) && at(y + dy, x + dx) > v) return false;
    }
  }
  return true;
}

/**
 * Where the parabola through three neighbouring samples peaks, relative to the middle one, in
 * [-0.5, 0.5]; 0 at the map's edge, where a neighbour is missing.
 */
function parabolicOffset(before: number, middle: number, after: number): number {
  if (!Number.isFinite(before) || !Number.isFinite(after)) return 0;
  const curvature = before - 2 * middle + after;
  if (curvature >= 0) return 0;
  return Math.min(0.5, Math.max(-0.5, (before - after) / (2 * curvature)));
}

interface Connection {
  a: number;
  b: number;
  score: number;
}

/** Candidate limbs scored by the PAF line integral, then matched one-to-one at best total score. */
function matchLimb(
  maps: OpenPoseMaps,
  [partA, partB, pafX, pafY]: readonly [number, number, number, number],
  byPart: Peak[][],
  peaks: Peak[],
  o: Required<OpenPoseGroupOptions>,
): Connection[] {
  const as = byPart[partA]!;
  const bs = byPart[partB]!;
  if (as.length === 0 || bs.length === 0) return [];
  const score = as.map((a) => bs.map((b) => limbScore(maps, a, b, pafX, pafY, o)));
  // Forbidden pairs (NaN) are never matched; among the rest the total score is maximal.
  const { matches } = assign(
    score.map((row) => row.map((s) => (Number.isNaN(s) ? NaN : -s))),
    Infinity,
  );
  return matches.map(([i, j]) => ({
    a: peaks.indexOf(as[i]!),
    b: peaks.indexOf(bs[j]!),
    score: score[i]![j]!,
  }));
}

/**
 * Mean PAF alignment along the segment a → b plus a length prior that penalises limbs longer
 * than half the map's height; NaN when too few samples are aligned.
 */
function limbScore(
  maps: OpenPoseMaps,
  a: Peak,
  b: Peak,
  pafX: number,
  pafY: number,
  o: Required<OpenPoseGroupOptions>,
): number {
  const { gridHeight: h, gridWidth: w, pafs } = maps;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const length = Math.hypot(dx, dy);
  if (length === 0) return NaN;
  const ux = dx / length;
  const uy = dy / length;
  let sum = 0;
  let aligned = 0;
  for (let i = 0; i < o.pafSamples; i += 1) {
    const t = o.pafSamples === 1 ? 0.5 : i / (o.pafSamples - 1);
    const x = a.x + t * dx;
    const y = a.y + t * dy;
    const dot = bilinear(pafs, pafX, w, h, x, y) * ux + bilinear(pafs, pafY, w, h, x, y) * uy;
    sum += dot;
    if (dot > o.minPafScore) aligned += 1;
  }
  if (aligned < o.minAlignedShare * o.pafSamples) return NaN;
  const prior = Math.min((0.5 * h) / length - 1, 0);
  const s = sum / o.pafSamples + prior;
  return s > 0 ? s : NaN;
}

/**
 * A map plane sampled between cells: limbs only a cell or two long on the output grid would
 * otherwise be judged by the wrong cells (OpenPose upsamples its maps for the same reason).
 */
function bilinear(
  maps: ArrayLike<number>,
  plane: number,
  w: number,
  h: number,
  x: number,
  y: number,
): number {
  const cx = Math.min(w - 1, Math.max(0, x));
  const cy = Math.min(h - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const base = plane * h * w;
  const top = maps[base + y0 * w + x0]! * (1 - fx) + maps[base + y0 * w + x1]! * fx;
  const bottom = maps[base + y1 * w + x0]! * (1 - fx) + maps[base + y1 * w + x1]! * fx;
  return top * (1 - fy) + bottom * fy;
}

interface Assembly {
  parts: number[];
  limbs: number[];
  scoreSum: number;
  scoreCount: number;
}

/** Adds one matched limb to the people: extends the person holding either end, merges two, or starts one. */
function join(
  people: Assembly[],
  partCount: number,
  [partA, partB]: readonly [number, number, number, number],
  limb: number,
  c: Connection,
  peaks: Peak[],
): void {
  const holders = people.filter((p) => p.parts[partA] === c.a || p.parts[partB] === c.b);
  if (holders.length === 0) {
    const parts = new Array<number>(partCount).fill(-1);
    parts[partA] = c.a;
    parts[partB] = c.b;
    people.push({
      parts,
      limbs: [limb],
      scoreSum: peaks[c.a]!.score + peaks[c.b]!.score + c.score,
      scoreCount: 3,
    });
    return;
  }
  if (holders.length === 1) {
    const p = holders[0]!;
    const [free, index] = p.parts[partA] === c.a ? [partB, c.b] : [partA, c.a];
    if (p.parts[free]! >= 0 && p.parts[free] !== index) return; // that part is someone else's
    if (p.parts[free]! < 0) {
      p.parts[free] = index;
      p.scoreSum += peaks[index]!.score;
      p.scoreCount += 1;
    }
    p.limbs.push(limb);
    p.scoreSum += c.score;
    p.scoreCount += 1;
    return;
  }
  // Two people hold one end each: they are one person if their parts do not clash.
  const [p, q] = holders as [Assembly, Assembly];
  if (p.parts.some((i, part) => i >= 0 && q.parts[part]! >= 0)) return;
  q.parts.forEach((i, part) => {
    if (i >= 0) p.parts[part] = i;
  });
  p.limbs.push(...q.limbs, limb);
  p.scoreSum += q.scoreSum + c.score;
  p.scoreCount += q.scoreCount + 1;
  people.splice(people.indexOf(q), 1);
}
